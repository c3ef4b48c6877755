import { describe, expect, it } from 'vitest';

import type { StaffRedPackets } from '../api/redPackets';
import { hasMessage } from '../i18n/translate';
import {
  redPacketsFormFieldOfError,
  redPacketsToForm,
  toRedPacketsInput,
  type RedPacketsFormValues,
} from './redPacketsForm';

function form(overrides: Partial<RedPacketsFormValues> = {}): RedPacketsFormValues {
  return {
    enabled: true,
    startsAt: '',
    endsAt: '',
    paymentMin: '10',
    packetsDaily: 1,
    packetAmount: '10.00',
    shares: 3,
    validHours: 24,
    claimsDaily: 5,
    budget: '100',
    ...overrides,
  };
}

const problemOf = (values: RedPacketsFormValues) => {
  const mapped = toRedPacketsInput(values);
  return mapped.ok ? null : mapped.problem;
};

describe('toRedPacketsInput', () => {
  it('maps yuan to fen and leaves unbounded times out', () => {
    const mapped = toRedPacketsInput(form());
    expect(mapped).toEqual({
      ok: true,
      value: {
        enabled: true,
        payment_min: 1000,
        packets_daily: 1,
        packet_amount: 1000,
        shares: 3,
        valid_hours: 24,
        claims_daily: 5,
        budget: 10_000,
      },
    });
    expect(mapped.ok && 'starts_at' in mapped.value).toBe(false);
  });

  it('reads the typed digits, not floating point', () => {
    // 0.29 * 100 is 28.999999999999996 in floating point.
    const mapped = toRedPacketsInput(form({ paymentMin: '0.29', packetAmount: '¥1.15', budget: '1,000.50' }));
    expect(mapped.ok && [mapped.value.payment_min, mapped.value.packet_amount, mapped.value.budget]).toEqual([
      29, 115, 100_050,
    ]);
  });

  it('sends China-time bounds as RFC 3339 and checks their order', () => {
    const mapped = toRedPacketsInput(form({ startsAt: '2026-12-01T00:00', endsAt: '2026-12-12T23:59' }));
    expect(mapped.ok && mapped.value.starts_at).toBe('2026-11-30T16:00:00Z');
    expect(mapped.ok && mapped.value.ends_at).toBe('2026-12-12T15:59:00Z');
    expect(problemOf(form({ startsAt: '2026-12-02T00:00', endsAt: '2026-12-01T00:00' }))).toMatchObject({
      field: 'endsAt',
      message: 'redPacket.form.window',
    });
    expect(problemOf(form({ endsAt: 'soon' }))).toMatchObject({ field: 'endsAt', message: 'redPacket.form.time' });
  });

  it('keeps the packet within ¥200 and at least 1 fen a share', () => {
    expect(toRedPacketsInput(form({ packetAmount: '200', budget: '200' })).ok).toBe(true);
    expect(problemOf(form({ packetAmount: '200.01' }))).toMatchObject({
      field: 'packetAmount',
      message: 'error.amount.TOO_LARGE',
    });
    expect(problemOf(form({ packetAmount: '0.02', shares: 3 }))).toEqual({
      field: 'packetAmount',
      message: 'redPacket.form.perShare',
      params: { min: '¥0.03' },
    });
    expect(toRedPacketsInput(form({ packetAmount: '0.03', shares: 3, budget: '1' })).ok).toBe(true);
    expect(problemOf(form({ packetAmount: '' }))).toMatchObject({ field: 'packetAmount', message: 'error.amount.EMPTY' });
  });

  it('checks the counts against the server bounds', () => {
    expect(problemOf(form({ shares: 1 }))).toMatchObject({ field: 'shares', message: 'redPacket.form.shares' });
    expect(problemOf(form({ shares: 101 }))).toMatchObject({ field: 'shares' });
    expect(problemOf(form({ shares: null }))).toMatchObject({ field: 'shares' });
    expect(problemOf(form({ packetsDaily: 0 }))).toMatchObject({ field: 'packetsDaily', message: 'redPacket.form.daily' });
    expect(problemOf(form({ packetsDaily: 1.5 }))).toMatchObject({ field: 'packetsDaily' });
    expect(problemOf(form({ validHours: 73 }))).toMatchObject({ field: 'validHours', message: 'redPacket.form.validHours' });
    expect(problemOf(form({ claimsDaily: 101 }))).toMatchObject({ field: 'claimsDaily' });
    expect(toRedPacketsInput(form({ shares: 100, validHours: 72, claimsDaily: 100, packetsDaily: 100 })).ok).toBe(true);
  });

  it('needs a payment threshold above 0', () => {
    expect(problemOf(form({ paymentMin: '' }))).toMatchObject({ field: 'paymentMin', message: 'error.amount.EMPTY' });
    expect(problemOf(form({ paymentMin: '0' }))).toMatchObject({ field: 'paymentMin', message: 'error.amount.NOT_POSITIVE' });
    expect(problemOf(form({ paymentMin: 'ten' }))).toMatchObject({ field: 'paymentMin', message: 'error.amount.INVALID' });
  });

  it('needs a budget for one packet while on, and none while off', () => {
    expect(problemOf(form({ budget: '9.99' }))).toMatchObject({
      field: 'budget',
      message: 'redPacket.form.budgetForPacket',
      params: { amount: '¥10.00' },
    });
    expect(problemOf(form({ budget: '1.234' }))).toMatchObject({ field: 'budget', message: 'error.amount.TOO_MANY_DECIMALS' });
    const off = toRedPacketsInput(form({ enabled: false, budget: '' }));
    expect(off.ok && off.value.budget).toBe(0);
  });

  it('uses message keys the dictionaries have', () => {
    const problems = [
      problemOf(form({ endsAt: 'x' })),
      problemOf(form({ startsAt: '2026-12-02T00:00', endsAt: '2026-12-01T00:00' })),
      problemOf(form({ shares: 0 })),
      problemOf(form({ packetsDaily: 0 })),
      problemOf(form({ packetAmount: '0.01' })),
      problemOf(form({ validHours: 0 })),
      problemOf(form({ budget: '1' })),
      problemOf(form({ paymentMin: '0' })),
    ];
    for (const problem of problems) expect(hasMessage(problem?.message ?? ''), problem?.message).toBe(true);
  });
});

const SAVED: StaffRedPackets = {
  enabled: true,
  starts_at: '2026-11-30T16:00:00Z',
  ends_at: null,
  payment_min: 1000,
  packets_daily: 2,
  packet_amount: 1000,
  shares: 3,
  valid_hours: 24,
  claims_daily: 5,
  budget: 10_000,
  spent: 417,
  reserved: 583,
  returned: 0,
  available: 9000,
  packets_sent: 1,
  claims: 1,
  version: 2,
  updated_at: '2026-11-24T10:00:00Z',
  packets: [],
};

describe('redPacketsToForm', () => {
  it('reads a saved programme back into the form, which maps to the same body', () => {
    const values = redPacketsToForm(SAVED);
    expect(values).toEqual({
      enabled: true,
      startsAt: '2026-12-01T00:00',
      endsAt: '',
      paymentMin: '10.00',
      packetsDaily: 2,
      packetAmount: '10.00',
      shares: 3,
      validHours: 24,
      claimsDaily: 5,
      budget: '100.00',
    });
    const mapped = toRedPacketsInput(values);
    expect(mapped.ok && mapped.value).toEqual({
      enabled: true,
      starts_at: '2026-11-30T16:00:00Z',
      payment_min: 1000,
      packets_daily: 2,
      packet_amount: 1000,
      shares: 3,
      valid_hours: 24,
      claims_daily: 5,
      budget: 10_000,
    });
  });

  it("starts a never-set programme empty, with the server's defaults", () => {
    const never: StaffRedPackets = {
      ...SAVED,
      enabled: false,
      starts_at: null,
      payment_min: 0,
      packets_daily: 0,
      packet_amount: 0,
      shares: 0,
      valid_hours: 0,
      claims_daily: 0,
      budget: 0,
      version: 0,
      updated_at: null,
    };
    expect(redPacketsToForm(never)).toEqual({
      enabled: false,
      startsAt: '',
      endsAt: '',
      paymentMin: '',
      packetsDaily: 1,
      packetAmount: '',
      shares: null,
      validHours: 24,
      claimsDaily: 5,
      budget: '',
    });
  });
});

describe('server errors', () => {
  it('finds the field a REDPACKET_INVALID or FIELD_INVALID message names', () => {
    expect(redPacketsFormFieldOfError('payment_min: out of range')).toBe('paymentMin');
    expect(redPacketsFormFieldOfError('packets_daily: out of range')).toBe('packetsDaily');
    expect(redPacketsFormFieldOfError('packet_amount: at least 1 fen a share, at most ¥200')).toBe('packetAmount');
    expect(redPacketsFormFieldOfError('shares: out of range')).toBe('shares');
    expect(redPacketsFormFieldOfError('valid_hours: out of range')).toBe('validHours');
    expect(redPacketsFormFieldOfError('claims_daily: out of range')).toBe('claimsDaily');
    expect(redPacketsFormFieldOfError('budget: out of range, or below what is spent and reserved')).toBe('budget');
    expect(redPacketsFormFieldOfError('starts_at: must be before ends_at')).toBe('startsAt');
    expect(redPacketsFormFieldOfError('ends_at: an RFC 3339 time')).toBe('endsAt');
    expect(redPacketsFormFieldOfError('the programme: out of range')).toBeNull();
    expect(redPacketsFormFieldOfError('colour: unknown')).toBeNull();
  });
});
