/**
 * TEST SUPPORT ONLY — a vitest setup file: every pg pool a test file opens must be closed by the time the file
 * ends. A leaked pool keeps connections (and the scratch database) alive and hides missing cleanup in product code.
 */
import pg from 'pg'
import { afterAll, expect } from 'vitest'

const open = new Set<pg.Pool>()
const Pool = pg.Pool

class TrackedPool extends Pool {
  constructor(config?: pg.PoolConfig) {
    super(config)
    open.add(this)
  }
}

pg.Pool = TrackedPool as typeof pg.Pool

afterAll(() => {
  const leaked = [...open].filter((pool) => !pool.ended)
  open.clear()
  const names = leaked.map((pool) => pool.options.database ?? '?').join(', ')
  expect(leaked.length, `pg pools left open (databases: ${names})`).toBe(0)
})
