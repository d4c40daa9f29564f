import type { Db, Session, Statement } from '../engine/db/types.js'

/**
 * A Db whose statements matching `pattern` fail `times` times as if the connection had been cut just then
 * (node-postgres' own message), before reaching the server. Sessions are wrapped too.
 */
export function loseConnectionOn(db: Db, pattern: RegExp, times = 1): Db & { failures: number } {
  let left = times
  const state = { failures: 0 }
  const check = (statement: string | Statement) => {
    const text = typeof statement === 'string' ? statement : statement.text
    if (left > 0 && pattern.test(text)) {
      left--
      state.failures++
      throw new Error('Connection terminated unexpectedly')
    }
  }
  const wrapSession = (session: Session): Session => ({
    ...session,
    pid: session.pid,
    query: async (statement, values) => {
      check(statement)
      return session.query(statement, values)
    },
  })
  return new Proxy(db, {
    get(target, key, receiver) {
      if (key === 'failures') return state.failures
      if (key === 'query')
        return async (statement: string | Statement, values?: readonly unknown[]) => {
          check(statement)
          return target.query(statement, values)
        }
      if (key === 'session') return async () => wrapSession(await target.session())
      const value = Reflect.get(target, key, receiver)
      return typeof value === 'function' ? value.bind(target) : value
    },
  }) as Db & { failures: number }
}
