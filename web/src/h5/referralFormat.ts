// How the referral programme reads, on the customer's invite page and in the console: the rules
// as one sentence, a reward ("¥10.00 现金", "500 积分"), a referral's status and reason, and the
// invite link to share.
import { formatPoints } from '../api/points';
import {
  REFERRAL_REASONS,
  REFERRAL_STATUSES,
  type ReferralReason,
  type ReferralStatus,
  inviteeMustVerify,
  type ReferralTerms,
  type Reward,
} from '../api/referral';
import type { MessageKey } from '../i18n/dictionaries';
import type { MessageParams } from '../i18n/translate';
import { formatFen } from '../money';

type Translate = (key: MessageKey, params?: MessageParams) => string;

/** A reward in words: "¥10.00 现金", "500 积分", or "无奖励" for none (or an amount of 0). */
export function rewardText(t: Translate, reward: Reward): string {
  if (reward.kind === 'cash' && reward.amount > 0) {
    return t('referral.reward.cash', { amount: formatFen(reward.amount) });
  }
  if (reward.kind === 'points' && reward.amount > 0) {
    return t('referral.reward.points', { points: formatPoints(reward.amount) });
  }
  return t('referral.reward.none');
}

/** Whether a reward gives anything: a kind other than none, and an amount above 0. */
export function givesReward(reward: Reward): boolean {
  return reward.kind !== 'none' && reward.amount > 0;
}

/**
 * The rules in one sentence: "好友注册后 30 天内完成首笔满 ¥10.00 的支付，你得 ¥10.00 现金，好友得
 * 500 积分；每月最多奖励 10 位". When the programme requires it (invitee_must_verify) the friend
 * must complete real-name verification (实名认证) first. The monthly cap is said only when the
 * inviter gets something.
 */
export function referralRules(t: Translate, program: ReferralTerms): string {
  const inviter = rewardText(t, program.inviter_reward);
  const invitee = rewardText(t, program.invitee_reward);
  const forInviter = givesReward(program.inviter_reward);
  const forInvitee = givesReward(program.invitee_reward);
  let rewards: string;
  if (forInviter && forInvitee) rewards = t('referral.rules.both', { inviter, invitee });
  else if (forInviter) rewards = t('referral.rules.inviterOnly', { inviter });
  else if (forInvitee) rewards = t('referral.rules.inviteeOnly', { invitee });
  else rewards = t('referral.rules.noReward');
  // With invitee_must_verify only a verified friend's payment counts: say verification comes first.
  const sentence = t(inviteeMustVerify(program) ? 'referral.rules.verified' : 'referral.rules', {
    days: program.qualify_days,
    min: formatFen(program.min_payment),
    rewards,
  });
  return forInviter ? sentence + t('referral.rules.cap', { cap: program.inviter_monthly_cap }) : sentence;
}

/** The dictionary key of a status as the customer reads it; an unknown one is "other". */
export function referralStatusKey(status: string): `referral.status.${ReferralStatus | 'other'}` {
  return (REFERRAL_STATUSES as readonly string[]).includes(status)
    ? `referral.status.${status as ReferralStatus}`
    : 'referral.status.other';
}

/** The dictionary key of a status as the console reads it; an unknown one is "other". */
export function staffReferralStatusKey(status: string): `referral.staffStatus.${ReferralStatus | 'other'}` {
  return (REFERRAL_STATUSES as readonly string[]).includes(status)
    ? `referral.staffStatus.${status as ReferralStatus}`
    : 'referral.staffStatus.other';
}

/** A reason in words; "" for none, the code itself for one this client does not know. */
export function referralReasonText(t: Translate, reason: string): string {
  if (reason === '') return '';
  return (REFERRAL_REASONS as readonly string[]).includes(reason)
    ? t(`referral.reason.${reason as ReferralReason}`)
    : reason;
}

/**
 * The link to share: this site's origin and the server's invite path
 * ("https://pay.example" + "/register?invite=7KQ2M9XA"). A full URL is kept as it is.
 */
export function inviteLink(origin: string, invitePath: string): string {
  if (/^https?:\/\//i.test(invitePath)) return invitePath;
  const base = origin.replace(/\/+$/, '');
  return invitePath.startsWith('/') ? base + invitePath : `${base}/${invitePath}`;
}
