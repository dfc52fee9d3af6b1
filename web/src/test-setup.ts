import '@testing-library/jest-dom/vitest';
import i18n from './i18n';
import en from './i18n/en';

i18n.addResourceBundle('en', 'translation', en);
