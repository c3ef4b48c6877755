import { describe, expect, it } from 'vitest';

import { REFERRAL_REASONS, REFERRAL_STATUSES, type ReferralTerms } from '../api/referral';
import { hasMessage, translate } from '../i18n/translate';
import {
  givesReward,
  inviteLink,
  referralReasonText,
  referralRules,
  referralStatusKey,
  rewardText,
  staffReferralStatusKey,
} from './referralFormat';

const zh = (key: string, params?: Record<string, string | number>) => translate('zh', key, params);
const en = (key: string, params?: Record<string, string | number>) => translate('en', key, params);

const TERMS: ReferralTerms = {
  enabled: true,
  qualify_days: 30,
  min_payment: 1000,
  inviter_reward: { kind: 'cash', amount: 1000 },
  invitee_reward: { kind: 'points', amount: 500 },
  inviter_monthly_cap: 10,
  invitee_must_verify: false,
};

describe('referralRules', () => {
  it('says the rules in one sentence', () => {
    expect(referralRules(zh, TERMS)).toBe(
      '好友注册后 30 天内完成首笔满 ¥10.00 的支付，你得 ¥10.00 现金，好友得 500 积分；每月最多奖励 10 位',
    );
    expect(referralRules(en, TERMS)).toBe(
      'When a friend makes a first payment of at least ¥10.00 within 30 days of signing up, you get ¥10.00 cash and your friend gets 500 points; at most 10 friends are rewarded a month',
    );
  });

  it('says the friend must verify their real name first when the programme requires it', () => {
    const verified = { ...TERMS, invitee_must_verify: true };
    expect(referralRules(zh, verified)).toBe(
      '好友注册后 30 天内先完成实名认证，再完成首笔满 ¥10.00 的支付，你得 ¥10.00 现金，好友得 500 积分；每月最多奖励 10 位',
    );
    expect(referralRules(en, verified)).toBe(
      'When a friend completes real-name verification and then makes a first payment of at least ¥10.00 within 30 days of signing up, you get ¥10.00 cash and your friend gets 500 points; at most 10 friends are rewarded a month',
    );
    expect(referralRules(zh, { ...verified, inviter_reward: { kind: 'none', amount: 0 } })).toBe(
      '好友注册后 30 天内先完成实名认证，再完成首笔满 ¥10.00 的支付，好友得 500 积分',
    );
    // An answer without the field (a server before it) reads as the server's default: required.
    const { invitee_must_verify: _unused, ...older } = verified;
    expect(referralRules(zh, older as ReferralTerms)).toContain('先完成实名认证');
  });

  it('leaves out a side that gets nothing, and the cap when the inviter gets nothing', () => {
    const none = { kind: 'none', amount: 0 } as const;
    expect(referralRules(zh, { ...TERMS, invitee_reward: none })).toBe(
      '好友注册后 30 天内完成首笔满 ¥10.00 的支付，你得 ¥10.00 现金；每月最多奖励 10 位',
    );
    expect(referralRules(zh, { ...TERMS, inviter_reward: none, invitee_reward: { kind: 'cash', amount: 888 } })).toBe(
      '好友注册后 30 天内完成首笔满 ¥10.00 的支付，好友得 ¥8.88 现金',
    );
    expect(referralRules(zh, { ...TERMS, inviter_reward: none, invitee_reward: none })).toBe(
      '好友注册后 30 天内完成首笔满 ¥10.00 的支付，暂无奖励',
    );
  });
});

describe('rewardText', () => {
  it('reads cash, points and none', () => {
    expect(rewardText(zh, { kind: 'cash', amount: 123456 })).toBe('¥1,234.56 现金');
    expect(rewardText(zh, { kind: 'points', amount: 12000 })).toBe('12,000 积分');
    expect(rewardText(zh, { kind: 'none', amount: 0 })).toBe('无奖励');
    expect(rewardText(zh, { kind: 'cash', amount: 0 })).toBe('无奖励');
    expect(rewardText(en, { kind: 'points', amount: 500 })).toBe('500 points');
    expect(givesReward({ kind: 'points', amount: 1 })).toBe(true);
    expect(givesReward({ kind: 'none', amount: 0 })).toBe(false);
  });
});

describe('statuses and reasons', () => {
  it('names every status in Chinese as the customer reads it', () => {
    expect(REFERRAL_STATUSES.map((status) => zh(referralStatusKey(status)))).toEqual([
      '邀请中',
      '已奖励',
      '未获奖励',
      '已过期',
      '已收回',
    ]);
    expect(referralStatusKey('something_new')).toBe('referral.status.other');
    for (const status of [...REFERRAL_STATUSES, 'something_new']) {
      expect(hasMessage(referralStatusKey(status)), status).toBe(true);
      expect(hasMessage(staffReferralStatusKey(status)), status).toBe(true);
    }
    expect(zh(staffReferralStatusKey('refused'))).toBe('已拒绝');
  });

  it('says every reason in words, none as nothing, an unknown one as its code', () => {
    for (const reason of REFERRAL_REASONS) {
      expect(hasMessage(`referral.reason.${reason}`), reason).toBe(true);
      expect(referralReasonText(zh, reason)).not.toBe(reason);
    }
    expect(referralReasonText(zh, 'same_device')).toBe('与邀请人同一设备');
    expect(referralReasonText(zh, '')).toBe('');
    expect(referralReasonText(zh, 'new_reason')).toBe('new_reason');
  });
});

describe('inviteLink', () => {
  it('joins the origin and the invite path', () => {
    expect(inviteLink('https://pay.example.cn', '/register?invite=7KQ2M9XA')).toBe(
      'https://pay.example.cn/register?invite=7KQ2M9XA',
    );
    expect(inviteLink('http://127.0.0.1:8080/', '/register?invite=7KQ2M9XA')).toBe(
      'http://127.0.0.1:8080/register?invite=7KQ2M9XA',
    );
    expect(inviteLink('https://pay.example.cn', 'register?invite=A')).toBe('https://pay.example.cn/register?invite=A');
    expect(inviteLink('https://pay.example.cn', 'https://other.example/register?invite=A')).toBe(
      'https://other.example/register?invite=A',
    );
  });
});
