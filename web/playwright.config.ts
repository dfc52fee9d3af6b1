import { defineConfig, devices } from '@playwright/test';

// scripts/e2e.sh starts a real `signoff serve` (fresh SQLite, demo data) and,
// unless the server serves the UI itself (SIGNOFF_E2E_SERVED=1), a
// `vite preview` proxying to it; E2E_BASE_URL is where the UI is.
const baseURL = process.env.E2E_BASE_URL ?? 'http://127.0.0.1:4173';
const launchOptions = {
  executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
  args: [
    '--no-sandbox',
    '--disable-gpu',
    '--disable-quic',
    '--no-first-run',
    '--disable-background-networking',
    '--disable-component-update',
    '--disable-sync',
  ],
};

export default defineConfig({
  testDir: 'e2e',
  workers: 1,
  fullyParallel: false,
  retries: 0,
  timeout: 90_000,
  expect: { timeout: 15_000 },
  reporter: [['list']],
  outputDir: 'test-results/artifacts',
  use: {
    baseURL,
    headless: true,
    trace: 'retain-on-failure',
    screenshot: 'only-on-failure',
    actionTimeout: 15_000,
    navigationTimeout: 30_000,
    locale: 'zh-CN',
    timezoneId: 'Asia/Shanghai',
    launchOptions,
  },
  projects: [
    { name: 'desktop', testIgnore: /mobile\.spec\.ts/, use: { ...devices['Desktop Chrome'], launchOptions, viewport: { width: 1366, height: 900 } } },
    { name: 'mobile', testMatch: /mobile\.spec\.ts/, use: { ...devices['Pixel 7'], launchOptions, viewport: { width: 360, height: 780 } } },
  ],
});
