// The texts of the security page's device list (登录设备). Spread into the dictionaries of
// dictionaries.ts; English must cover every key (the type below checks it).

export const deviceZh = {
  'devices.title': '登录设备',
  'devices.hint': '不认识的设备请立即退出登录，并修改登录密码。',
  'devices.current': '本机',
  'devices.unknown': '未知设备',
  'devices.details': '{ip} · 登录于 {created} · 最近使用 {active}',
  'devices.signOut': '退出',
  'devices.signOutOthers': '退出其他所有设备',
  'devices.signedOut': '已退出该设备',
};

export const deviceEn: Record<keyof typeof deviceZh, string> = {
  'devices.title': 'Signed-in devices',
  'devices.hint': 'Sign out any device you do not recognise at once, and change your password.',
  'devices.current': 'This device',
  'devices.unknown': 'Unknown device',
  'devices.details': '{ip} · signed in {created} · last used {active}',
  'devices.signOut': 'Sign out',
  'devices.signOutOthers': 'Sign out all other devices',
  'devices.signedOut': 'Signed out',
};
