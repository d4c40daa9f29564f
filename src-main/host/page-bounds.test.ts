import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { ITEM_BYTES, PAGE_BYTES } from '../engine/ops/page-bounds.js'
import { backends, type Scratch } from '../test-support/scratch.js'
import { type TestHost, testHost } from './test-host.js'

const MB = 1024 * 1024

describe.each(backends)('pages bounded in bytes on $name', ({ scratch }) => {
  let s: Scratch
  let t: TestHost

  beforeAll(async () => {
    s = await scratch()
    t = await testHost(s)
  })
  afterAll(async () => {
    await t.host.close()
    await s.dispose()
  })
  beforeEach(async () => {
    await s.db.exec('TRUNCATE ops.pipeline_checkpoint, ops.pipeline_logs RESTART IDENTITY')
  })

  /** Every page of a call, following nextBefore: the ids of each page and its size as JSON. */
  async function pages(request: 'checkpoints:page' | 'logs:page') {
    const seen: { ids: number[]; bytes: number }[] = []
    let before: number | undefined
    for (let guard = 0; guard < 100; guard++) {
      const page = await t.call(request, { limit: 500, before })
      seen.push({
        ids: page.records.map((r) => r.id),
        bytes: Buffer.byteLength(JSON.stringify(page.records)),
      })
      if (page.nextBefore === null) return seen
      before = page.nextBefore
    }
    throw new Error('paging did not end')
  }

  it('cuts big checkpoint metadata to a flagged preview, bounds the page, and checkpoints:record has it all', async () => {
    // 100 rows of 100 KB, then 5 of 2–5 MB (built in SQL: the test sends none of it).
    await s.db.exec(`INSERT INTO ops.pipeline_checkpoint (pipeline_name, run_id, stage, status, metadata)
      SELECT 'p', 'run-1', 's' || g, 'completed', jsonb_build_object('blob', repeat('x', CASE WHEN g <= 100
        THEN 100000 ELSE (2 + g % 4) * ${MB} END), 'n', g) FROM generate_series(1, 105) g`)
    const walked = await pages('checkpoints:page')
    expect(walked.length).toBeGreaterThan(1)
    for (const page of walked) expect(page.bytes).toBeLessThanOrEqual(PAGE_BYTES)
    const ids = walked.flatMap((p) => p.ids)
    expect(ids).toEqual(Array.from({ length: 105 }, (_, i) => 105 - i))

    const first = await t.call('checkpoints:page', { limit: 5 })
    for (const c of first.records) {
      expect(c.metadataBytes).toBeGreaterThan(2 * MB)
      expect(Object.keys(c.metadata ?? {})).toEqual(['preview'])
      expect(String(c.metadata?.preview).length).toBe(ITEM_BYTES)
    }
    const small = await t.call('checkpoints:page', { limit: 1, before: 2 })
    expect(small.records[0]?.metadataBytes).toBeGreaterThan(100_000)

    const full = await t.call('checkpoints:record', { id: 105 })
    expect(full.metadataBytes).toBeUndefined()
    expect(full.metadata).toMatchObject({ n: 105 })
    expect(String(full.metadata?.blob).length).toBe((2 + (105 % 4)) * MB)

    const bad = await t.host.request('checkpoints:record', { id: 'x' })
    expect(bad.ok).toBe(false)
    const missing = await t.host.request('checkpoints:record', { id: 999 })
    expect(missing).toMatchObject({ ok: false, error: { message: 'no checkpoint with id 999' } })
  })

  it('leaves small metadata whole and unflagged', async () => {
    await s.db.exec(`INSERT INTO ops.pipeline_checkpoint (pipeline_name, run_id, stage, status, metadata)
      VALUES ('p', 'run-1', 's', 'failed', '{"error": "boom"}'), ('p', 'run-1', 't', 'completed', NULL)`)
    const page = await t.call('checkpoints:page', { limit: 10 })
    expect(page.records.map((c) => [c.metadata, c.metadataBytes])).toEqual([
      [null, undefined],
      [{ error: 'boom' }, undefined],
    ])
    expect(page.nextBefore).toBeNull()
  })

  it('cuts a log record’s message and metadata, bounds the page, and logs:record has it all', async () => {
    await s.db.exec(`INSERT INTO ops.pipeline_logs (level, message, logger, metadata)
      SELECT 'INFO', CASE WHEN g = 80 THEN repeat('m', 100000) ELSE 'record ' || g END, 'assay.test',
        jsonb_build_object('blob', repeat('y', CASE WHEN g = 80 THEN 3 * ${MB} ELSE 50000 END))
      FROM generate_series(1, 80) g`)
    const walked = await pages('logs:page')
    expect(walked.length).toBeGreaterThan(1)
    for (const page of walked) expect(page.bytes).toBeLessThanOrEqual(PAGE_BYTES)
    expect(walked.flatMap((p) => p.ids)).toEqual(Array.from({ length: 80 }, (_, i) => 80 - i))

    const [big] = (await t.call('logs:page', { limit: 1 })).records
    expect(big).toMatchObject({ id: 80, messageBytes: 100000, metadataBytes: expect.any(Number) })
    expect(big?.message.length).toBe(ITEM_BYTES)
    expect(big?.metadataBytes).toBeGreaterThan(3 * MB)
    expect(Object.keys(big?.metadata ?? {})).toEqual(['preview'])

    const full = await t.call('logs:record', { id: 80 })
    expect(full.message.length).toBe(100000)
    expect(String(full.metadata.blob).length).toBe(3 * MB)
    expect(full.metadataBytes).toBeUndefined()
    expect(full.messageBytes).toBeUndefined()
  })
})
