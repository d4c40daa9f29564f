import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { runMonthly } from '../../engine/monthly/index.js'
import { defaultFixture, loadFixture } from '../../engine/reliable/fixture.js'
import { runReliable } from '../../engine/reliable/pipeline.js'
import { databaseUrl, spawnAssay } from '../../test-support/cli-process.js'
import { type Scratch, scratchPg } from '../../test-support/scratch.js'

describe('assay verify (the built CLI)', () => {
  let s: Scratch
  let dir: string
  let url: string
  const verify = async (...args: string[]) =>
    spawnAssay(['verify', '--database-url', url, ...args], {}, dir).done
  beforeAll(async () => {
    s = await scratchPg({ prefix: 'assay_verify_cli' })
    dir = mkdtempSync(join(tmpdir(), 'assay-verify-cli-'))
    url = databaseUrl(s.config!)
    await loadFixture(s.db, defaultFixture())
    const hooks = { trigger: 'cli' as const, stdout: 'none' as const, logDir: dir }
    await runMonthly(s.db, { scope: { kind: 'pending' }, force: false }, hooks)
    await runReliable(s.db, {}, hooks)
  })
  afterAll(async () => {
    await s.dispose()
    rmSync(dir, { recursive: true, force: true })
  })

  it('exits 0 when gold equals silver', async () => {
    const result = await verify()
    expect(result.stdout).toMatch(/checked 3 month\(s\)/)
    expect(result.stdout).toMatch(/clean: gold equals silver/)
    expect(result.code).toBe(0)
  })

  it('exits 1 naming the drifted month, the column and by how much, and marks it for monthly', async () => {
    await s.db.query('UPDATE gold.fact_sales_monthly SET total_products = total_products + 2 WHERE month = 1')
    const result = await verify('--year', '2011')
    expect(result.code).toBe(1)
    expect(result.stdout).toMatch(/DRIFTED\s+2011-01: gold differs in total_products/)
    expect(result.stdout).toMatch(/total_products (\d+) → (\d+) \(-2\)/)
    expect(result.stdout).toMatch(/next: assay monthly/)
    const json = JSON.parse((await verify('--json')).stdout)
    expect(json.months[0]).toMatchObject({ monthKey: '2011-01', kind: 'drifted' })
  })

  it('exits 2 on bad usage, with the reason', async () => {
    const result = await verify('--month', '3')
    expect(result.code).toBe(2)
    expect(result.stderr).toMatch(/--month needs --year/)
  })
})
