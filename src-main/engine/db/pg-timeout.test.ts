import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { testServer } from '../../test-support/scratch.js'
import { TcpProxy } from '../../test-support/tcp-proxy.js'
import { classifyError, isConnectionLoss } from './error-class.js'
import { PgDb, queryTimeoutMs } from './pg.js'

/**
 * Regression (torture suite, outage/blackhole-long): a connection that went silent — the server gone, the network
 * path still acknowledging — hung `assay monthly` for ever. Statements now give up after ASSAY_QUERY_TIMEOUT_MS
 * with a connection loss the retry policy treats as transient, and the dead connection is not reused.
 */
describe('PgDb query timeout', () => {
  let proxy: TcpProxy
  let db: PgDb
  const saved = process.env.ASSAY_QUERY_TIMEOUT_MS

  beforeAll(async () => {
    const server = testServer()
    proxy = await TcpProxy.start({ host: server.host, port: server.port })
    process.env.ASSAY_QUERY_TIMEOUT_MS = '400'
    db = await PgDb.open({ ...server, host: '127.0.0.1', port: proxy.port }, { max: 2 })
  })
  afterAll(async () => {
    process.env.ASSAY_QUERY_TIMEOUT_MS = saved
    await db.close()
    await proxy.close()
  })

  it('reads its default and the environment', () => {
    expect(queryTimeoutMs({})).toBe(600_000)
    expect(queryTimeoutMs({ ASSAY_QUERY_TIMEOUT_MS: '1500' })).toBe(1500)
    expect(() => queryTimeoutMs({ ASSAY_QUERY_TIMEOUT_MS: 'soon' })).toThrow(
      'ASSAY_QUERY_TIMEOUT_MS must be a whole number of milliseconds from 100 to 86,400,000 (got "soon")',
    )
  })

  it('a statement on a silent connection fails as a transient connection loss, and the pool recovers', async () => {
    await db.query('SELECT 1')
    await proxy.begin('blackhole')
    const started = Date.now()
    const error = await db.query('SELECT 1').catch((e: unknown) => e)
    expect(Date.now() - started).toBeLessThan(5000)
    expect((error as Error).message).toMatch(/Query read timeout/)
    expect(isConnectionLoss(error)).toBe(true)
    expect(classifyError(error)).toMatchObject({ transient: true, kind: 'connection lost' })
    await proxy.end()
    expect((await db.query<{ n: number }>('SELECT 2 AS n')).rows[0]?.n).toBe(2)
  })

  it('a session and a transaction on a silent connection fail instead of hanging', async () => {
    const session = await db.session()
    await session.query('SELECT 1')
    await proxy.begin('blackhole')
    await expect(session.transaction((tx) => tx.query('SELECT 1'))).rejects.toThrow(/Query read timeout/)
    await expect(session.tryLock(1, 2)).rejects.toThrow(/Query read timeout/)
    await session.release(true)
    await proxy.end()
    await expect(db.transaction((tx) => tx.query('SELECT 3'))).resolves.toMatchObject({ rowCount: 1 })
  })
})
