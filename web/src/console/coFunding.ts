// The pure part of the co-funding settlement card (CoFundingCard.tsx).
import type { CoFunder, CoFunding } from '../api/marketing';

/** A funder's part of everything put in, as a percentage with one decimal ("60.0%"). */
export function fundingShare(funder: CoFunder, funding: CoFunding): string {
  if (funding.funded <= 0) return '—';
  const tenths = Math.round((funder.funded * 1000) / funding.funded);
  return `${Math.floor(tenths / 10)}.${tenths % 10}%`;
}
