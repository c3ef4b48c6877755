import { describe, expect, it } from 'vitest';

import { amlFileName, casesPath, largeValuePath } from './aml';

describe('AML report paths', () => {
  it('asks for a day with the default thresholds', () => {
    expect(largeValuePath({ date: '2026-11-23' }, 'json')).toBe(
      '/api/v1/staff/aml/large-value?date=2026-11-23&format=json',
    );
  });

  it('passes thresholds in fen and the export format', () => {
    expect(
      largeValuePath(
        { date: '2026-11-23', transferThresholdFen: 30_000_000, cashThresholdFen: 100_000 },
        'xlsx',
      ),
    ).toBe(
      '/api/v1/staff/aml/large-value?date=2026-11-23&transfer_threshold=30000000&cash_threshold=100000&format=xlsx',
    );
  });

  it('asks for the cases of a range of days', () => {
    expect(casesPath({ from: '2026-11-01', to: '2026-11-23' }, 'csv')).toBe(
      '/api/v1/staff/aml/cases?from=2026-11-01&to=2026-11-23&format=csv',
    );
  });

  it('names downloads as the server does', () => {
    expect(amlFileName('large-value', ['2026-11-23'], 'csv')).toBe('aml-large-value-2026-11-23.csv');
    expect(amlFileName('cases', ['2026-11-01', '2026-11-23'], 'xlsx')).toBe(
      'aml-cases-2026-11-01-2026-11-23.xlsx',
    );
  });
});
