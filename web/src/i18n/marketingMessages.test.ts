import { describe, expect, it } from 'vitest';

import { CUSTOMER_SEGMENTS } from '../api/marketing';
import { marketingEn, marketingZh } from './marketingMessages';
import { hasMessage } from './translate';

describe('marketing messages', () => {
  it('has an English text for every Chinese one', () => {
    expect(Object.keys(marketingEn).sort()).toEqual(Object.keys(marketingZh).sort());
  });

  it('names every customer segment the editor offers', () => {
    for (const segment of CUSTOMER_SEGMENTS) {
      expect(hasMessage(`campaign.segment.${segment}`), segment).toBe(true);
    }
  });
});
