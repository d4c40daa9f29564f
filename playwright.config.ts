import { defineConfig } from '@playwright/test'

/**
 * The e2e suite drives the browser twin (`assay serve`) in Debian's Chromium — never a downloaded browser —
 * against scratch PostgreSQL databases (see e2e/support/global-setup.ts). electron.spec.ts drives the real
 * desktop app where the Electron binary exists.
 */
export default defineConfig({
  testDir: 'e2e',
  // The installed-package test has its own config (playwright.package.config.ts, npm run test:package).
  testIgnore: ['package/**'],
  globalSetup: './e2e/support/global-setup.ts',
  timeout: 90_000,
  expect: { timeout: 15_000 },
  fullyParallel: false,
  workers: 2,
  forbidOnly: Boolean(process.env.CI),
  reporter: [['list']],
  use: {
    browserName: 'chromium',
    viewport: { width: 1280, height: 800 },
    launchOptions: {
      executablePath: process.env.ASSAY_CHROMIUM ?? '/usr/bin/chromium',
      args: [
        '--no-sandbox',
        '--disable-gpu',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
        '--no-first-run',
      ],
    },
    trace: 'retain-on-failure',
    screenshot: 'only-on-failure',
  },
})
