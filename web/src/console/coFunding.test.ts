import { describe, expect, it } from 'vitest';

import type { CoFunder, CoFunding } from '../api/marketing';
import { fundingShare } from './coFunding';

const bank: CoFunder = { kind: 'bank', funded: 10_000, cost: 384, returned: 9_616 };
const shop: CoFunder = { kind: 'merchant', merchant_id: '7', name: '面馆', funded: 3_000, cost: 116, returned: 2_884 };
const funding: CoFunding = { funded: 13_000, cost: 500, settled: false, funders: [bank, shop] };

describe('fundingShare', () => {
  it("gives each funder's part of everything put in, to a tenth of a percent", () => {
    expect(fundingShare(bank, funding)).toBe('76.9%');
    expect(fundingShare(shop, funding)).toBe('23.1%');
  });

  it('shows a dash when nothing was put in', () => {
    expect(fundingShare(bank, { ...funding, funded: 0 })).toBe('—');
  });
});
