// The texts of the payment step-up (PBoC No. 43: ¥1,000 a day with one factor, ¥5,000 with two,
// more with this phone's device key): the panel a held payment or a refused transfer shows.
// The risk rules can ask for the same step-up, and the customer is never told which rule
// fired, so the reasons name the daily limits only as an example.
// Spread into the dictionaries of dictionaries.ts; English must cover every key.

export const stepUpZh = {
  'stepUp.title': '需要进一步验证',
  'stepUp.twoFactors': '这笔付款需要再验证一次（例如今日累计支付已超过单因素验证限额 ¥1,000），请再输入一个验证码。',
  'stepUp.deviceKey': '这笔付款需要使用本机密钥确认（例如今日累计支付已超过 ¥5,000）。',
  'stepUp.held': '这笔付款已冻结，请在 {time} 前完成验证，否则自动取消。',
  'stepUp.transfer': '转账尚未发出，完成验证后将重新提交。',
  'stepUp.smsCode': '短信验证码',
  'stepUp.sendSms': '发送验证码',
  'stepUp.smsSent': '验证码已发送',
  'stepUp.totpCode': '或输入身份验证器中的 6 位动态码',
  'stepUp.confirm': '确认付款',
  'stepUp.confirmTransfer': '验证并转账',
  'stepUp.useDevice': '使用本机密钥确认',
  'stepUp.noDevice': '本机未绑定设备密钥：请在“安全中心”绑定本机后再确认。',
  'stepUp.cancel': '取消付款',
  'stepUp.codeSixDigits': '请输入 6 位验证码',
  'apiError.CHALLENGE_REQUIRED': '需要进一步验证',
};

export const stepUpEn: Record<keyof typeof stepUpZh, string> = {
  'stepUp.title': 'One more check',
  'stepUp.twoFactors':
    "This payment needs one more check (for example, today's payments are past the ¥1,000 one-factor limit): enter a second code as well.",
  'stepUp.deviceKey':
    "This payment needs this phone's device key (for example, today's payments are past ¥5,000).",
  'stepUp.held': 'The payment is held: confirm it before {time}, or it is cancelled.',
  'stepUp.transfer': 'Nothing has been sent yet: the transfer goes once you confirm.',
  'stepUp.smsCode': 'SMS code',
  'stepUp.sendSms': 'Send code',
  'stepUp.smsSent': 'Code sent',
  'stepUp.totpCode': 'or the 6-digit code from your authenticator app',
  'stepUp.confirm': 'Confirm payment',
  'stepUp.confirmTransfer': 'Confirm and send',
  'stepUp.useDevice': 'Confirm with this device',
  'stepUp.noDevice': 'No device key on this phone: bind it in Security first.',
  'stepUp.cancel': 'Cancel payment',
  'stepUp.codeSixDigits': 'Enter the 6-digit code',
  'apiError.CHALLENGE_REQUIRED': 'One more check is needed',
};
