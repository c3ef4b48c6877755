// Sending a long list of phones in parts: the server takes at most PHONES_PER_REQUEST phones a
// request (issuing a coupon to a list, adding customers to a custom list or taking them out),
// so a CSV of 500,000 numbers goes as a row of requests, one after another, and the answers are
// added up as they come. Shared by the coupon issue (console/phoneList.ts) and the custom
// customer lists (customerLists.ts).

/** The most phones one request may list, for every route that takes a list of phones. */
export const PHONES_PER_REQUEST = 4000;

/** Where sending a list has got to: the totals of the requests answered so far. */
export interface PartsProgress<Totals> {
  /** Phones in requests the server answered. */
  sent: number;
  total: number;
  totals: Totals;
  /** The error that stopped it, or null. */
  error: unknown;
  /** Stopped by ops before the end. */
  stopped: boolean;
  done: boolean;
}

/**
 * Sends `phones` in requests of `perRequest`, one after another, adding each answer into the
 * totals with `add` and reporting after each answer, then once more when done. Stops at the
 * first error — the phones of the failed request and after are not sent — or before the next
 * request once `shouldStop` says so. Throws RangeError for a part size that is not a positive
 * integer.
 */
export async function sendInParts<Answer, Totals>(
  phones: readonly string[],
  perRequest: number,
  send: (part: string[]) => Promise<Answer>,
  add: (totals: Totals, answer: Answer) => Totals,
  initial: Totals,
  onProgress: (progress: PartsProgress<Totals>) => void,
  shouldStop: () => boolean = () => false,
): Promise<PartsProgress<Totals>> {
  if (!Number.isSafeInteger(perRequest) || perRequest < 1) throw new RangeError(`per request: ${perRequest}`);
  let progress: PartsProgress<Totals> = {
    sent: 0,
    total: phones.length,
    totals: initial,
    error: null,
    stopped: false,
    done: false,
  };
  for (let from = 0; from < phones.length; from += perRequest) {
    if (shouldStop()) {
      progress = { ...progress, stopped: true };
      break;
    }
    const part = phones.slice(from, from + perRequest);
    try {
      const answer = await send(part);
      progress = { ...progress, sent: progress.sent + part.length, totals: add(progress.totals, answer) };
    } catch (error) {
      progress = { ...progress, error };
      break;
    }
    onProgress(progress);
  }
  progress = { ...progress, done: true };
  onProgress(progress);
  return progress;
}
