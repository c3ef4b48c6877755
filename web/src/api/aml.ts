// The AML endpoints of API v1 for the staff console (admin, risk, auditor): the daily
// large-value report and the suspicious-transaction cases from the risk review queue, as JSON
// or as CSV / XLSX downloads (each download is recorded in the audit log).
import type { ApiClient } from './client';
import type { ReviewLabel, ReviewState } from './risk';

export type AmlFormat = 'json' | 'csv' | 'xlsx';
export type AmlExportFormat = Exclude<AmlFormat, 'json'>;

export interface LargeValueRow {
  date: string;
  customer_id: string;
  name: string; // masked
  phone: string; // masked
  count: number;
  total_in: number; // fen
  total_out: number; // fen
  total: number; // fen
  kind: 'transfer' | 'cash';
}

export interface LargeValueReport {
  date: string;
  transfer_threshold: number;
  cash_threshold: number;
  currency: string;
  transfers: LargeValueRow[];
  cash: LargeValueRow[];
  truncated: boolean;
}

export interface AmlCase {
  case_id: string;
  payment_id: string;
  customer_id: string;
  customer_phone: string;
  merchant_id: string;
  amount: number;
  currency: string;
  rules: string[];
  score: number;
  state: ReviewState;
  label: ReviewLabel | null;
  opened_at: string;
  closed_at: string | null;
}

/** Optional thresholds in fen (at least 100,000); the server's defaults when absent. */
export interface LargeValueQuery {
  date: string;
  transferThresholdFen?: number;
  cashThresholdFen?: number;
}

export interface CasesQuery {
  from: string;
  to: string;
}

export function largeValuePath(query: LargeValueQuery, format: AmlFormat): string {
  const params = new URLSearchParams();
  params.set('date', query.date);
  if (query.transferThresholdFen !== undefined) {
    params.set('transfer_threshold', String(query.transferThresholdFen));
  }
  if (query.cashThresholdFen !== undefined) {
    params.set('cash_threshold', String(query.cashThresholdFen));
  }
  params.set('format', format);
  return `/api/v1/staff/aml/large-value?${params.toString()}`;
}

export function casesPath(query: CasesQuery, format: AmlFormat): string {
  const params = new URLSearchParams({ from: query.from, to: query.to, format });
  return `/api/v1/staff/aml/cases?${params.toString()}`;
}

/** The file name a download is saved under, as the server names it. */
export function amlFileName(
  report: 'large-value' | 'cases',
  dates: readonly string[],
  format: AmlExportFormat,
): string {
  return `aml-${report}-${dates.join('-')}.${format}`;
}

export function getLargeValueReport(api: ApiClient, query: LargeValueQuery) {
  return api.get<LargeValueReport>(largeValuePath(query, 'json'));
}

export function exportLargeValueReport(api: ApiClient, query: LargeValueQuery, format: AmlExportFormat) {
  return api.getBlob(largeValuePath(query, format));
}

export async function listAmlCases(api: ApiClient, query: CasesQuery): Promise<AmlCase[]> {
  return (await api.get<{ items: AmlCase[] }>(casesPath(query, 'json'))).items;
}

export function exportAmlCases(api: ApiClient, query: CasesQuery, format: AmlExportFormat) {
  return api.getBlob(casesPath(query, format));
}
