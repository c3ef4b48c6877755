// Human messages for API errors: the dictionary text keyed "apiError.<CODE>", for
// LIMIT_EXCEEDED the text of the limit that was hit ("apiError.LIMIT_EXCEEDED.daily"), and a
// generic text naming the code for anything the dictionary does not know.
import { ApiError } from '../api/client';
import type { MessageKey } from './dictionaries';
import { hasMessage, translate, type Language } from './translate';

/** The dictionary key for an error, and the params its text needs. */
export function errorMessageKey(error: unknown): { key: MessageKey; params?: { code: string } } {
  if (!(error instanceof ApiError)) return { key: 'apiError.generic', params: { code: 'CLIENT' } };
  if (error.code === 'LIMIT_EXCEEDED' && error.limit !== undefined) {
    const limitKey = `apiError.LIMIT_EXCEEDED.${error.limit}`;
    if (hasMessage(limitKey)) return { key: limitKey };
  }
  const key = `apiError.${error.code}`;
  if (hasMessage(key)) return { key };
  return { key: 'apiError.generic', params: { code: error.code } };
}

/** The message to show for an error in the given language. */
export function errorMessage(language: Language, error: unknown): string {
  const { key, params } = errorMessageKey(error);
  return translate(language, key, params);
}
