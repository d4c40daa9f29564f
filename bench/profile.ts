/**
 * A Db wrapper that times every statement by name (or its first words), on the pool, on sessions and inside
 * transactions, so a pipeline's wall time can be split into its statements and what happens between them.
 */
import type { Readable } from 'node:stream'
import type { Db, Queryable, Session, Statement } from '../src-main/engine/db/types.js'

export interface StatementTime {
  key: string
  count: number
  ms: number
}

export class Profile {
  private readonly times = new Map<string, StatementTime>()
  private started = performance.now()

  reset(): void {
    this.times.clear()
    this.started = performance.now()
  }

  add(key: string, ms: number): void {
    const t = this.times.get(key) ?? { key, count: 0, ms: 0 }
    t.count++
    t.ms += ms
    this.times.set(key, t)
  }

  /** Statement groups, slowest first, plus the wall time not spent waiting for any statement. */
  summary(): { wallMs: number; inStatementsMs: number; statements: StatementTime[] } {
    const statements = [...this.times.values()].sort((a, b) => b.ms - a.ms)
    return {
      wallMs: performance.now() - this.started,
      inStatementsMs: statements.reduce((n, s) => n + s.ms, 0),
      statements,
    }
  }
}

function keyOf(statement: string | Statement): string {
  if (typeof statement !== 'string' && statement.name) return statement.name
  const text = (typeof statement === 'string' ? statement : statement.text).replace(/\s+/g, ' ').trim()
  return text.split(' ').slice(0, 4).join(' ')
}

function timedQueryable<Q extends Queryable>(target: Q, profile: Profile): Q {
  return Object.assign(Object.create(target) as Q, {
    query: async (statement: string | Statement, values?: readonly unknown[]) => {
      const t0 = performance.now()
      try {
        return await target.query(statement, values)
      } finally {
        profile.add(keyOf(statement), performance.now() - t0)
      }
    },
    exec: async (script: string) => {
      const t0 = performance.now()
      try {
        return await target.exec(script)
      } finally {
        profile.add(keyOf(script), performance.now() - t0)
      }
    },
  })
}

/** `db` with every statement timed into `profile` (transactions' BEGIN/COMMIT appear as "transaction"). */
export function profiled(db: Db, profile: Profile): Db {
  const transaction =
    (target: Pick<Db, 'transaction'>): Db['transaction'] =>
    (fn, options) => {
      const t0 = performance.now()
      let inner = 0
      return target
        .transaction(async (tx) => {
          const t1 = performance.now()
          try {
            return await fn(timedQueryable(tx, profile))
          } finally {
            inner = performance.now() - t1
          }
        }, options)
        .finally(() => profile.add('transaction (BEGIN + COMMIT)', performance.now() - t0 - inner))
    }
  const timed = <T>(key: string, fn: () => Promise<T>) => {
    const t0 = performance.now()
    return fn().finally(() => profile.add(key, performance.now() - t0))
  }
  return Object.assign(timedQueryable(db, profile), {
    transaction: transaction(db),
    session: async (): Promise<Session> => {
      const session = await timed('session (checkout/connect)', () => db.session())
      return Object.assign(timedQueryable(session, profile), {
        transaction: transaction(session),
        tryLock: (a: number, b: number, release?: readonly number[]) =>
          timed('advisory lock', () => session.tryLock(a, b, release)),
        unlock: (a: number, b: number) => timed('advisory unlock', () => session.unlock(a, b)),
        copyOut: (sql: string): Readable => session.copyOut(sql),
      })
    },
  })
}
