import { describe, expect, it } from 'vitest';

import { insightsEn, insightsZh } from './insightsMessages';
import { hasMessage, translate } from './translate';

describe('spending, invoice, report, webhook and settlement messages', () => {
  it('has an English text for every Chinese one', () => {
    expect(Object.keys(insightsEn).sort()).toEqual(Object.keys(insightsZh).sort());
  });

  it('names every webhook state, attempt outcome and settlement status', () => {
    for (const status of ['processing', 'paid', 'failed']) {
      expect(hasMessage(`settlement.status.${status}`), status).toBe(true);
    }
    for (const state of ['pending', 'delivered', 'failed']) {
      expect(hasMessage(`webhooks.state.${state}`), state).toBe(true);
    }
    for (const outcome of ['delivered', 'retry_scheduled', 'failed']) {
      expect(hasMessage(`webhooks.outcome.${outcome}`), outcome).toBe(true);
    }
  });

  it('fills in the month-over-month change', () => {
    expect(translate('zh', 'spending.up', { percent: '12.50%' })).toBe('较上月增加 12.50%');
    expect(translate('en', 'spending.down', { percent: '3.00%' })).toBe('Down 3.00% on last month');
  });
});
