// The texts of closing the account (注销账户) on the security page and the notice the log-in page
// shows afterwards. What is erased and what is kept follows the server (PIPL art. 47; the
// Anti-Money Laundering Law's five years). Spread into the dictionaries of dictionaries.ts;
// Chinese is the reference, English must cover every key (the type below checks it).

export const closeAccountZh = {
  'closeAccount.title': '注销账户',
  'closeAccount.intro': '注销后，您将无法再登录或使用这个钱包，且无法恢复。注销前请了解：',
  'closeAccount.balance': '当前余额：{balance}',
  'closeAccount.balanceRule': '余额必须为零，且没有处理中的交易（如待确认的付款、充值或提现）。',
  'closeAccount.balanceNotZero': '钱包中还有余额或处理中的交易，请先提现或用完后再注销。',
  'closeAccount.withdraw': '去提现',
  'closeAccount.exportFirst': '如需保留一份个人信息副本，请在注销前下载：',
  'closeAccount.erased':
    '将被删除：登录密码、支付密码、身份验证器（两步验证）、已绑定的银行卡和设备密钥；所有设备上的登录都将退出。',
  'closeAccount.kept':
    '依法保留 5 年：实名认证记录和交易记录。《反洗钱法》要求银行在业务关系结束后将其保存 5 年。',
  'closeAccount.phoneReleased': '注销后，这个手机号可以重新注册新的钱包。',
  'closeAccount.confirmation': '请输入“{word}”以确认',
  'closeAccount.submit': '确认注销账户',
  'closeAccount.needCode': '请先获取并输入 6 位短信验证码',
  'closeAccount.needPin': '请输入 6 位支付密码',
  'closeAccount.needConfirmation': '请输入“{word}”以确认注销',
  'closeAccount.closedNotice': '您的钱包账户已于 {time} 注销，所有设备已退出登录。感谢您的使用。',
} as const;

export const closeAccountEn: Record<keyof typeof closeAccountZh, string> = {
  'closeAccount.title': 'Close my account',
  'closeAccount.intro':
    'Once closed, this wallet can no longer be signed in to or used, and it cannot be reopened. Before you close it:',
  'closeAccount.balance': 'Current balance: {balance}',
  'closeAccount.balanceRule':
    'The balance must be zero, with nothing in progress (a payment waiting for confirmation, a top-up or a withdrawal).',
  'closeAccount.balanceNotZero':
    'Your wallet still holds money or a transaction in progress: withdraw or spend it first.',
  'closeAccount.withdraw': 'Withdraw to a card',
  'closeAccount.exportFirst': 'To keep a copy of your personal data, download it before closing:',
  'closeAccount.erased':
    'Erased: your password, payment PIN, authenticator (two-step sign-in), bound cards and device keys; every device is signed out.',
  'closeAccount.kept':
    'Kept for 5 years, as the law requires: your real-name record and your transaction history. The Anti-Money Laundering Law has banks keep them for five years after the relationship ends.',
  'closeAccount.phoneReleased': 'Your phone number can register a new wallet later.',
  'closeAccount.confirmation': 'Type {word} to confirm',
  'closeAccount.submit': 'Close my account',
  'closeAccount.needCode': 'Request the SMS code and enter its 6 digits',
  'closeAccount.needPin': 'Enter your 6-digit payment PIN',
  'closeAccount.needConfirmation': 'Type {word} to confirm the closure',
  'closeAccount.closedNotice':
    'Your account was closed at {time} and every device was signed out. Thank you for using qianbao.',
};
