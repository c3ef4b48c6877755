// The pure part of i18n: language codes, look-up with fallback, and the stored preference.
import { en, zh, type MessageKey } from './dictionaries';

export type Language = 'zh' | 'en';

export const DEFAULT_LANGUAGE: Language = 'zh';
export const LANGUAGE_STORAGE_KEY = 'qianbao.lang';

export type Dictionaries = Record<Language, Readonly<Record<string, string | undefined>>>;

const dictionaries: Dictionaries = { zh, en };

/** The text for a key in the given dictionaries: the language's, else Chinese, else the key. */
export function lookup(from: Dictionaries, language: Language, key: string): string {
  return from[language][key] ?? from[DEFAULT_LANGUAGE][key] ?? key;
}

/** Values for the "{name}" placeholders of a text. */
export type MessageParams = Readonly<Record<string, string | number>>;

/** Replaces each "{name}" in `text` by its value; a placeholder without a value stays. */
export function interpolate(text: string, params?: MessageParams): string {
  if (params === undefined) return text;
  return text.replace(/\{(\w+)\}/g, (whole, name: string) =>
    name in params ? String(params[name]) : whole,
  );
}

/** The text for a key in the app's dictionaries, with the fallback of lookup. */
export function translate(
  language: Language,
  key: MessageKey | string,
  params?: MessageParams,
): string {
  return interpolate(lookup(dictionaries, language, key), params);
}

/** True when the app's Chinese dictionary (the reference) has the key. */
export function hasMessage(key: string): key is MessageKey {
  return Object.prototype.hasOwnProperty.call(zh, key);
}

export function isLanguage(value: unknown): value is Language {
  return value === 'zh' || value === 'en';
}

/** The minimal slice of Web Storage used, so tests can pass a plain object. */
export interface LanguageStorage {
  getItem(key: string): string | null;
  setItem(key: string, value: string): void;
}

/** The stored language, or Chinese when none is stored, it is unknown, or storage fails. */
export function readStoredLanguage(storage: LanguageStorage | undefined): Language {
  try {
    const stored = storage?.getItem(LANGUAGE_STORAGE_KEY);
    return isLanguage(stored) ? stored : DEFAULT_LANGUAGE;
  } catch {
    return DEFAULT_LANGUAGE;
  }
}

/** Stores the language; a storage that refuses (private mode, quota) is ignored. */
export function storeLanguage(storage: LanguageStorage | undefined, language: Language): void {
  try {
    storage?.setItem(LANGUAGE_STORAGE_KEY, language);
  } catch {
    // The choice then lasts only for this page load, which is acceptable.
  }
}
