import { defineConfig } from 'vitest/config'

/** The torture harness's own unit tests: `npx vitest run --config torture/vitest.config.ts`. */
export default defineConfig({
  test: {
    root: new URL('..', import.meta.url).pathname,
    include: ['torture/**/*.test.ts'],
    testTimeout: 60_000,
    hookTimeout: 120_000,
    maxWorkers: 2,
    pool: 'forks',
  },
})
