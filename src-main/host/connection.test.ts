import { describe, expect, it } from 'vitest'
import type { DbConnection } from '../../src-shared/contract.js'
import type { PostgresConfig } from '../engine/config.js'
import type { Db } from '../engine/db/types.js'
import { Connection } from './connection.js'

const config: PostgresConfig = {
  kind: 'postgres',
  host: 'db.example',
  port: 5432,
  database: 'retail_db',
  user: 'postgres',
  source: 'test',
}

function refused(): Error {
  return Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' })
}

/** A database whose server can be switched off and on. */
function flakyDb() {
  const server = { up: true, closed: false }
  const db = {
    capabilities: {
      canCancelStatements: true,
      locksInSql: true,
      blocksEventLoop: false,
      asyncCommit: true,
      canLoseConnection: true,
    },
    label: 'postgres postgres@db.example:5432/retail_db',
    query: async () => {
      if (!server.up) throw refused()
      return { rows: [{ '?column?': 1 }], rowCount: 1 }
    },
    close: async () => {
      server.closed = true
    },
  } as unknown as Db
  return { db, server }
}

describe('Connection', () => {
  it('reports a lost server with a specific message and recovers when it returns', async () => {
    const { db, server } = flakyDb()
    const connection = new Connection({ config, open: async () => db, pingMs: 60_000 })
    const states: DbConnection[] = []
    let ups = 0
    connection.onChange((s) => states.push(s))
    connection.onUp(() => {
      ups++
    })
    await connection.start()
    expect(connection.info()).toMatchObject({ connected: true, target: 'db.example:5432/retail_db' })
    server.up = false
    await connection.check()
    expect(connection.status()).toEqual({
      ok: false,
      message: 'cannot reach PostgreSQL at db.example:5432: connection refused — is the server running?',
    })
    expect(() => connection.db()).toThrow(/cannot reach PostgreSQL at db.example:5432/)
    server.up = true
    await connection.check()
    expect(connection.status().ok).toBe(true)
    expect(states.map((s) => s.ok)).toEqual([true, false, true])
    expect(ups).toBe(2)
    await connection.close()
    expect(server.closed).toBe(true)
  })

  it('a switch of database is reported as a switch, not as an outage', async () => {
    const { db } = flakyDb()
    const connection = new Connection({ config, open: async () => db, pingMs: 60_000 })
    const states: DbConnection[] = []
    connection.onChange((s) => states.push(s))
    await connection.start()
    await connection.reopen({ ...config, database: 'other_db' })
    expect(states[1]).toMatchObject({
      ok: false,
      switching: true,
      message: expect.stringMatching(/^switching to /),
    })
    expect(states.at(-1)).toMatchObject({ ok: true })
    expect(states.at(-1)?.switching).toBeUndefined()
    await connection.close()
  })

  it('keeps retrying a database it could not open at start', async () => {
    const { db } = flakyDb()
    let attempts = 0
    const connection = new Connection({
      config,
      pingMs: 60_000,
      open: async () => {
        attempts++
        if (attempts === 1) throw refused()
        return db
      },
    })
    await connection.start()
    expect(connection.info()).toMatchObject({
      connected: false,
      message: expect.stringMatching(/connection refused/),
    })
    await connection.check()
    expect(connection.info().connected).toBe(true)
    await connection.close()
  })
})
