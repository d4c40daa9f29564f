/**
 * The import boundaries (docs/architecture.md): shells (cli, desktop, serve) → host → engine → db, the renderer
 * sees only src-shared, src-shared sees nothing of ours, and no product file imports test support.
 * `npm run check:boundaries`; runs in CI after lint.
 */
const TEST = '(\\.test\\.tsx?$|^src-main/test-support/|^e2e/|^torture/|^bench/|^test/)'
/** Product code: everything under src-* that is not a test or a test helper. */
const PRODUCT = '^src-(main|shared|renderer)/'
/** Test helpers that live next to the code they serve (not *.test.ts, but never imported by product code). */
const TEST_HELPERS = [
  '^src-main/host/test-host\\.ts$',
  '^src-main/engine/logs/test-logs\\.ts$',
  '^src-main/engine/monthly/test-fixture\\.ts$',
  '^src-main/engine/reliable/(fixture|expected-gold)\\.ts$',
].join('|')

module.exports = {
  forbidden: [
    {
      name: 'engine-imports-no-shell-or-host',
      comment:
        'The engine serves the CLI, the desktop app and the browser twin alike: it imports none of them.',
      severity: 'error',
      from: { path: '^src-main/engine/', pathNot: TEST },
      to: { path: '^src-main/(host|cli|desktop|serve)/' },
    },
    {
      name: 'db-is-the-bottom',
      comment:
        'engine/db is the driver layer: pipelines, ops and logs build on it, never the other way round.',
      severity: 'error',
      from: { path: '^src-main/engine/db/', pathNot: TEST },
      to: {
        path: '^src-main/engine/(ingest|silver|monthly|reliable|ops|logs|log|status|demo)/',
      },
    },
    {
      name: 'host-imports-no-shell',
      comment: 'The host (handlers, jobs, event bus) is shared by the desktop app and `assay serve`.',
      severity: 'error',
      from: { path: '^src-main/host/', pathNot: TEST },
      to: { path: '^src-main/(cli|desktop|serve)/' },
    },
    {
      name: 'shells-are-separate',
      comment: 'The CLI, the desktop app and the browser twin do not import each other.',
      severity: 'error',
      // `assay serve` is the CLI command that starts the browser twin.
      from: { path: '^src-main/(cli|desktop|serve)/', pathNot: `${TEST}|^src-main/cli/commands/serve\\.ts$` },
      to: { path: '^src-main/(cli|desktop|serve)/', pathNot: '^src-main/$1/' },
    },
    {
      name: 'renderer-sees-only-shared',
      comment: 'The renderer talks to main only through the contract in src-shared.',
      severity: 'error',
      from: { path: '^src-renderer/' },
      to: { path: '^src-main/' },
    },
    {
      name: 'renderer-no-node',
      comment: 'The renderer runs sandboxed in a browser: no Node built-ins.',
      severity: 'error',
      from: { path: '^src-renderer/', pathNot: TEST },
      to: { dependencyTypes: ['core'] },
    },
    {
      name: 'shared-is-a-leaf',
      comment: 'src-shared is imported by both sides and imports neither.',
      severity: 'error',
      from: { path: '^src-shared/' },
      to: { path: '^src-(main|renderer)/' },
    },
    {
      name: 'product-imports-no-test-support',
      comment: 'Test kits (test-support, torture, e2e, bench, fixtures) never ship.',
      severity: 'error',
      from: { path: PRODUCT, pathNot: `${TEST}|${TEST_HELPERS}` },
      to: { path: `${TEST}|${TEST_HELPERS}` },
    },
    {
      name: 'no-circular',
      comment: 'Modules that import each other cannot be understood (or changed) one at a time.',
      severity: 'error',
      from: {},
      // Through runtime imports: a cycle of type-only imports is erased at compile time.
      to: { circular: true, viaOnly: { dependencyTypesNot: ['type-only'] } },
    },
    {
      name: 'not-to-unresolvable',
      severity: 'error',
      from: {},
      to: { couldNotResolve: true },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '(^|/)(node_modules|out|dist)/' },
    tsPreCompilationDeps: true,
    enhancedResolveOptions: {
      exportsFields: ['exports'],
      conditionNames: ['import', 'require', 'node', 'default', 'types'],
      extensions: ['.ts', '.tsx', '.js', '.mjs', '.cjs', '.d.ts'],
    },
    reporterOptions: { text: { highlightFocused: true } },
  },
}
