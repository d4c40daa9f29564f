import { defineConfig } from 'vitest/config'

export default defineConfig({
  test: {
    include: [
      'src-main/**/*.test.ts',
      'src-shared/**/*.test.ts',
      'src-renderer/**/*.test.{ts,tsx}',
      'test/**/*.test.ts',
      'torture/**/*.test.ts',
    ],
    // Tests that spawn `assay` run the built CLI (out/main/cli.js): built once here if stale.
    // Builds the CLI and the run's migrated template database (test-support/templates.ts).
    globalSetup: ['src-main/test-support/vitest-global-setup.ts'],
    // Fails a test file that leaves a pg pool open.
    setupFiles: ['src-main/test-support/vitest-pools.ts'],
    testTimeout: 60_000,
    hookTimeout: 120_000,
    // Integration tests each create their own scratch database; two cores, so keep parallelism modest.
    maxWorkers: 2,
    pool: 'forks',
  },
})
