import { defineConfig } from '@playwright/test'
import base from './playwright.config'

/**
 * `npm run test:package`: packs Assay, installs the tarball into a temporary prefix and uses it as a user
 * would, from a folder holding only a `.env` (e2e/package/install.spec.ts). Separate from the main e2e suite:
 * it needs no template database, and packing builds everything once more.
 */
export default defineConfig({
  ...base,
  testDir: 'e2e/package',
  testIgnore: [],
  globalSetup: undefined,
  timeout: 600_000,
  workers: 1,
})
