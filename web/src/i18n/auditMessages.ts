// The texts of the console's audit log page (admin, auditor). Spread into the dictionaries of
// dictionaries.ts; Chinese is the reference, English must cover every key (the type below
// checks it).

export const auditZh = {
  'console.audit': '审计日志',
  'console.audit.action': '操作',
  'console.audit.action.placeholder': '操作或前缀，如 staff.',
  'console.audit.actor': '操作人',
  'console.audit.actor.placeholder': '如 staff:3、customer:12、system',
  'console.audit.target': '对象',
  'console.audit.target.placeholder': '如 customer:42',
  'console.audit.ip.placeholder': 'IP 地址',
  'console.audit.apply': '查询',
  'console.audit.reset': '清空条件',
  'console.audit.col.seq': '序号',
  'console.audit.col.time': '时间',
  'console.audit.col.detail': '详情',
  'console.audit.col.hash': '哈希',
  'console.audit.empty': '没有符合条件的审计记录',
  'console.audit.end': '已显示全部记录',
  'console.audit.invalid.action': '操作只能包含小写字母、数字、“_”和“.”',
  'console.audit.invalid.actor': '操作人应为 system，或 staff、customer、merchant_user 加“:编号”',
  'console.audit.invalid.target': '对象最长 128 字节',
  'console.audit.invalid.ip': '请输入 IPv4 或 IPv6 地址',
} as const;

export const auditEn: Record<keyof typeof auditZh, string> = {
  'console.audit': 'Audit log',
  'console.audit.action': 'Action',
  'console.audit.action.placeholder': 'Action or prefix, e.g. staff.',
  'console.audit.actor': 'Actor',
  'console.audit.actor.placeholder': 'e.g. staff:3, customer:12, system',
  'console.audit.target': 'Target',
  'console.audit.target.placeholder': 'e.g. customer:42',
  'console.audit.ip.placeholder': 'IP address',
  'console.audit.apply': 'Search',
  'console.audit.reset': 'Clear',
  'console.audit.col.seq': 'Seq',
  'console.audit.col.time': 'Time',
  'console.audit.col.detail': 'Detail',
  'console.audit.col.hash': 'Hash',
  'console.audit.empty': 'No audit entries match',
  'console.audit.end': 'All entries shown',
  'console.audit.invalid.action': "An action has only a-z, 0-9, '_' and '.'",
  'console.audit.invalid.actor':
    'The actor is system, or staff, customer or merchant_user with ":id"',
  'console.audit.invalid.target': 'A target is at most 128 bytes',
  'console.audit.invalid.ip': 'An IPv4 or IPv6 address',
};
