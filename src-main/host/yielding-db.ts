import type { Db, Queryable, Session } from '../engine/db/types.js'

/** Longest stretch of back-to-back statements before the event loop gets a turn. */
const SLICE_MS = 15

/**
 * PGlite runs SQL synchronously on its thread and resolves through microtasks only, so a pipeline run would
 * never let the thread's macrotasks in: no incoming request (Cancel!), no batched progress, no NOTIFY re-read
 * until the run ends. This wrapper yields to the event loop (setImmediate) before a statement whenever the
 * previous yield was more than a slice ago. PostgreSQL's driver does real I/O, so its Db is returned as is.
 */
export function yieldingDb(db: Db): Db {
  if (!db.capabilities.blocksEventLoop) return db
  let last = performance.now()
  const breathe = async () => {
    if (performance.now() - last < SLICE_MS) return
    await new Promise<void>((resolve) => setImmediate(resolve))
    last = performance.now()
  }
  const wrap = <Q extends Queryable>(target: Q): Q =>
    Object.assign(Object.create(target) as Q, {
      query: async (...args: Parameters<Queryable['query']>) => {
        await breathe()
        return target.query(...args)
      },
      exec: async (script: string) => {
        await breathe()
        return target.exec(script)
      },
    })
  const wrapTransaction =
    (target: Pick<Db, 'transaction'>): Db['transaction'] =>
    async (fn, options) => {
      await breathe()
      return target.transaction((tx) => fn(wrap(tx)), options)
    }
  return Object.assign(wrap(db), {
    transaction: wrapTransaction(db),
    session: async (): Promise<Session> => {
      const session = await db.session()
      return Object.assign(wrap(session), { transaction: wrapTransaction(session) })
    },
  })
}
