import { describe, expect, it } from 'vitest';

import type { ReferralProgramInput } from '../api/referral';
import {
  referralFormFieldOfError,
  referralProgramToForm,
  toReferralProgramInput,
  type ReferralFormValues,
} from './referralForm';

function form(overrides: Partial<ReferralFormValues> = {}): ReferralFormValues {
  return {
    enabled: true,
    qualifyDays: 30,
    minPayment: '10',
    inviterKind: 'cash',
    inviterAmount: '10.00',
    inviteeKind: 'points',
    inviteeAmount: '500',
    monthlyCap: 10,
    budget: '10,000',
    inviteeMustVerify: true,
    ...overrides,
  };
}

const problemOf = (values: ReferralFormValues) => {
  const mapped = toReferralProgramInput(values);
  return mapped.ok ? null : mapped.problem;
};

describe('toReferralProgramInput', () => {
  it('maps yuan to integer fen and points to points', () => {
    expect(toReferralProgramInput(form())).toEqual({
      ok: true,
      value: {
        enabled: true,
        qualify_days: 30,
        min_payment: 1000,
        inviter_reward: { kind: 'cash', amount: 1000 },
        invitee_reward: { kind: 'points', amount: 500 },
        inviter_monthly_cap: 10,
        budget: 1_000_000,
        invitee_must_verify: true,
      },
    });
    const cents = toReferralProgramInput(form({ minPayment: '0.1', inviterAmount: '¥12.35', budget: '0.07' }));
    expect(cents.ok && cents.value.min_payment).toBe(10);
    expect(cents.ok && cents.value.inviter_reward).toEqual({ kind: 'cash', amount: 1235 });
    expect(cents.ok && cents.value.budget).toBe(7);
  });

  it('gives amount 0 for the "none" kind, whatever the amount field holds', () => {
    const mapped = toReferralProgramInput(
      form({ inviterKind: 'none', inviterAmount: '10.00', inviteeKind: 'none', inviteeAmount: 'junk', budget: '' }),
    );
    expect(mapped.ok && mapped.value.inviter_reward).toEqual({ kind: 'none', amount: 0 });
    expect(mapped.ok && mapped.value.invitee_reward).toEqual({ kind: 'none', amount: 0 });
    // No cash reward: an empty or zero budget is allowed and sent as 0.
    expect(mapped.ok && mapped.value.budget).toBe(0);
    const zero = toReferralProgramInput(form({ inviterKind: 'points', inviterAmount: '100', budget: '0' }));
    expect(zero.ok && zero.value.budget).toBe(0);
  });

  it('sends the real-name switch as it is, unset as on (the server default)', () => {
    const off = toReferralProgramInput(form({ inviteeMustVerify: false }));
    expect(off.ok && off.value.invitee_must_verify).toBe(false);
    const on = toReferralProgramInput(form({ inviteeMustVerify: true }));
    expect(on.ok && on.value.invitee_must_verify).toBe(true);
    const unset = toReferralProgramInput({ ...form(), inviteeMustVerify: undefined as unknown as boolean });
    expect(unset.ok && unset.value.invitee_must_verify).toBe(true);
  });

  it('refuses a cash reward without a budget', () => {
    expect(problemOf(form({ budget: '' }))).toEqual({ field: 'budget', message: 'referral.form.budgetForCash' });
    expect(problemOf(form({ inviterKind: 'none', inviteeKind: 'cash', inviteeAmount: '5', budget: '0.00' }))).toEqual({
      field: 'budget',
      message: 'referral.form.budgetForCash',
    });
  });

  it('names the first wrong field', () => {
    expect(problemOf(form({ qualifyDays: 0 }))?.field).toBe('qualifyDays');
    expect(problemOf(form({ qualifyDays: 91 }))?.message).toBe('referral.form.qualifyDays');
    expect(problemOf(form({ qualifyDays: null }))?.field).toBe('qualifyDays');
    expect(problemOf(form({ minPayment: '' }))).toEqual({ field: 'minPayment', message: 'error.amount.EMPTY' });
    expect(problemOf(form({ minPayment: '0' }))).toEqual({ field: 'minPayment', message: 'error.amount.NOT_POSITIVE' });
    expect(problemOf(form({ minPayment: '1.234' }))?.message).toBe('error.amount.TOO_MANY_DECIMALS');
    expect(problemOf(form({ inviterAmount: '' }))).toEqual({ field: 'inviterAmount', message: 'error.amount.EMPTY' });
    // One cash reward is at most ¥10,000.
    expect(problemOf(form({ inviterAmount: '10000' }))).toBeNull();
    expect(problemOf(form({ inviterAmount: '10000.01' }))?.message).toBe('error.amount.TOO_LARGE');
    expect(problemOf(form({ inviteeAmount: '12.5' }))).toEqual({
      field: 'inviteeAmount',
      message: 'referral.form.points',
    });
    expect(problemOf(form({ inviteeAmount: '0' }))?.field).toBe('inviteeAmount');
    expect(problemOf(form({ inviteeAmount: '100000001' }))?.field).toBe('inviteeAmount');
    expect(problemOf(form({ inviteeAmount: '100,000,000' }))).toBeNull();
    expect(problemOf(form({ monthlyCap: 0 }))?.field).toBe('monthlyCap');
    expect(problemOf(form({ monthlyCap: 1001 }))?.message).toBe('referral.form.monthlyCap');
    expect(problemOf(form({ monthlyCap: 2.5 }))?.field).toBe('monthlyCap');
    expect(problemOf(form({ budget: '-1' }))?.field).toBe('budget');
  });
});

describe('referralProgramToForm', () => {
  it('shows fen as yuan and comes back to the same body', () => {
    const program: ReferralProgramInput = {
      enabled: false,
      qualify_days: 7,
      min_payment: 1050,
      inviter_reward: { kind: 'points', amount: 2000 },
      invitee_reward: { kind: 'cash', amount: 88 },
      inviter_monthly_cap: 3,
      budget: 123_456_789,
      invitee_must_verify: false,
    };
    const values = referralProgramToForm(program);
    expect(values).toEqual({
      enabled: false,
      qualifyDays: 7,
      minPayment: '10.50',
      inviterKind: 'points',
      inviterAmount: '2000',
      inviteeKind: 'cash',
      inviteeAmount: '0.88',
      monthlyCap: 3,
      budget: '1234567.89',
      inviteeMustVerify: false,
    });
    expect(toReferralProgramInput(values)).toEqual({ ok: true, value: program });
    const none = referralProgramToForm({ ...program, inviter_reward: { kind: 'none', amount: 0 }, budget: 0 });
    expect(none.inviterAmount).toBe('');
    expect(none.budget).toBe('0.00');
    expect(none.inviteeMustVerify).toBe(false);
  });

  it('reads the real-name switch as on when the answer has none (the server default)', () => {
    const older: Omit<ReferralProgramInput, 'invitee_must_verify'> = {
      enabled: true,
      qualify_days: 30,
      min_payment: 1000,
      inviter_reward: { kind: 'cash', amount: 1000 },
      invitee_reward: { kind: 'points', amount: 500 },
      inviter_monthly_cap: 10,
      budget: 1_000_000,
    };
    expect(referralProgramToForm(older).inviteeMustVerify).toBe(true);
    expect(referralProgramToForm({ ...older, invitee_must_verify: true }).inviteeMustVerify).toBe(true);
    expect(referralProgramToForm({ ...older, invitee_must_verify: false }).inviteeMustVerify).toBe(false);
  });
});

describe('referralFormFieldOfError', () => {
  it('finds the field a REFERRAL_INVALID_PROGRAM answer names', () => {
    expect(referralFormFieldOfError('budget', 'budget must cover')).toBe('budget');
    expect(referralFormFieldOfError('budget_fen', '')).toBe('budget');
    expect(referralFormFieldOfError('min_payment', '')).toBe('minPayment');
    expect(referralFormFieldOfError('inviter_reward', '')).toBe('inviterAmount');
    expect(referralFormFieldOfError('inviter.amount', '')).toBe('inviterAmount');
    expect(referralFormFieldOfError('invitee_reward.kind', '')).toBe('inviteeKind');
    expect(referralFormFieldOfError('inviter_monthly_cap', '')).toBe('monthlyCap');
    expect(referralFormFieldOfError('qualify_days', '')).toBe('qualifyDays');
    expect(referralFormFieldOfError('invitee_must_verify', '')).toBe('inviteeMustVerify');
    expect(referralFormFieldOfError(undefined, 'qualify_days: must be 1..90')).toBe('qualifyDays');
    expect(referralFormFieldOfError('something_else', 'no field here')).toBeNull();
    expect(referralFormFieldOfError(undefined, 'invalid programme')).toBeNull();
  });
});
