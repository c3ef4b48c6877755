import { describe, expect, it } from 'vitest';

import { ApiClient, ApiError } from './client';
import {
  getMyReferral,
  getReferralProgram,
  listReferrals,
  putReferralProgram,
  inviteeMustVerify,
  remainingBudget,
  type ReferralProgramInput,
} from './referral';

function fakeFetch(answers: Array<{ status: number; body?: unknown }>) {
  const calls: Array<{ url: string; method: string; body: unknown }> = [];
  const fetch = async (url: RequestInfo | URL, init?: RequestInit) => {
    calls.push({
      url: String(url),
      method: init?.method ?? 'GET',
      body: typeof init?.body === 'string' ? JSON.parse(init.body) : undefined,
    });
    const answer = answers.shift() ?? { status: 500 };
    return new Response(answer.body === undefined ? null : JSON.stringify(answer.body), {
      status: answer.status,
      headers: { 'Content-Type': 'application/json' },
    });
  };
  return { calls, fetch: fetch as typeof globalThis.fetch };
}

const INPUT: ReferralProgramInput = {
  enabled: true,
  qualify_days: 30,
  min_payment: 1000,
  inviter_reward: { kind: 'cash', amount: 1000 },
  invitee_reward: { kind: 'points', amount: 500 },
  inviter_monthly_cap: 10,
  budget: 1_000_000,
  invitee_must_verify: true,
};

const PROGRAM = {
  ...INPUT,
  spent: 2000,
  version: 3,
  updated_at: '2026-11-24T10:00:00Z',
  figures: {
    invited: 12,
    pending: 5,
    rewarded: 4,
    refused: 2,
    expired: 1,
    clawed_back: 0,
    inviter_cash: 4000,
    invitee_cash: 0,
    inviter_points: 0,
    invitee_points: 2000,
  },
};

describe('referral API', () => {
  it('reads and writes the programme at /staff/referral-program', async () => {
    const { calls, fetch } = fakeFetch([
      { status: 200, body: PROGRAM },
      { status: 200, body: PROGRAM },
    ]);
    const api = new ApiClient({ fetch });
    expect(await getReferralProgram(api)).toEqual(PROGRAM);
    expect(await putReferralProgram(api, INPUT)).toEqual(PROGRAM);
    expect(calls).toEqual([
      { url: '/api/v1/staff/referral-program', method: 'GET', body: undefined },
      { url: '/api/v1/staff/referral-program', method: 'PUT', body: INPUT },
    ]);
  });

  it('keeps the field a REFERRAL_INVALID_PROGRAM answer names', async () => {
    const { fetch } = fakeFetch([
      {
        status: 422,
        body: { error: { code: 'REFERRAL_INVALID_PROGRAM', message: 'budget too small', field: 'budget' } },
      },
    ]);
    const error = await putReferralProgram(new ApiClient({ fetch }), INPUT).catch((cause: unknown) => cause);
    expect(error).toBeInstanceOf(ApiError);
    expect((error as ApiError).code).toBe('REFERRAL_INVALID_PROGRAM');
    expect((error as ApiError).field).toBe('budget');
    expect((error as ApiError).status).toBe(422);
  });

  it('lists referrals and reads the customer referral', async () => {
    const referral = {
      invitee_id: '17',
      invitee_phone: '138****0001',
      inviter_id: '3',
      inviter_phone: '139****0002',
      registered_at: '2026-11-20T10:00:00Z',
      deadline: '2026-12-20T10:00:00Z',
      status: 'pending',
      reason: '',
      inviter_capped: false,
      qualified_at: null,
      payment_id: null,
      inviter_reward: { kind: 'none', amount: 0 },
      invitee_reward: { kind: 'none', amount: 0 },
      clawed_back_cash: 0,
      clawed_back_points: 0,
    };
    const mine = {
      invite_code: '7KQ2M9XA',
      invite_path: '/register?invite=7KQ2M9XA',
      program: { ...INPUT, budget: undefined },
      this_month: { rewarded: 1, cap: 10 },
      earned: { cash: 1000, points: 0 },
      invitees: [],
      invited_by: null,
    };
    const { calls, fetch } = fakeFetch([
      { status: 200, body: { referrals: [referral] } },
      { status: 200, body: mine },
    ]);
    const api = new ApiClient({ fetch });
    expect(await listReferrals(api)).toEqual([referral]);
    expect((await getMyReferral(api)).invite_code).toBe('7KQ2M9XA');
    expect(calls.map((call) => call.url)).toEqual(['/api/v1/staff/referrals', '/api/v1/me/referral']);
  });

  it('sends invitee_must_verify in the PUT body', async () => {
    const { calls, fetch } = fakeFetch([{ status: 200, body: { ...PROGRAM, invitee_must_verify: false } }]);
    const answer = await putReferralProgram(new ApiClient({ fetch }), { ...INPUT, invitee_must_verify: false });
    expect(calls[0]?.body).toMatchObject({ invitee_must_verify: false });
    expect(inviteeMustVerify(answer)).toBe(false);
  });

  it('reads a missing invitee_must_verify as on, the server default', () => {
    expect(inviteeMustVerify({})).toBe(true);
    expect(inviteeMustVerify({ invitee_must_verify: true })).toBe(true);
    expect(inviteeMustVerify({ invitee_must_verify: false })).toBe(false);
  });

  it('counts the budget left, never below 0', () => {
    expect(remainingBudget({ budget: 1_000_000, spent: 2000 })).toBe(998_000);
    expect(remainingBudget({ budget: 1000, spent: 1500 })).toBe(0);
  });
});
