// The friend-referral programme (好友推荐 / 邀请有礼) of API v1: the console's programme settings,
// figures and referral list, and the customer's invite code, terms and invitees.
//
// An invitee qualifies with a first payment of at least min_payment (fen) completed within
// qualify_days of registering. Then the inviter gets inviter_reward (unless already rewarded for
// inviter_monthly_cap invitees this China calendar month) and the invitee gets invitee_reward:
// cash (fen, paid from the programme's budget) or points. Money is integer fen and points are
// integers; nothing here uses floating point for either.
//
// The console form's mapping is in console/referralForm.ts; the customer page's words are in
// h5/referralFormat.ts.
import type { ApiClient } from './client';

/** The longest qualifying window the server accepts, in days. */
export const MAX_QUALIFY_DAYS = 90;
/** The most rewarded invitees per inviter per China calendar month. */
export const MAX_MONTHLY_CAP = 1_000;
/** The server's bounds (src/referral/program.h): one cash reward, one points reward. */
export const MAX_CASH_REWARD_FEN = 1_000_000;
export const MAX_POINTS_REWARD = 100_000_000;
/** The largest minimum payment: ¥10 billion, as marketing's amounts. */
export const MAX_MIN_PAYMENT_FEN = 1_000_000_000_000;

export const REWARD_KINDS = ['cash', 'points', 'none'] as const;
export type RewardKind = (typeof REWARD_KINDS)[number];

/** A reward: cash in fen, points in points, or none (amount 0). */
export interface Reward {
  kind: RewardKind;
  amount: number;
}

/** What ops may change: the body of PUT /staff/referral-program (every field required). */
export interface ReferralProgramInput {
  enabled: boolean;
  /** 1..90: days after registration in which the first qualifying payment must happen. */
  qualify_days: number;
  /** Fen, >= 1: the smallest payment that qualifies. */
  min_payment: number;
  inviter_reward: Reward;
  invitee_reward: Reward;
  /** 1..1000 rewarded invitees per inviter per China calendar month. */
  inviter_monthly_cap: number;
  /** Fen: what cash rewards may cost in total; 0 allowed when no reward is cash. */
  budget: number;
  /**
   * Whether the invitee's payment qualifies only once the invitee has verified a real-name
   * identity (实名认证; a resident ID verifies one wallet only, so one person is one invitee).
   * The server takes it as optional with default true; this client always sends it.
   */
  invitee_must_verify: boolean;
}

/** Reads invitee_must_verify as the server's default does: absent (an older answer) is on. */
export function inviteeMustVerify(program: { invitee_must_verify?: boolean }): boolean {
  return program.invitee_must_verify !== false;
}

export interface ReferralFigures {
  invited: number;
  pending: number;
  rewarded: number;
  refused: number;
  expired: number;
  clawed_back: number;
  /** Fen, net of clawbacks. */
  inviter_cash: number;
  invitee_cash: number;
  inviter_points: number;
  invitee_points: number;
}

/** The referral counts the console shows, in its order. */
export const REFERRAL_COUNT_FIGURES = [
  'invited',
  'pending',
  'rewarded',
  'refused',
  'expired',
  'clawed_back',
] as const satisfies readonly (keyof ReferralFigures)[];

export interface ReferralProgram extends ReferralProgramInput {
  /** Fen of cash paid so far, net of clawbacks. */
  spent: number;
  /** 0: never configured. */
  version: number;
  updated_at: string | null;
  figures: ReferralFigures;
}

export const REFERRAL_STATUSES = ['pending', 'rewarded', 'refused', 'expired', 'clawed_back'] as const;
export type ReferralStatus = (typeof REFERRAL_STATUSES)[number];

export const REFERRAL_REASONS = [
  'same_device',
  'same_identity',
  'risk',
  'inviter_closed',
  'invitee_closed',
  'budget',
  'program_off',
] as const;
export type ReferralReason = (typeof REFERRAL_REASONS)[number];

/** One referral as the console lists it; phones are masked by the server. */
export interface StaffReferral {
  invitee_id: string;
  invitee_phone: string;
  inviter_id: string;
  inviter_phone: string;
  registered_at: string;
  deadline: string;
  /** A status this client does not know yet is shown as it comes. */
  status: ReferralStatus | string;
  /** "" when there is none. */
  reason: ReferralReason | '' | string;
  /** Rewarded, but the inviter's monthly cap was reached (so the inviter got nothing). */
  inviter_capped: boolean;
  qualified_at: string | null;
  payment_id: string | null;
  /** What was actually given; kind "none", amount 0 when nothing. */
  inviter_reward: Reward;
  invitee_reward: Reward;
  /** Taken back after the qualifying payment was refunded: fen and points, both sides together. */
  clawed_back_cash: number;
  clawed_back_points: number;
}

/** The terms a customer sees: the programme without its budget. */
export interface ReferralTerms {
  enabled: boolean;
  qualify_days: number;
  min_payment: number;
  inviter_reward: Reward;
  invitee_reward: Reward;
  inviter_monthly_cap: number;
  /** The friend's payment counts only once the friend has verified a real-name identity. */
  invitee_must_verify: boolean;
}

/** One friend this customer invited; `reward` is what this customer (the inviter) got. */
export interface MyInvitee {
  phone: string;
  registered_at: string;
  deadline: string;
  status: ReferralStatus | string;
  reward: Reward;
}

/** The customer's own referral, as the invitee. */
export interface InvitedBy {
  status: ReferralStatus | string;
  deadline: string;
  reward: Reward;
}

/** GET /me/referral. */
export interface MyReferral {
  /** Eight characters. */
  invite_code: string;
  /** "/register?invite=7KQ2M9XA": joined to this site's origin it is the link to share. */
  invite_path: string;
  program: ReferralTerms;
  this_month: { rewarded: number; cap: number };
  /** What the customer got as an inviter, net of clawbacks. */
  earned: { cash: number; points: number };
  /** Newest first, at most 100. */
  invitees: MyInvitee[];
  invited_by: InvitedBy | null;
}

const PROGRAM_PATH = '/api/v1/staff/referral-program';

export function getReferralProgram(api: ApiClient): Promise<ReferralProgram> {
  return api.get<ReferralProgram>(PROGRAM_PATH);
}

/** Errors: 422 REFERRAL_INVALID_PROGRAM naming the first bad field in ApiError.field. */
export function putReferralProgram(api: ApiClient, input: ReferralProgramInput): Promise<ReferralProgram> {
  return api.put<ReferralProgram>(PROGRAM_PATH, input);
}

/** The newest referrals first, at most 100. */
export async function listReferrals(api: ApiClient): Promise<StaffReferral[]> {
  const answer = await api.get<{ referrals: StaffReferral[] }>('/api/v1/staff/referrals');
  return answer.referrals;
}

export function getMyReferral(api: ApiClient): Promise<MyReferral> {
  return api.get<MyReferral>('/api/v1/me/referral');
}

export { remainingBudget } from './budget';
