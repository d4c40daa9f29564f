import { spawnSync } from 'node:child_process'
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { assayCli } from '../test-support/built-cli.js'

/** Records every file the process loads as a module (the bundle's entry and chunks, externals like PGlite). */
const HOOK = `import { register } from 'node:module'
register('data:text/javascript,' + encodeURIComponent(\`
import { appendFileSync } from 'node:fs'
export async function load(url, context, next) {
  if (url.startsWith('file:')) appendFileSync(process.env.ASSAY_LOAD_LOG, url + '\\\\n')
  return next(url, context)
}\`))
`
/** A string only node-postgres's code holds (its SASL handshake): present in a loaded file = pg was loaded. */
const PG_MARKER = 'SCRAM-SERVER-FIRST-MESSAGE'

let dir: string
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'assay-startup-'))
  writeFileSync(join(dir, 'hook.mjs'), HOOK)
})
afterAll(() => rmSync(dir, { recursive: true, force: true }))

/** Runs the built CLI in an empty folder and returns the files it loaded as modules. */
function loadedBy(args: string[]): { code: number | null; files: string[] } {
  const log = join(dir, `${args.join('_').replace(/\W/g, '')}.log`)
  writeFileSync(log, '')
  const result = spawnSync(process.execPath, ['--import', join(dir, 'hook.mjs'), assayCli(), ...args], {
    cwd: dir,
    env: { ...process.env, ASSAY_LOAD_LOG: log, DATABASE_URL: '' },
    encoding: 'utf8',
    timeout: 60_000,
  })
  const files = readFileSync(log, 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((url) => fileURLToPath(url))
  return { code: result.status, files }
}

const loadsPg = (files: string[]) => files.some((f) => readFileSync(f, 'utf8').includes(PG_MARKER))

describe('CLI start-up (built CLI)', () => {
  it.each([['--help'], ['--version'], ['help']])(
    '`assay %s` loads no command, engine or database driver',
    (flag) => {
      const { code, files } = loadedBy([flag])
      expect(code).toBe(0)
      expect(files[0]).toBe(assayCli())
      expect(files.filter((f) => f.includes('node_modules'))).toEqual([])
      expect(loadsPg(files)).toBe(false)
      // The entry, commander (~105 kB) and a few small shared chunks; node-postgres alone is ~400 kB.
      const bytes = files.reduce((sum, f) => sum + readFileSync(f).length, 0)
      expect(bytes).toBeLessThan(200_000)
    },
  )

  it('loads node-postgres once a command needs the database (the check above can see it)', () => {
    const { files } = loadedBy(['status', '--database-url', 'postgres://nobody@127.0.0.1:1/none', '--quiet'])
    expect(loadsPg(files)).toBe(true)
  })
})
