import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { backends, type Scratch } from '../../test-support/scratch.js'
import type { Db, Queryable, Session, Statement, Tx } from '../db/types.js'
import { faults } from '../faults.js'
import { runMonthly } from './index.js'
import { expectedGold, makeFixture, readGold, resetFixture } from './test-fixture.js'

interface Recorded {
  text: string
  values: readonly unknown[] | undefined
}

/** Written on a timer, not per month: the log sink's batches and the run's throttled progress. */
const TIMED = /ops\.pipeline_logs|UPDATE ops\.pipeline_runs SET done = /

/** A Db that records every statement it and its sessions and transactions run (timed writes excluded). */
function recording(db: Db): { db: Db; statements: Recorded[] } {
  const statements: Recorded[] = []
  const note = (statement: string | Statement, values?: readonly unknown[]) => {
    const text = typeof statement === 'string' ? statement : statement.text
    if (!TIMED.test(text))
      statements.push({ text, values: typeof statement === 'string' ? values : (statement.values ?? values) })
  }
  const wrap = <Q extends Queryable>(target: Q): Q =>
    Object.assign(Object.create(target) as Q, {
      query: (statement: string | Statement, values?: readonly unknown[]) => {
        note(statement, values)
        return target.query(statement, values)
      },
      exec: (script: string) => {
        note(script)
        return target.exec(script)
      },
    })
  const transaction =
    (target: Pick<Db, 'transaction'>): Db['transaction'] =>
    (fn, options) => {
      note(`BEGIN ${JSON.stringify(options ?? {})}`)
      return target.transaction((tx: Tx) => fn(wrap(tx)), options)
    }
  const wrapped = Object.assign(wrap(db), {
    transaction: transaction(db),
    session: async (): Promise<Session> => {
      const session = await db.session()
      return Object.assign(wrap(session), { transaction: transaction(session) })
    },
  })
  return { db: wrapped, statements }
}

const logDir = mkdtempSync(join(tmpdir(), 'assay-fault-path-'))
const fixture = makeFixture()
const UPSERT = /INSERT INTO gold\.fact_sales_monthly/

/**
 * Issue 11 item 8: the torture suite slows months down with `month:*:delay:<ms>`. That must not put the month's
 * write on another path: the statements a run executes are the same, in the same order, with and without the
 * delay; only the upsert's delay parameter differs.
 */
describe.each(backends)('monthly fault path on $name', ({ scratch }) => {
  let s: Scratch
  beforeAll(async () => {
    s = await scratch()
  })
  afterAll(async () => {
    faults.set([])
    rmSync(logDir, { recursive: true, force: true })
    await s?.dispose()
  })
  beforeEach(async () => {
    faults.set([])
    await resetFixture(s.db, fixture)
  })

  async function runRecorded(delay: number): Promise<Recorded[]> {
    faults.set(delay > 0 ? [{ target: 'month:*', kind: 'delay', n: delay }] : [])
    await resetFixture(s.db, fixture)
    const { db, statements } = recording(s.db)
    const summary = await runMonthly(
      db,
      { scope: { kind: 'pending' }, force: false },
      { trigger: 'cli', stdout: 'none', logDir },
    )
    expect(summary.status).toBe('completed')
    expect(await readGold(s.db)).toEqual(expectedGold(fixture))
    return statements
  }

  it('runs the same statements with and without the delay hook; the delay is a parameter of the one write', async () => {
    const plain = await runRecorded(0)
    const delayed = await runRecorded(30)
    expect(delayed.map((r) => r.text)).toEqual(plain.map((r) => r.text))
    const writes = (statements: Recorded[]) => statements.filter((r) => UPSERT.test(r.text))
    expect(writes(plain)).toHaveLength(13)
    expect(writes(plain).every((r) => r.values?.at(-1) === 0)).toBe(true)
    expect(writes(delayed).every((r) => r.values?.at(-1) === 30)).toBe(true)
    // The statement itself sleeps: nothing else does.
    expect(delayed.filter((r) => /pg_sleep/.test(r.text)).every((r) => UPSERT.test(r.text))).toBe(true)
  })

  it('the delay really is served inside the write', async () => {
    faults.set([{ target: 'month:2011-03', kind: 'delay', n: 400 }])
    const started = performance.now()
    const summary = await runMonthly(
      s.db,
      { scope: { kind: 'month', year: 2011, month: 3 }, force: false },
      { trigger: 'cli', stdout: 'none', logDir },
    )
    expect(summary.status).toBe('completed')
    expect(performance.now() - started).toBeGreaterThanOrEqual(400)
  })
})
