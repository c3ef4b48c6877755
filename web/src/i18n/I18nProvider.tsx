// The React side of i18n: a context holding the language, a hook to translate, and a toggle.
import { createContext, useCallback, useContext, useEffect, useMemo, useState } from 'react';
import type { ReactNode } from 'react';

import type { MessageKey } from './dictionaries';
import {
  readStoredLanguage,
  storeLanguage,
  translate,
  type Language,
  type MessageParams,
} from './translate';

interface I18nContextValue {
  language: Language;
  setLanguage: (language: Language) => void;
  t: (key: MessageKey, params?: MessageParams) => string;
}

const I18nContext = createContext<I18nContextValue | null>(null);

function browserStorage(): Storage | undefined {
  try {
    return typeof window === 'undefined' ? undefined : window.localStorage;
  } catch {
    return undefined;
  }
}

export function I18nProvider({ children }: { children: ReactNode }) {
  const [language, setLanguageState] = useState<Language>(() =>
    readStoredLanguage(browserStorage()),
  );
  const setLanguage = useCallback((next: Language) => {
    storeLanguage(browserStorage(), next);
    setLanguageState(next);
  }, []);
  useEffect(() => {
    document.documentElement.lang = language === 'zh' ? 'zh-CN' : 'en';
  }, [language]);
  const value = useMemo<I18nContextValue>(
    () => ({ language, setLanguage, t: (key, params) => translate(language, key, params) }),
    [language, setLanguage],
  );
  return <I18nContext.Provider value={value}>{children}</I18nContext.Provider>;
}

export function useI18n(): I18nContextValue {
  const value = useContext(I18nContext);
  if (value === null) throw new Error('useI18n outside I18nProvider');
  return value;
}

/** Switches between Chinese and English; styled by the caller through className. */
export function LanguageToggle({ className }: { className?: string }) {
  const { language, setLanguage, t } = useI18n();
  return (
    <button
      type="button"
      className={className ?? 'lang-toggle'}
      onClick={() => setLanguage(language === 'zh' ? 'en' : 'zh')}
    >
      {t('lang.toggle')}
    </button>
  );
}
