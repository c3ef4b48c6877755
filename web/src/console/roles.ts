// Which staff roles may use which console page, as the API checks them per route. The menu
// shows only the pages a staff member can use; the server still refuses the rest (403).
import type { StaffRole } from '../api/types';
import type { MessageKey } from '../i18n/dictionaries';

export type ConsolePage =
  | 'dashboard'
  | 'customers'
  | 'smsOutbox'
  | 'ledger'
  | 'staff'
  | 'merchants'
  | 'settlements'
  | 'audit'
  | 'campaigns'
  | 'customerLists'
  | 'points'
  | 'referral'
  | 'lottery'
  | 'redPackets'
  | 'riskReviews'
  | 'riskRules'
  | 'riskLists'
  | 'amlReports';

/** Each page with its path under /console, its menu label and the roles that may open it. */
export const CONSOLE_PAGES: readonly {
  page: ConsolePage;
  path: string;
  label: MessageKey;
  roles: readonly StaffRole[] | 'all';
}[] = [
  { page: 'dashboard', path: 'dashboard', label: 'console.dashboard', roles: 'all' },
  {
    page: 'customers',
    path: 'customers',
    label: 'console.customers',
    roles: ['admin', 'support', 'risk', 'outreach_manager', 'outreach_agent'],
  },
  { page: 'smsOutbox', path: 'sms-outbox', label: 'console.smsOutbox', roles: ['admin'] },
  { page: 'ledger', path: 'ledger', label: 'console.ledger', roles: ['admin', 'auditor'] },
  { page: 'staff', path: 'staff', label: 'console.staff', roles: ['admin'] },
  {
    page: 'merchants',
    path: 'merchants',
    label: 'console.merchants',
    roles: ['admin', 'risk', 'support', 'auditor'],
  },
  {
    page: 'settlements',
    path: 'settlements',
    label: 'console.settlements',
    roles: ['admin', 'auditor'],
  },
  { page: 'audit', path: 'audit', label: 'console.audit', roles: ['admin', 'auditor'] },
  {
    page: 'campaigns',
    path: 'campaigns',
    label: 'console.campaigns',
    roles: ['admin', 'marketing', 'auditor'],
  },
  {
    page: 'customerLists',
    path: 'customer-lists',
    label: 'console.customerLists',
    roles: ['admin', 'marketing', 'auditor'],
  },
  {
    page: 'points',
    path: 'points',
    label: 'console.points',
    roles: ['admin', 'marketing', 'auditor'],
  },
  {
    page: 'referral',
    path: 'referral',
    label: 'console.referral',
    roles: ['admin', 'marketing', 'auditor'],
  },
  {
    page: 'lottery',
    path: 'lottery',
    label: 'console.lottery',
    roles: ['admin', 'marketing', 'auditor'],
  },
  {
    page: 'redPackets',
    path: 'red-packets',
    label: 'console.redPackets',
    roles: ['admin', 'marketing', 'auditor'],
  },
  {
    page: 'riskReviews',
    path: 'risk/reviews',
    label: 'console.riskReviews',
    roles: ['admin', 'risk', 'auditor'],
  },
  {
    page: 'riskRules',
    path: 'risk/rules',
    label: 'console.riskRules',
    roles: ['admin', 'risk', 'auditor'],
  },
  {
    page: 'riskLists',
    path: 'risk/lists',
    label: 'console.riskLists',
    roles: ['admin', 'risk', 'auditor'],
  },
  {
    page: 'amlReports',
    path: 'aml',
    label: 'console.amlReports',
    roles: ['admin', 'risk', 'auditor'],
  },
];

/** Who may create, change, fund and move campaigns and coupon templates. */
export const CAMPAIGN_EDIT_ROLES: readonly StaffRole[] = ['admin', 'marketing'];
/** Who may create custom customer lists, change their members and delete them: as for campaigns. */
export const CUSTOMER_LIST_EDIT_ROLES: readonly StaffRole[] = CAMPAIGN_EDIT_ROLES;
/** Who may change the points programme: as for campaigns. */
export const POINTS_EDIT_ROLES: readonly StaffRole[] = CAMPAIGN_EDIT_ROLES;
/** Who may change the referral programme (PUT /staff/referral-program): as for campaigns. */
export const REFERRAL_EDIT_ROLES: readonly StaffRole[] = CAMPAIGN_EDIT_ROLES;
/** Who may change the lottery (PUT /staff/lottery): as for campaigns. */
export const LOTTERY_EDIT_ROLES: readonly StaffRole[] = CAMPAIGN_EDIT_ROLES;
/** Who may change the red-packet programme (PUT /staff/red-packets): as for campaigns. */
export const RED_PACKETS_EDIT_ROLES: readonly StaffRole[] = CAMPAIGN_EDIT_ROLES;
/** Who may review held payments, publish rule sets and change the lists. */
export const RISK_EDIT_ROLES: readonly StaffRole[] = ['admin', 'risk'];

/** Who may record a closed account's refund payout (POST /staff/customers/{id}/refund-payouts). */
export const REFUND_PAYOUT_ROLES: readonly StaffRole[] = ['admin', 'support'];

/** Who may onboard a merchant (POST /staff/merchants). */
export const MERCHANT_ONBOARD_ROLES: readonly StaffRole[] = ['admin'];
/** Who may approve, suspend or reinstate a merchant (POST /staff/merchants/{id}/status). */
export const MERCHANT_STATUS_ROLES: readonly StaffRole[] = ['admin', 'risk'];

/** The roles that may grant a customer tier I (verified in person). */
export const TIER_GRANT_ROLES: readonly StaffRole[] = [
  'admin',
  'outreach_agent',
  'outreach_manager',
];

function anyOf(roles: readonly StaffRole[], allowed: readonly StaffRole[] | 'all'): boolean {
  return allowed === 'all' || roles.some((role) => allowed.includes(role));
}

export function canOpen(roles: readonly StaffRole[], page: ConsolePage): boolean {
  const entry = CONSOLE_PAGES.find((candidate) => candidate.page === page);
  return entry !== undefined && anyOf(roles, entry.roles);
}

/** The pages for the menu, in menu order. */
export function visiblePages(roles: readonly StaffRole[]) {
  return CONSOLE_PAGES.filter((entry) => anyOf(roles, entry.roles));
}

export function canGrantTier(roles: readonly StaffRole[]): boolean {
  return anyOf(roles, TIER_GRANT_ROLES);
}

export function canPayOutRefunds(roles: readonly StaffRole[]): boolean {
  return anyOf(roles, REFUND_PAYOUT_ROLES);
}

export function canOnboardMerchant(roles: readonly StaffRole[]): boolean {
  return anyOf(roles, MERCHANT_ONBOARD_ROLES);
}

export function canEditCampaigns(roles: readonly StaffRole[]): boolean {
  return anyOf(roles, CAMPAIGN_EDIT_ROLES);
}

export function canEditCustomerLists(roles: readonly StaffRole[]): boolean {
  return anyOf(roles, CUSTOMER_LIST_EDIT_ROLES);
}

export function canEditPoints(roles: readonly StaffRole[]): boolean {
  return anyOf(roles, POINTS_EDIT_ROLES);
}

export function canEditReferral(roles: readonly StaffRole[]): boolean {
  return anyOf(roles, REFERRAL_EDIT_ROLES);
}

export function canEditLottery(roles: readonly StaffRole[]): boolean {
  return anyOf(roles, LOTTERY_EDIT_ROLES);
}

export function canEditRedPackets(roles: readonly StaffRole[]): boolean {
  return anyOf(roles, RED_PACKETS_EDIT_ROLES);
}

export function canEditRisk(roles: readonly StaffRole[]): boolean {
  return anyOf(roles, RISK_EDIT_ROLES);
}

export function canChangeMerchantStatus(roles: readonly StaffRole[]): boolean {
  return anyOf(roles, MERCHANT_STATUS_ROLES);
}

/** Where a staff member lands after logging in: the first page useful for the roles. */
export function landingPath(roles: readonly StaffRole[]): string {
  const useful = visiblePages(roles).find((entry) => entry.page !== 'dashboard');
  return `/console/${useful?.path ?? 'dashboard'}`;
}
