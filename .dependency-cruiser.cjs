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
  '\\.fixture\\.ts$',
  '^src-main/host/test-host\\.ts$',
  '^src-main/serve/test-server\\.ts$',
  '^src-main/engine/logs/test-logs\\.ts$',
  '^src-main/engine/monthly/test-fixture\\.ts$',
  '^src-main/engine/reliable/(fixture|expected-gold)\\.ts$',
].join('|')

/** A forbidden import: from files matching `from` to files matching `to`, with why. */
const forbid = (name, comment, from, to) => ({ name, comment, severity: 'error', from, to })

module.exports = {
  forbidden: [
    forbid(
      'engine-imports-no-shell-or-host',
      'The engine serves the CLI, the desktop app and the browser twin alike: it imports none of them.',
      { path: '^src-main/engine/', pathNot: TEST },
      { path: '^src-main/(host|cli|desktop|serve)/' },
    ),
    forbid(
      'db-is-the-bottom',
      'engine/db is the driver layer: pipelines, ops and logs build on it, never the other way round.',
      { path: '^src-main/engine/db/', pathNot: TEST },
      { path: '^src-main/engine/(ingest|silver|monthly|reliable|ops|logs|log|status|demo)/' },
    ),
    forbid(
      'host-imports-no-shell',
      'The host (handlers, jobs, event bus) is shared by the desktop app and `assay serve`.',
      { path: '^src-main/host/', pathNot: TEST },
      { path: '^src-main/(cli|desktop|serve)/' },
    ),
    forbid(
      'shells-are-separate',
      'The CLI, the desktop app and the browser twin do not import each other.',
      // `assay serve` is the CLI command that starts the browser twin.
      { path: '^src-main/(cli|desktop|serve)/', pathNot: `${TEST}|^src-main/cli/commands/serve\\.ts$` },
      { path: '^src-main/(cli|desktop|serve)/', pathNot: '^src-main/$1/' },
    ),
    forbid(
      'renderer-sees-only-shared',
      'The renderer talks to main only through the contract in src-shared.',
      { path: '^src-renderer/' },
      { path: '^src-main/' },
    ),
    forbid(
      'renderer-no-node',
      'The renderer runs sandboxed in a browser: no Node built-ins.',
      { path: '^src-renderer/', pathNot: TEST },
      { dependencyTypes: ['core'] },
    ),
    forbid(
      'shared-is-a-leaf',
      'src-shared is imported by both sides and imports neither.',
      { path: '^src-shared/' },
      { path: '^src-(main|renderer)/' },
    ),
    forbid(
      'product-imports-no-test-support',
      'Test kits (test-support, torture, e2e, bench, fixtures) never ship.',
      { path: PRODUCT, pathNot: `${TEST}|${TEST_HELPERS}` },
      { path: `${TEST}|${TEST_HELPERS}` },
    ),
    forbid(
      'no-circular',
      'Modules that import each other cannot be understood (or changed) one at a time.',
      {},
      // Through runtime imports: a cycle of type-only imports is erased at compile time.
      { circular: true, viaOnly: { dependencyTypesNot: ['type-only'] } },
    ),
    forbid('not-to-unresolvable', 'An import that resolves to no file.', {}, { couldNotResolve: true }),
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
