// Adds a lazily loaded screen's texts to i18next. Tiny on purpose: the lazy
// chunks import this instead of ./index, which would cost the staff screens
// more than the texts weigh.
import i18n from 'i18next';

export function addTexts(zhCN: object, en: object): void {
  const add = (lng: string, texts: object) => i18n.addResourceBundle(lng, 'translation', texts, true, false);
  add('zh-CN', zhCN);
  // English is loaded on demand (./index.ts, which adds it only when it has
  // no English yet): add these after it, never before.
  if (i18n.hasResourceBundle('en', 'translation')) add('en', en);
  else {
    const added = (lng: string) => {
      if (lng !== 'en') return;
      i18n.store.off('added', added);
      add('en', en);
    };
    i18n.store.on('added', added);
  }
}
