import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import type { StoredLogRecord } from '../../src-shared/contract.js'
import type { DbConfig } from '../engine/config.js'
import type { Db, Statement } from '../engine/db/types.js'
import { engine } from '../engine/engine.js'
import { backends, itOn, type Scratch } from '../test-support/scratch.js'
import { poll } from '../test-support/wait.js'
import { Connection } from './connection.js'
import { EventBus } from './event-bus.js'
import { LiveBridge, OPS_CHANNEL } from './live-bridge.js'
import { LogCursor } from './log-cursor.js'

const HOLE_MS = 30_000

describe.each(backends)('live log feed on $name', ({ name, scratch }) => {
  let s: Scratch
  let bridge: LiveBridge
  let connection: Connection
  let pushes: StoredLogRecord[][]
  /** The missing ids each live read asked for again. */
  let asked: number[][]
  let now: number

  const delivered = () => pushes.flat()
  const messages = () => delivered().map((r) => r.message)

  async function insert(db: Pick<Db, 'query'>, message: string): Promise<number> {
    const { rows } = await db.query<{ id: number }>(
      `INSERT INTO ops.pipeline_logs (level, message) VALUES ('INFO', $1) RETURNING id`,
      [message],
    )
    return rows[0]!.id
  }

  /** Waits for the feed to deliver `message` (the bridge reacts to the insert's NOTIFY). */
  async function arrival(message: string): Promise<void> {
    const delivered = await poll(() => messages().includes(message), { timeoutMs: 5000 })
    if (!delivered) throw new Error(`${message} was not delivered; got ${messages().join(', ')}`)
  }

  beforeAll(async () => {
    s = await scratch()
  })

  afterAll(async () => {
    await s.dispose()
  })

  beforeEach(async () => {
    pushes = []
    asked = []
    now = 0
    // The bridge reads through this view of the scratch database: closing it leaves the scratch open, and the
    // live read's parameters are recorded to see which holes it still asks about.
    const db: Db = Object.assign(Object.create(s.db), {
      close: async () => undefined,
      query: (statement: string | Statement, values?: readonly unknown[]) => {
        const missing = typeof statement === 'object' && statement.values?.[1]
        if (typeof statement === 'object' && statement.name === 'console/logs-after')
          asked.push(Array.isArray(missing) ? [...missing] : [])
        return s.db.query(statement, values)
      },
    })
    const config: DbConfig = s.config ?? { kind: 'pglite', dataDir: 'memory://', source: 'test' }
    connection = new Connection({ config, open: async () => db })
    const bus = new EventBus()
    bus.subscribe((m) => {
      if (m.event === 'log:records') pushes.push(m.payload as StoredLogRecord[])
    })
    bridge = new LiveBridge({ connection, engine, bus, debounceMs: 5, holeMs: HOLE_MS, now: () => now })
    bridge.start()
    await connection.start()
  })

  afterEach(async () => {
    await bridge.close()
    await connection.close()
  })

  itOn(name, 'postgres')(
    'delivers a record whose transaction commits after a later one was delivered',
    async () => {
      const notified: string[] = []
      const unlisten = await s.db.listen(OPS_CHANNEL, (table) => notified.push(table))
      const a = await s.db.session()
      try {
        await a.query('BEGIN')
        const early = await insert(a, 'early id, late commit')
        const late = await insert(s.db, 'late id, early commit')
        expect(early).toBeLessThan(late)
        await arrival('late id, early commit')
        const before = notified.length
        // The NOTIFY the statement trigger queued inside A is sent at its COMMIT: that makes the bridge read again.
        await a.query('COMMIT')
        await arrival('early id, late commit')
        expect(notified.slice(before)).toContain('pipeline_logs')
      } finally {
        await a.release()
        await unlisten()
      }
      await insert(s.db, 'after')
      await arrival('after')
      expect(messages()).toEqual(['late id, early commit', 'early id, late commit', 'after'])
      // Delivered, so no longer asked for.
      expect(asked.at(-1)).toEqual([])
    },
  )

  it('lets a rolled-back insert hole expire without holding back later records', async () => {
    await s.db
      .transaction(async (tx) => {
        await insert(tx, 'rolled back')
        throw new Error('roll back')
      })
      .catch(() => undefined)
    await insert(s.db, 'first')
    await arrival('first')
    await insert(s.db, 'second')
    await arrival('second')
    // The hole is asked about until it is older than the limit, then dropped.
    expect(asked.at(-1)).toHaveLength(1)
    now = HOLE_MS + 1
    await insert(s.db, 'third')
    await arrival('third')
    expect(asked.at(-1)).toEqual([])
    expect(messages()).toEqual(['first', 'second', 'third'])
  })

  it('never delivers a record twice', async () => {
    for (let i = 0; i < 5; i++) {
      await insert(s.db, `burst ${i}`)
      bridge.notify('pipeline_logs')
    }
    await arrival('burst 4')
    await insert(s.db, 'after burst')
    await arrival('after burst')
    const ids = delivered().map((r) => r.id)
    expect(new Set(ids).size).toBe(ids.length)
    expect(messages()).toEqual(['burst 0', 'burst 1', 'burst 2', 'burst 3', 'burst 4', 'after burst'])
  })
})

describe('log cursor', () => {
  it('remembers the ids a read skipped and forgets them once they arrive', () => {
    const cursor = new LogCursor(10, { holeMs: 1000, maxHoles: 100, now: () => 0 })
    cursor.saw([11, 14])
    expect(cursor.next()).toEqual({ after: 14, missing: [12, 13] })
    cursor.saw([13, 15])
    expect(cursor.next()).toEqual({ after: 15, missing: [12] })
  })

  it('drops holes after the time limit and keeps only the newest beyond the cap', () => {
    let now = 0
    const cursor = new LogCursor(0, { holeMs: 1000, maxHoles: 3, now: () => now })
    cursor.saw([6])
    expect(cursor.next().missing).toEqual([3, 4, 5])
    now = 500
    cursor.saw([8])
    expect(cursor.next().missing).toEqual([4, 5, 7])
    now = 1001
    expect(cursor.next().missing).toEqual([7])
  })
})
