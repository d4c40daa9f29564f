import { describe, expect, it } from 'vitest'
import { backends, suiteScratch } from '../../test-support/scratch.js'
import { poll } from '../../test-support/wait.js'

describe.each(backends)('Db on $name', ({ scratch }) => {
  const s = suiteScratch(scratch)

  it('normalises values the same way on both backends', async () => {
    const { rows } = await s.db.query(
      `SELECT 42::bigint AS big, 1.50::numeric(10,2) AS num, DATE '2011-03-04' AS day,
              TIMESTAMP '2011-03-04 05:06:07.123' AS ts, '{"a":1}'::jsonb AS doc`,
    )
    expect(rows[0]).toEqual({
      big: 42,
      num: '1.50',
      day: '2011-03-04',
      ts: '2011-03-04T05:06:07.123Z',
      doc: { a: 1 },
    })
  })

  it('rolls a failed transaction back completely', async () => {
    await s.db.exec('CREATE TABLE t_tx (v int)')
    await expect(
      s.db.transaction(async (tx) => {
        await tx.query('INSERT INTO t_tx VALUES (1)')
        throw new Error('boom')
      }),
    ).rejects.toThrow('boom')
    const { rows } = await s.db.query<{ n: number }>('SELECT count(*)::int AS n FROM t_tx')
    expect(rows[0]?.n).toBe(0)
  })

  it('gives an advisory lock to one session at a time', async () => {
    const a = await s.db.session()
    const b = await s.db.session()
    try {
      expect(await a.tryLock(7, 1)).toBe(true)
      expect(await b.tryLock(7, 1)).toBe(false)
      await a.unlock(7, 1)
      expect(await b.tryLock(7, 1)).toBe(true)
    } finally {
      await a.release()
      await b.release()
    }
  })

  // Sessions go back to the pool holding what they did not unlock, hence a namespace per test.
  it('does not stack a lock the session already holds: one unlock releases it (ids of either sign)', async () => {
    const a = await s.db.session()
    const b = await s.db.session()
    try {
      for (const id of [5, -123456789]) {
        expect(await a.tryLock(8, id)).toBe(true)
        expect(await a.tryLock(8, id)).toBe(true)
        await a.unlock(8, id)
        expect(await b.tryLock(8, id)).toBe(true)
        expect(await a.tryLock(8, id)).toBe(false)
      }
    } finally {
      await a.release()
      await b.release()
    }
  })

  it('releases the locks a session is done with in the same call that takes the next', async () => {
    const a = await s.db.session()
    const b = await s.db.session()
    try {
      expect(await a.tryLock(9, 1)).toBe(true)
      expect(await a.tryLock(9, 2)).toBe(true)
      expect(await a.tryLock(9, 3, [1, 2])).toBe(true)
      expect(await b.tryLock(9, 1)).toBe(true)
      expect(await b.tryLock(9, 2)).toBe(true)
      expect(await b.tryLock(9, 3)).toBe(false)
    } finally {
      await a.release()
      await b.release()
    }
  })

  it('delivers NOTIFY from the ops triggers to a listener', async () => {
    const seen: string[] = []
    const stop = await s.db.listen('assay_ops', (payload) => seen.push(payload))
    await s.db.query(`INSERT INTO ops.pipeline_logs (level, message) VALUES ('INFO', 'hello')`)
    await poll(() => seen.length > 0, { timeoutMs: 1000 })
    await stop()
    expect(seen).toContain('pipeline_logs')
  })

  it('copies CSV in and out', async () => {
    await s.db.exec('CREATE TABLE t_copy (a int, b text)')
    const { Readable } = await import('node:stream')
    const n = await s.db.copyIn(
      'COPY t_copy (a, b) FROM STDIN (FORMAT csv)',
      Readable.from(['1,"x, y"\n2,"say ""hi"""\n']),
    )
    expect(n).toBe(2)
    const out = s.db.copyOut('COPY (SELECT a, b FROM t_copy ORDER BY a) TO STDOUT (FORMAT csv, HEADER)')
    let text = ''
    for await (const chunk of out) text += chunk.toString()
    expect(text).toBe('a,b\n1,"x, y"\n2,"say ""hi"""\n')
  })
})
