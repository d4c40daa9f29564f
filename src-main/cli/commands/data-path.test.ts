import { spawnSync } from 'node:child_process'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { PostgresConfig } from '../../engine/config.js'
import { assayCli } from '../../test-support/built-cli.js'
import { createScratchDatabase, dropScratchDatabase } from '../../test-support/scratch.js'

const ROOT = fileURLToPath(new URL('../../../', import.meta.url))
const SAMPLE = join(ROOT, 'test/fixtures/ingest/online-retail-sample.csv')
const HEADER = 'InvoiceNo,StockCode,Description,Quantity,InvoiceDate,UnitPrice,CustomerID,Country'

interface Run {
  code: number | null
  stdout: string
  stderr: string
}

/** Runs the real CLI in a child process, with only the connection settings we give it. */
function assay(env: Record<string, string>, ...args: string[]): Run {
  const clean = Object.fromEntries(
    Object.entries(process.env).filter(
      ([k]) => !/^(DATABASE_URL|DB_[A-Z]+|ASSAY_DB|ASSAY_DATA_DIR)$/.test(k),
    ),
  )
  const result = spawnSync(process.execPath, [assayCli(), ...args], {
    cwd: ROOT,
    env: { ...clean, ...env },
    encoding: 'utf8',
    timeout: 120_000,
  })
  return { code: result.status, stdout: result.stdout, stderr: result.stderr }
}

let dir: string
let pg: PostgresConfig
let env: Record<string, string>

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'assay-cli-'))
  pg = await createScratchDatabase('assay_cli')
  env = { DATABASE_URL: `postgres://${pg.user}@${pg.host}:${pg.port}/${pg.database}` }
})
afterAll(async () => {
  await dropScratchDatabase(pg.database)
  rmSync(dir, { recursive: true, force: true })
})

// Each child process is a whole CLI run (several seconds on a loaded CI machine): generous timeouts.
describe('assay ingest / demo / silver / status (CLI, PostgreSQL)', { timeout: 180_000 }, () => {
  it('exits 2 for a missing file argument and for an unsupported extension', () => {
    const missing = assay(env, 'ingest')
    expect(missing.code).toBe(2)
    expect(missing.stderr).toMatch(/missing required argument 'file'/)
    const json = join(dir, 'data.json')
    writeFileSync(json, '{}')
    const wrong = assay(env, 'ingest', json)
    expect(wrong.code).toBe(2)
    expect(wrong.stderr).toMatch(/supported: \.csv, \.xlsx/)
    expect(wrong.stderr).not.toMatch(/ at /)
  })

  it('says to run assay init before anything is set up', () => {
    const run = assay(env, 'silver')
    expect(run.code).toBe(1)
    expect(run.stderr).toMatch(/run: assay init/)
  })

  it('exits 0 for a clean file, 0 again for the same content, 3 with rejected lines, 1 for a refused file', () => {
    expect(assay(env, 'init').code).toBe(0)
    const first = assay(env, 'ingest', SAMPLE)
    expect(first.code).toBe(0)
    expect(first.stdout).toMatch(/loaded 10 lines from online-retail-sample\.csv .* day-first dates/)
    const again = assay(env, 'ingest', SAMPLE)
    expect(again.code).toBe(0)
    expect(again.stdout).toMatch(/already ingested on .* as online-retail-sample\.csv/)

    const partial = join(dir, 'partial.csv')
    writeFileSync(partial, `${HEADER}\n1,A,x,1,13/12/2010 8:26,1,,UK\n2,A,x,six,13/12/2010 8:26,1,,UK\n`)
    const rejected = assay(env, 'ingest', partial)
    expect(rejected.code).toBe(3)
    expect(rejected.stdout).toMatch(/rejected 1 line\(s\):[\s\S]*line 3: quantity is not a whole number/)

    const headerOnly = join(dir, 'header-only.csv')
    writeFileSync(headerOnly, `${HEADER}\n`)
    const refused = assay(env, 'ingest', headerOnly)
    expect(refused.code).toBe(1)
    expect(refused.stderr).toMatch(
      /error: header-only\.csv has a header but no data lines; nothing was written/,
    )
  })

  it('runs demo, silver and status, with usage errors for bad flags', () => {
    expect(assay(env, 'demo', '--scale', '20').code).toBe(2)
    const demo = assay(env, 'demo', '--scale', '0.01', '--seed', '5')
    expect(demo.code).toBe(0)
    expect(demo.stdout).toMatch(/loaded 5,400 demo lines .* demo:scale=0\.01:seed=5[\s\S]*13 months/)
    expect(assay(env, 'demo', '--scale', '0.01', '--seed', '5').stdout).toMatch(/already holds/)
    const silver = assay(env, 'silver')
    expect(silver.code).toBe(0)
    expect(silver.stdout).toMatch(/silver\.fact_sales_daily .* inserted/)
    expect(assay(env, 'silver').stdout).toMatch(/bronze unchanged since the last build: no month changed/)
    expect(assay(env, 'silver', '--full').stdout).toMatch(/full build \(--full\)[\s\S]*no month changed/)
    const status = assay(env, 'status')
    expect(status.code).toBe(0)
    expect(status.stdout).toMatch(/silver\.fact_sales_daily\s+[\d,]+ rows[\s\S]*next: assay monthly/)
    const json = JSON.parse(assay(env, 'status', '--json').stdout)
    expect(json.schema.pending).toEqual([])
    expect(json.nextSteps.map((s: { commands: string[] }) => s.commands[0])).toEqual([
      'assay monthly',
      'assay reliable',
    ])
  })
})

describe('assay on the embedded database (CLI)', { timeout: 180_000 }, () => {
  it('initialises, ingests and reports status', () => {
    const embedded = { ASSAY_DB: 'embedded', ASSAY_DATA_DIR: join(dir, 'db') }
    expect(assay(embedded, 'init').code).toBe(0)
    expect(assay(embedded, 'ingest', SAMPLE).code).toBe(0)
    const status = assay(embedded, 'status')
    expect(status.stdout).toMatch(/bronze\.raw_transactions\s+10 rows[\s\S]*next: assay silver/)
  })
})
