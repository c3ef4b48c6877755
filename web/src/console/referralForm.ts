// The referral programme form of the console (/console/referral) and its mapping to the API's
// ReferralProgramInput, kept pure so it is tested without a browser. Ops type money in yuan
// ("10" or "12.50") and the API takes integer fen; a points reward is typed as whole points.
import {
  MAX_CASH_REWARD_FEN,
  MAX_MIN_PAYMENT_FEN,
  MAX_MONTHLY_CAP,
  MAX_POINTS_REWARD,
  MAX_QUALIFY_DAYS,
  REWARD_KINDS,
  inviteeMustVerify,
  type ReferralProgramInput,
  type Reward,
  type RewardKind,
} from '../api/referral';
import { formatFen, parseYuan } from '../money';

/** The largest budget the form takes: parseYuan stops at Number.MAX_SAFE_INTEGER fen anyway. */
const MAX_BUDGET_FEN = 1_000_000_000_000_000n;

export interface ReferralFormValues {
  enabled: boolean;
  qualifyDays: number | null;
  /** Yuan as typed. */
  minPayment: string;
  inviterKind: RewardKind;
  /** Yuan for cash, whole points for points; ignored for none. */
  inviterAmount: string;
  inviteeKind: RewardKind;
  inviteeAmount: string;
  monthlyCap: number | null;
  /** Yuan as typed; empty reads as 0. */
  budget: string;
  /** The invitee qualifies only once verified by real name (实名认证); on by default. */
  inviteeMustVerify: boolean;
}

export type ReferralFormField = keyof ReferralFormValues;

/** Where the form is wrong, and the message key for it. */
export interface ReferralFormProblem {
  field: ReferralFormField;
  message: string;
}

export type ReferralMapped =
  | { ok: true; value: ReferralProgramInput }
  | { ok: false; problem: ReferralFormProblem };

type Step<T> = { ok: true; value: T } | { ok: false; problem: ReferralFormProblem };

function integerIn(value: number | null, min: number, max: number): value is number {
  return value !== null && Number.isInteger(value) && value >= min && value <= max;
}

function yuanToFen(field: ReferralFormField, text: string, maxFen: bigint, allowZero = false): Step<number> {
  const parsed = parseYuan(text, { maxFen, allowZero });
  if (!parsed.ok) return { ok: false, problem: { field, message: `error.amount.${parsed.error}` } };
  return { ok: true, value: parsed.fen };
}

function toReward(kind: RewardKind, amount: string, field: 'inviterAmount' | 'inviteeAmount'): Step<Reward> {
  switch (kind) {
    case 'none':
      return { ok: true, value: { kind: 'none', amount: 0 } };
    case 'cash': {
      const fen = yuanToFen(field, amount, BigInt(MAX_CASH_REWARD_FEN));
      return fen.ok ? { ok: true, value: { kind: 'cash', amount: fen.value } } : fen;
    }
    case 'points': {
      const trimmed = amount.trim().replaceAll(',', '');
      const points = /^\d{1,9}$/.test(trimmed) ? Number(trimmed) : null;
      if (!integerIn(points, 1, MAX_POINTS_REWARD)) {
        return { ok: false, problem: { field, message: 'referral.form.points' } };
      }
      return { ok: true, value: { kind: 'points', amount: points } };
    }
  }
}

function isRewardKind(kind: unknown): kind is RewardKind {
  return (REWARD_KINDS as readonly unknown[]).includes(kind);
}

/** The form → the PUT body, or the first field that is wrong. */
export function toReferralProgramInput(values: ReferralFormValues): ReferralMapped {
  const problem = (field: ReferralFormField, message: string): ReferralMapped => ({
    ok: false,
    problem: { field, message },
  });
  if (!integerIn(values.qualifyDays, 1, MAX_QUALIFY_DAYS)) {
    return problem('qualifyDays', 'referral.form.qualifyDays');
  }
  const minPayment = yuanToFen('minPayment', values.minPayment, BigInt(MAX_MIN_PAYMENT_FEN));
  if (!minPayment.ok) return minPayment;
  if (!isRewardKind(values.inviterKind)) return problem('inviterKind', 'referral.form.kind');
  const inviter = toReward(values.inviterKind, values.inviterAmount, 'inviterAmount');
  if (!inviter.ok) return inviter;
  if (!isRewardKind(values.inviteeKind)) return problem('inviteeKind', 'referral.form.kind');
  const invitee = toReward(values.inviteeKind, values.inviteeAmount, 'inviteeAmount');
  if (!invitee.ok) return invitee;
  if (!integerIn(values.monthlyCap, 1, MAX_MONTHLY_CAP)) {
    return problem('monthlyCap', 'referral.form.monthlyCap');
  }
  let budget = 0;
  if (values.budget.trim() !== '') {
    const parsed = yuanToFen('budget', values.budget, MAX_BUDGET_FEN, true);
    if (!parsed.ok) return parsed;
    budget = parsed.value;
  }
  // A cash reward is paid from the budget: without one it could never be paid.
  if (budget === 0 && (inviter.value.kind === 'cash' || invitee.value.kind === 'cash')) {
    return problem('budget', 'referral.form.budgetForCash');
  }
  return {
    ok: true,
    value: {
      enabled: values.enabled,
      qualify_days: values.qualifyDays,
      min_payment: minPayment.value,
      inviter_reward: inviter.value,
      invitee_reward: invitee.value,
      inviter_monthly_cap: values.monthlyCap,
      budget,
      // Unset reads as the server's default: on.
      invitee_must_verify: values.inviteeMustVerify !== false,
    },
  };
}

/** Fen as the form's yuan text: 1000 → "10.00", 0 → "0.00". */
function yuanText(fen: number): string {
  return formatFen(fen, { symbol: false, grouping: false });
}

function rewardAmountText(reward: Reward): string {
  if (reward.kind === 'cash') return yuanText(reward.amount);
  if (reward.kind === 'points') return String(reward.amount);
  return '';
}

/**
 * A programme from the API back into the form. An answer without invitee_must_verify (a server
 * before it) reads as on, the server's default.
 */
export function referralProgramToForm(
  program: Omit<ReferralProgramInput, 'invitee_must_verify'> & { invitee_must_verify?: boolean },
): ReferralFormValues {
  return {
    enabled: program.enabled,
    qualifyDays: program.qualify_days,
    minPayment: yuanText(program.min_payment),
    inviterKind: program.inviter_reward.kind,
    inviterAmount: rewardAmountText(program.inviter_reward),
    inviteeKind: program.invitee_reward.kind,
    inviteeAmount: rewardAmountText(program.invitee_reward),
    monthlyCap: program.inviter_monthly_cap,
    budget: yuanText(program.budget),
    inviteeMustVerify: inviteeMustVerify(program),
  };
}

/**
 * The API fields (and the server's internal names for them, "budget_fen", "inviter.amount")
 * mapped to the form's.
 */
const SERVER_FIELDS: Record<string, ReferralFormField> = {
  enabled: 'enabled',
  qualify_days: 'qualifyDays',
  min_payment: 'minPayment',
  min_payment_fen: 'minPayment',
  inviter_reward: 'inviterAmount',
  'inviter_reward.amount': 'inviterAmount',
  'inviter_reward.kind': 'inviterKind',
  inviter: 'inviterAmount',
  'inviter.amount': 'inviterAmount',
  'inviter.kind': 'inviterKind',
  invitee_reward: 'inviteeAmount',
  'invitee_reward.amount': 'inviteeAmount',
  'invitee_reward.kind': 'inviteeKind',
  invitee: 'inviteeAmount',
  'invitee.amount': 'inviteeAmount',
  'invitee.kind': 'inviteeKind',
  inviter_monthly_cap: 'monthlyCap',
  budget: 'budget',
  budget_fen: 'budget',
  invitee_must_verify: 'inviteeMustVerify',
  invitee_verified: 'inviteeMustVerify',
};

/**
 * The form field a REFERRAL_INVALID_PROGRAM answer names: its "field" ("budget"), else the
 * field its message starts with ("budget: must be …"); null when it names none this form has.
 */
export function referralFormFieldOfError(field: string | undefined, message: string): ReferralFormField | null {
  if (field !== undefined) {
    const named = SERVER_FIELDS[field.trim()];
    if (named !== undefined) return named;
  }
  const match = /^([a-z_]+(?:\.[a-z_]+)?)(?::|$)/.exec(message.trim());
  return match ? (SERVER_FIELDS[match[1] ?? ''] ?? null) : null;
}

