// Redeem codes (兑换码) of API v1: ops generate a coupon template's codes in batches and download
// each batch as CSV (admin, marketing — a code is worth a coupon to whoever holds it, so
// auditors do not see them); a customer types one in to get the coupon.
//
// A code reads like 7K3M-Q9TD-X2BE-HN4R (Crockford base32); the server ignores case, spaces and
// hyphens and reads I and L as 1, O as 0, so the customer's typing is sent as it is.
import { newIdempotencyKey, type ApiClient } from './client';
import type { Coupon } from './marketing';

/** The most codes one batch may hold. */
export const CODE_BATCH_MAX = 1_000_000;
/** Above this many codes the console warns that the download is large. */
export const CODE_BATCH_LARGE = 100_000;
/** Bytes per line of codes.csv: 19 characters and a line break. */
export const CODE_CSV_LINE_BYTES = 20;

export interface CodeBatch {
  id: string;
  template_id: string;
  count: number;
  redeemed: number;
  /** RFC 3339. */
  created_at: string;
  /** The path of the batch's codes.csv. */
  download: string;
}

const templatePath = (templateId: string) =>
  `/api/v1/staff/coupon-templates/${encodeURIComponent(templateId)}/code-batches`;

/**
 * Generates `count` (1..CODE_BATCH_MAX) codes for a template: 201 with the batch.
 * COUPON_OUT_OF_STOCK (409) when count is above the template's stock left,
 * COUPON_TEMPLATE_NOT_FOUND (404). The Idempotency-Key (one per ops action, reused by a retry)
 * keeps a retried request from making a second batch.
 */
export function createCodeBatch(
  api: ApiClient,
  templateId: string,
  count: number,
  idempotencyKey: string = newIdempotencyKey(),
): Promise<CodeBatch> {
  if (!Number.isSafeInteger(count) || count < 1 || count > CODE_BATCH_MAX) {
    throw new RangeError(`1..${CODE_BATCH_MAX} codes per batch, not ${count}`);
  }
  return api.post<CodeBatch>(templatePath(templateId), { count }, { idempotencyKey });
}

/** A template's batches, newest first. */
export async function listCodeBatches(api: ApiClient, templateId: string): Promise<CodeBatch[]> {
  return (await api.get<{ batches: CodeBatch[] }>(templatePath(templateId))).batches;
}

/**
 * Where a batch's codes.csv is: the server's `download` path when it is one of this API's paths,
 * else the path the contract names. A bearer token is never sent anywhere else.
 */
export function codeBatchCsvPath(batch: Pick<CodeBatch, 'id' | 'download'>): string {
  if (/^\/api\/v1\/[^/]/.test(batch.download) && !batch.download.includes('..')) return batch.download;
  return `/api/v1/staff/code-batches/${encodeURIComponent(batch.id)}/codes.csv`;
}

/** The file a batch is saved as. */
export function codeBatchFileName(batch: Pick<CodeBatch, 'id' | 'template_id'>): string {
  const safe = (text: string) => text.replace(/[^0-9A-Za-z_-]/g, '_');
  return `coupon-codes-${safe(batch.template_id)}-${safe(batch.id)}.csv`;
}

/** The batch's codes as a blob (a million codes is ~20 MB): to save, not to show. */
export function downloadCodeBatch(api: ApiClient, batch: Pick<CodeBatch, 'id' | 'download'>): Promise<Blob> {
  return api.getBlob(codeBatchCsvPath(batch));
}

/** The size of a batch's codes.csv in whole megabytes, rounded up. */
export function codeBatchMegabytes(count: number): number {
  return Math.ceil(((count + 1) * CODE_CSV_LINE_BYTES) / 1_000_000);
}

/**
 * Redeems a code for the customer: 201 with the new coupon, as claiming one answers.
 * COUPON_CODE_INVALID (422), COUPON_CODE_USED (409, by anyone), COUPON_OUT_OF_STOCK and the
 * claim's other 409s, RISK_DENIED (403), RATE_LIMITED (429, too many wrong codes). Sent with an
 * Idempotency-Key, as a claim is: pass the same key when the customer tries the same code again
 * after no answer came, so the retry is the same redemption rather than COUPON_CODE_USED.
 */
export function redeemCouponCode(
  api: ApiClient,
  code: string,
  idempotencyKey: string = newIdempotencyKey(),
): Promise<Coupon> {
  return api.postMoney<Coupon>('/api/v1/me/coupon-codes', { code: code.trim() }, { idempotencyKey });
}

/**
 * Whether a typed code is worth sending: something left once spaces and hyphens go, and only
 * letters and digits. Anything else cannot be a code; the server judges the rest.
 */
export function mayBeCouponCode(typed: string): boolean {
  const bare = typed.replace(/[\s-]/g, '');
  return bare !== '' && /^[0-9A-Za-z]+$/.test(bare);
}
