import { describe, expect, it } from 'vitest';

import { en, zh } from './dictionaries';
import {
  LANGUAGE_STORAGE_KEY,
  hasMessage,
  interpolate,
  lookup,
  readStoredLanguage,
  storeLanguage,
  translate,
  type LanguageStorage,
} from './translate';

function memoryStorage(initial: Record<string, string> = {}): LanguageStorage & {
  data: Record<string, string>;
} {
  const data = { ...initial };
  return {
    data,
    getItem: (key) => data[key] ?? null,
    setItem: (key, value) => {
      data[key] = value;
    },
  };
}

const brokenStorage: LanguageStorage = {
  getItem: () => {
    throw new Error('SecurityError');
  },
  setItem: () => {
    throw new Error('QuotaExceededError');
  },
};

describe('translate', () => {
  it('uses the language asked for', () => {
    expect(translate('zh', 'home.title')).toBe('我的钱包');
    expect(translate('en', 'home.title')).toBe('My wallet');
  });

  it('falls back to Chinese when the English text is missing', () => {
    const dictionaries = { zh: { hello: '你好', bye: '再见' }, en: { hello: 'Hello' } };
    expect(lookup(dictionaries, 'en', 'hello')).toBe('Hello');
    expect(lookup(dictionaries, 'en', 'bye')).toBe('再见');
    expect(lookup(dictionaries, 'zh', 'bye')).toBe('再见');
    expect(lookup(dictionaries, 'en', 'unknown')).toBe('unknown');
  });

  it('every app key reads the same in Chinese through translate', () => {
    for (const key of Object.keys(zh) as (keyof typeof zh)[]) {
      expect(translate('zh', key)).toBe(zh[key]);
      expect(translate('en', key)).toBe(en[key] ?? zh[key]);
    }
  });

  it('falls back to the key itself when no language has it', () => {
    expect(translate('zh', 'does.not.exist')).toBe('does.not.exist');
    expect(translate('en', 'does.not.exist')).toBe('does.not.exist');
  });

  it('has no English key that Chinese lacks', () => {
    for (const key of Object.keys(en)) expect(Object.keys(zh)).toContain(key);
  });
});

describe('stored language', () => {
  it('defaults to Chinese', () => {
    expect(readStoredLanguage(undefined)).toBe('zh');
    expect(readStoredLanguage(memoryStorage())).toBe('zh');
  });

  it('reads a stored choice and ignores an unknown one', () => {
    expect(readStoredLanguage(memoryStorage({ [LANGUAGE_STORAGE_KEY]: 'en' }))).toBe('en');
    expect(readStoredLanguage(memoryStorage({ [LANGUAGE_STORAGE_KEY]: 'fr' }))).toBe('zh');
  });

  it('round-trips through storage', () => {
    const storage = memoryStorage();
    storeLanguage(storage, 'en');
    expect(storage.data[LANGUAGE_STORAGE_KEY]).toBe('en');
    expect(readStoredLanguage(storage)).toBe('en');
  });

  it('survives a storage that throws', () => {
    expect(readStoredLanguage(brokenStorage)).toBe('zh');
    expect(() => storeLanguage(brokenStorage, 'en')).not.toThrow();
  });
});

describe('placeholders', () => {
  it('fills named placeholders and leaves unknown ones', () => {
    expect(interpolate('{a} and {b}', { a: 1, b: 'x' })).toBe('1 and x');
    expect(interpolate('{a} and {c}', { a: 1 })).toBe('1 and {c}');
    expect(interpolate('no params {a}')).toBe('no params {a}');
    expect(translate('zh', 'field.smsCode.resend', { seconds: 59 })).toBe('59 秒后重发');
    expect(translate('en', 'field.smsCode.resend', { seconds: 7 })).toBe('Resend in 7s');
  });

  it('knows which keys exist', () => {
    expect(hasMessage('home.title')).toBe(true);
    expect(hasMessage('toString')).toBe(false);
    expect(hasMessage('no.such.key')).toBe(false);
  });
});
