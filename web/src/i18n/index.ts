import i18n from 'i18next';
import { initReactI18next } from 'react-i18next';
import zhCN from './zh-CN';

export const LANGUAGES = ['zh-CN', 'en'] as const;
export type Language = (typeof LANGUAGES)[number];

const STORAGE_KEY = 'signoff.lang';

export function initialLanguage(): Language {
  try {
    const saved = localStorage.getItem(STORAGE_KEY);
    if (saved === 'en' || saved === 'zh-CN') return saved;
  } catch {
    /* no storage */
  }
  return 'zh-CN';
}

/** English loads on demand; Chinese is the default and always there. */
export async function loadLanguage(lang: Language) {
  if (lang === 'en' && !i18n.hasResourceBundle('en', 'translation')) {
    const en = (await import('./en')).default;
    i18n.addResourceBundle('en', 'translation', en);
  }
}

void i18n.use(initReactI18next).init({
  resources: { 'zh-CN': { translation: zhCN } },
  partialBundledLanguages: true,
  lng: 'zh-CN',
  fallbackLng: 'zh-CN',
  interpolation: { escapeValue: false },
  returnNull: false,
});

export async function setLanguage(lang: Language) {
  try {
    localStorage.setItem(STORAGE_KEY, lang);
  } catch {
    /* ignore */
  }
  await loadLanguage(lang);
  await i18n.changeLanguage(lang);
  document.documentElement.lang = lang;
}

/** Switches to the saved language once its texts are loaded. */
export const ready: Promise<void> = (async () => {
  const lang = initialLanguage();
  if (lang !== 'zh-CN') await setLanguage(lang);
})();

export default i18n;
