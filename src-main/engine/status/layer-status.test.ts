import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { backends, type Scratch, scratchPg, suiteScratch } from '../../test-support/scratch.js'
import { migrate } from '../db/migrate.js'
import { loadDemo } from '../demo/demo.js'
import { ingestFile } from '../ingest/ingest.js'
import { buildSilver } from '../silver/build.js'
import { layerStatus } from './layer-status.js'

describe('status of an uninitialised database (postgres)', () => {
  let s: Scratch
  beforeAll(async () => {
    s = await scratchPg({ migrated: false })
  })
  afterAll(async () => {
    await s.dispose()
  })

  it('reports every table missing, the pending migrations, and assay init', async () => {
    const status = await layerStatus(s.db)
    expect(status.schema.pending).toHaveLength(status.schema.migrations)
    expect(status.tables.every((t) => !t.exists && t.rows === null)).toBe(true)
    expect(status.nextSteps).toEqual([
      { why: expect.stringMatching(/migration\(s\) pending/), commands: ['assay init'] },
    ])
    expect(status.complete).toBe(false)
  })

  it('makes demo, ingest and silver refuse with "run: assay init"', async () => {
    await expect(loadDemo(s.db, { scale: 0.01, seed: 1 })).rejects.toThrow(/run: assay init/)
    await expect(buildSilver(s.db)).rejects.toThrow(/run: assay init/)
    const csv = new URL('../../../test/fixtures/ingest/online-retail-sample.csv', import.meta.url).pathname
    await expect(ingestFile(s.db, csv)).rejects.toThrow(/run: assay init/)
  })

  it('after assay init, points at demo or ingest', async () => {
    await migrate(s.db)
    const status = await layerStatus(s.db)
    expect(status.schema.pending).toEqual([])
    expect(status.nextSteps).toEqual([
      {
        why: 'bronze.raw_transactions is empty',
        commands: ['assay demo --scale 0.2', 'assay ingest <file>'],
      },
    ])
  })
})

describe.each(backends)('status on $name', ({ scratch }) => {
  const s = suiteScratch(scratch)

  it('walks from empty to full: demo, then silver, then the gold pipelines', async () => {
    let status = await layerStatus(s.db)
    expect(status.tables.every((t) => t.exists)).toBe(true)
    expect(status.tables.find((t) => t.name === 'bronze.raw_transactions')?.rows).toBe(0)
    expect(status.nextSteps[0]?.commands[0]).toBe('assay demo --scale 0.2')

    await loadDemo(s.db, { scale: 0.01, seed: 3 })
    status = await layerStatus(s.db)
    expect(status.tables.find((t) => t.name === 'bronze.raw_transactions')?.rows).toBe(5_400)
    expect(status.bronzeSources).toEqual([
      {
        sourceFile: 'demo:scale=0.01:seed=3',
        rows: 5_400,
        firstDate: expect.stringMatching(/^2010-12/),
        lastDate: expect.stringMatching(/^2011-12/),
      },
    ])
    expect(status.nextSteps).toEqual([
      { why: expect.stringContaining('silver.dim_date'), commands: ['assay silver'] },
    ])

    await buildSilver(s.db)
    status = await layerStatus(s.db)
    expect(status.nextSteps.map((step) => step.commands)).toEqual([['assay monthly'], ['assay reliable']])
    const json = JSON.parse(JSON.stringify(status))
    expect(json.tables.find((t: { name: string }) => t.name === 'ops.silver_months').rows).toBe(13)
  })
})
