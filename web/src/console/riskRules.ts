// Pure helpers of the rules page (RiskRulesPage.tsx): per-rule hits and the shadow log.
import { VERDICTS, type Verdict } from '../api/risk';

/**
 * A rule's hits with their share of the events its set evaluated: "12 (3.4%)", "0", or "—" when
 * the server sent no counters. Shares under 0.1% show as "<0.1%".
 */
export function hitsLabel(hits: number | undefined, evaluated: number | undefined): string {
  if (hits === undefined) return '—';
  if (hits === 0 || evaluated === undefined || evaluated <= 0) return String(hits);
  const permille = Math.round((hits * 1000) / evaluated);
  if (permille === 0) return `${hits} (<0.1%)`;
  return `${hits} (${Math.floor(permille / 10)}.${permille % 10}%)`;
}

/** Whether the shadow verdict is stricter than the active one (it would have stopped more). */
export function shadowStricter(active: Verdict, shadow: Verdict): boolean {
  return VERDICTS.indexOf(shadow) > VERDICTS.indexOf(active);
}

/** "review → deny" with the verdicts' display names. */
export function verdictChange(active: Verdict, shadow: Verdict, name: (verdict: Verdict) => string): string {
  return `${name(active)} → ${name(shadow)}`;
}
