import { describe, expect, it } from 'vitest';

import {
  charCount,
  formatOpenRate,
  formatPermille,
  offerPushFieldOfError,
  offerPushFormDefaults,
  offerPushMode,
  openRatePermille,
  toAudience,
  toOfferPushInput,
  type OfferPushFormValues,
} from './offerPushForm';

function form(overrides: Partial<OfferPushFormValues> = {}): OfferPushFormValues {
  return {
    ...offerPushFormDefaults(),
    topCategories: ['catering'],
    dayParts: ['morning'],
    merchantIds: '12',
    title: '早餐立减 ¥3',
    body: '工作日早上在餐饮商户付款立减 ¥3',
    ...overrides,
  };
}

const problemOf = (values: OfferPushFormValues) => {
  const mapped = toOfferPushInput(values);
  return mapped.ok ? null : mapped.problem;
};

describe('offerPushMode', () => {
  it('offers the form while the campaign may be pushed, the history once it ended', () => {
    expect(offerPushMode('scheduled')).toBe('push');
    expect(offerPushMode('live')).toBe('push');
    expect(offerPushMode('paused')).toBe('push');
    expect(offerPushMode('ended')).toBe('history');
    expect(offerPushMode('draft')).toBe('none');
    expect(offerPushMode('archived')).toBe('none');
  });
});

describe('offerPushFormDefaults', () => {
  it('starts at 30 days, top 1, at least 1 payment and no other condition', () => {
    expect(offerPushFormDefaults()).toEqual({
      windowDays: 30,
      topCategories: [],
      topRank: 1,
      dayParts: [],
      merchantIds: '',
      minPayments: 1,
      title: '',
      body: '',
    });
  });

  it('previews "everyone who paid once in 30 days" as it comes', () => {
    expect(toAudience(offerPushFormDefaults())).toEqual({
      ok: true,
      value: { window_days: 30, top_categories: [], top_rank: 1, day_parts: [], merchant_ids: [], min_payments: 1 },
    });
  });
});

describe('toAudience', () => {
  it('maps the form to the API audience', () => {
    expect(toAudience(form({ topRank: 3, minPayments: 5, merchantIds: '12, 7 9，12' }))).toEqual({
      ok: true,
      value: {
        window_days: 30,
        top_categories: ['catering'],
        top_rank: 3,
        day_parts: ['morning'],
        merchant_ids: ['12', '7', '9'],
        min_payments: 5,
      },
    });
  });

  it('keeps categories and day parts once each, in their order', () => {
    const mapped = toAudience(
      form({ topCategories: ['fuel', 'catering', 'fuel'], dayParts: ['evening', 'night', 'evening'] }),
    );
    expect(mapped.ok && mapped.value.top_categories).toEqual(['fuel', 'catering']);
    expect(mapped.ok && mapped.value.day_parts).toEqual(['evening', 'night']);
  });

  it('refuses a window outside 1..90 days', () => {
    for (const windowDays of [0, 91, -1, 1.5, null]) {
      expect(toAudience(form({ windowDays })), String(windowDays)).toEqual({
        ok: false,
        problem: { field: 'windowDays', message: 'offerPush.form.windowDays' },
      });
    }
    expect(toAudience(form({ windowDays: 1 })).ok).toBe(true);
    expect(toAudience(form({ windowDays: 90 })).ok).toBe(true);
  });

  it('refuses a top rank outside 1..5', () => {
    for (const topRank of [0, 6, 2.5, null]) {
      expect(problemOf(form({ topRank })), String(topRank)).toEqual({
        field: 'topRank',
        message: 'offerPush.form.topRank',
      });
    }
    expect(toAudience(form({ topRank: 5 })).ok).toBe(true);
  });

  it('refuses a minimum of payments outside 1..1000', () => {
    for (const minPayments of [0, 1001, 3.5, null]) {
      expect(problemOf(form({ minPayments })), String(minPayments)).toEqual({
        field: 'minPayments',
        message: 'offerPush.form.minPayments',
      });
    }
    expect(toAudience(form({ minPayments: 1000 })).ok).toBe(true);
  });

  it('refuses merchant ids that are not decimal', () => {
    for (const merchantIds of ['12, x', '0x1F', '1.5', '-3', '0', '012']) {
      expect(problemOf(form({ merchantIds })), merchantIds).toEqual({
        field: 'merchantIds',
        message: 'offerPush.form.merchantIds',
      });
    }
    const many = Array.from({ length: 65 }, (_, i) => String(i + 1)).join(' ');
    expect(problemOf(form({ merchantIds: many }))).toEqual({
      field: 'merchantIds',
      message: 'offerPush.form.merchantIdsTooMany',
    });
    // 64 different ids, one of them twice, are 64.
    const sixtyFour = toAudience(form({ merchantIds: `${many.replace(/ 65$/, '')} 64` }));
    expect(sixtyFour.ok && sixtyFour.value.merchant_ids.length).toBe(64);
    const none = toAudience(form({ merchantIds: '  ' }));
    expect(none.ok && none.value.merchant_ids).toEqual([]);
  });

  it('refuses a category or a day part it does not know', () => {
    expect(problemOf(form({ topCategories: ['catering', 'casino'] }))).toEqual({
      field: 'topCategories',
      message: 'offerPush.form.categories',
    });
    expect(problemOf(form({ dayParts: ['midnight'] }))).toEqual({
      field: 'dayParts',
      message: 'offerPush.form.dayParts',
    });
  });
});

describe('toOfferPushInput', () => {
  it('sends the title and body trimmed, with the audience', () => {
    const mapped = toOfferPushInput(form({ title: '  早餐立减 ', body: '\n立减 ¥3 ' }));
    expect(mapped).toEqual({
      ok: true,
      value: {
        title: '早餐立减',
        body: '立减 ¥3',
        audience: {
          window_days: 30,
          top_categories: ['catering'],
          top_rank: 1,
          day_parts: ['morning'],
          merchant_ids: ['12'],
          min_payments: 1,
        },
      },
    });
  });

  it('refuses an empty title or body', () => {
    expect(problemOf(form({ title: '   ' }))).toEqual({ field: 'title', message: 'offerPush.form.titleEmpty' });
    expect(problemOf(form({ body: '' }))).toEqual({ field: 'body', message: 'offerPush.form.bodyEmpty' });
  });

  it('takes a title up to 40 characters and a body up to 200', () => {
    expect(toOfferPushInput(form({ title: '惠'.repeat(40), body: '惠'.repeat(200) })).ok).toBe(true);
    expect(problemOf(form({ title: '惠'.repeat(41) }))).toEqual({
      field: 'title',
      message: 'offerPush.form.titleTooLong',
    });
    expect(problemOf(form({ body: 'a'.repeat(201) }))).toEqual({
      field: 'body',
      message: 'offerPush.form.bodyTooLong',
    });
    // An emoji is one character, though two UTF-16 units.
    expect(toOfferPushInput(form({ title: '🎉'.repeat(40) })).ok).toBe(true);
  });

  it('refuses line breaks and other control characters, which the server refuses', () => {
    expect(problemOf(form({ body: '第一行\n第二行' }))).toEqual({
      field: 'body',
      message: 'offerPush.form.bodyControl',
    });
    expect(problemOf(form({ title: '早餐\t立减' }))).toEqual({
      field: 'title',
      message: 'offerPush.form.titleControl',
    });
    // Trimmed first: a line break at either end is not one.
    expect(toOfferPushInput(form({ body: '立减 ¥3\n' })).ok).toBe(true);
  });

  it('checks the audience before the texts', () => {
    expect(problemOf(form({ windowDays: 0, title: '' }))?.field).toBe('windowDays');
  });
});

describe('charCount', () => {
  it('counts code points', () => {
    expect(charCount('')).toBe(0);
    expect(charCount('早餐')).toBe(2);
    expect(charCount('🎉a')).toBe(2);
  });
});

describe('offerPushFieldOfError', () => {
  it('maps the fields a FIELD_INVALID answer names to the form', () => {
    expect(offerPushFieldOfError('audience.window_days')).toBe('windowDays');
    expect(offerPushFieldOfError('audience.top_categories')).toBe('topCategories');
    expect(offerPushFieldOfError('audience.merchant_ids[2]')).toBe('merchantIds');
    expect(offerPushFieldOfError('audience.min_payments')).toBe('minPayments');
    expect(offerPushFieldOfError('title')).toBe('title');
    expect(offerPushFieldOfError('body')).toBe('body');
    expect(offerPushFieldOfError('audience')).toBeNull();
    expect(offerPushFieldOfError(undefined)).toBeNull();
  });

  it('reads the field from the message when the answer names none', () => {
    expect(offerPushFieldOfError(undefined, 'audience.window_days: invalid')).toBe('windowDays');
    expect(offerPushFieldOfError(undefined, 'audience.day_parts: of night, morning, noon')).toBe('dayParts');
    expect(offerPushFieldOfError(undefined, 'title: at most 40 characters')).toBe('title');
    expect(offerPushFieldOfError('audience', 'audience.top_rank: invalid')).toBe('topRank');
    expect(offerPushFieldOfError(undefined, 'something else')).toBeNull();
  });
});

describe('open rate', () => {
  it('is read over delivered in per mille, rounded down', () => {
    expect(openRatePermille(31, 120)).toBe(258);
    expect(openRatePermille(2, 3)).toBe(666);
    expect(openRatePermille(0, 5)).toBe(0);
    expect(openRatePermille(7, 7)).toBe(1000);
    expect(openRatePermille(0, 0)).toBeNull();
    expect(() => openRatePermille(-1, 3)).toThrow(RangeError);
    expect(() => openRatePermille(1, 2.5)).toThrow(RangeError);
  });

  it('shows per mille as a percent with one decimal', () => {
    expect(formatPermille(258)).toBe('25.8%');
    expect(formatPermille(1000)).toBe('100.0%');
    expect(formatPermille(5)).toBe('0.5%');
    expect(formatPermille(0)).toBe('0.0%');
    expect(() => formatPermille(0.5)).toThrow(RangeError);
  });

  it('reads "—" when nobody got the push', () => {
    expect(formatOpenRate(31, 120)).toBe('25.8%');
    expect(formatOpenRate(0, 0)).toBe('—');
  });
});
