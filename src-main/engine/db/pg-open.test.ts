import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { testServer } from '../../test-support/scratch.js'
import { TcpProxy } from '../../test-support/tcp-proxy.js'
import { PgDb } from './pg.js'

/**
 * Regression (torture suite, pg_terminate_backend / server restart at start-up): a connection cut as it opened
 * (57P01, reset, refused while the server restarts) failed the CLI before any retry policy was in force. The
 * first connection now gets three more tries over ~1.75 s; permanent failures still fail at once.
 */
describe('PgDb.open', () => {
  const server = testServer()
  let proxy: TcpProxy
  beforeAll(async () => {
    proxy = await TcpProxy.start({ host: server.host, port: server.port })
  })
  afterAll(async () => {
    await proxy.close()
  })
  const viaProxy = () => ({ ...server, host: '127.0.0.1', port: proxy.port })

  it.each(['reset', 'refuse'] as const)(
    'connects once a short %s outage at start-up is over',
    async (kind) => {
      await proxy.begin(kind)
      setTimeout(() => void proxy.end(), 400)
      const db = await PgDb.open(viaProxy())
      try {
        expect((await db.query<{ n: number }>('SELECT 1 AS n')).rows[0]?.n).toBe(1)
      } finally {
        await db.close()
      }
    },
  )

  it('gives up on a server that stays down, with the specific message', async () => {
    await proxy.begin('refuse')
    try {
      const started = Date.now()
      await expect(PgDb.open(viaProxy())).rejects.toThrow(
        `cannot reach PostgreSQL at 127.0.0.1:${proxy.port}: connection refused — is the server running?`,
      )
      expect(Date.now() - started).toBeGreaterThanOrEqual(1700)
    } finally {
      await proxy.end()
    }
  })

  it('fails at once when the database does not exist', async () => {
    const started = Date.now()
    await expect(PgDb.open({ ...server, database: 'assay_open_no_such_db' })).rejects.toMatchObject({
      code: 'db_missing',
    })
    expect(Date.now() - started).toBeLessThan(1000)
  })
})
