import pg from 'pg'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { testServer } from './scratch.js'
import { TcpProxy } from './tcp-proxy.js'
import { waitFor } from './wait.js'

const server = testServer()
let proxy: TcpProxy

function client(extra: Partial<pg.ClientConfig> = {}): pg.Client {
  const c = new pg.Client({
    host: '127.0.0.1',
    port: proxy.port,
    user: server.user,
    password: server.password,
    database: server.database,
    application_name: 'torture-proxy-test',
    ...extra,
  })
  c.on('error', () => undefined)
  return c
}

async function backends(name: string): Promise<number> {
  const admin = new pg.Client({ ...server })
  await admin.connect()
  try {
    const { rows } = await admin.query(
      'SELECT count(*)::int AS n FROM pg_stat_activity WHERE application_name = $1',
      [name],
    )
    return rows[0].n
  } finally {
    await admin.end()
  }
}

const eventually = (check: () => Promise<boolean>, ms = 3000) => waitFor('the condition', check, ms)

describe('TcpProxy', () => {
  beforeAll(async () => {
    proxy = await TcpProxy.start({ host: server.host, port: server.port })
  })
  afterAll(async () => {
    await proxy.close()
  })

  it('forwards queries', async () => {
    const c = client()
    await c.connect()
    const { rows } = await c.query('SELECT 41 + 1 AS n')
    expect(rows[0].n).toBe(42)
    await c.end()
  })

  it('refuse: new connections are refused, open ones are cut, and it listens again afterwards', async () => {
    const open = client()
    await open.connect()
    await proxy.begin('refuse')
    await expect(open.query('SELECT 1')).rejects.toThrow()
    const refused = client()
    await expect(refused.connect()).rejects.toMatchObject({ code: 'ECONNREFUSED' })
    await proxy.end()
    const again = client()
    await again.connect()
    expect((await again.query('SELECT 1 AS n')).rows[0].n).toBe(1)
    await again.end()
  })

  it('reset: open connections are reset and new ones fail until the outage ends', async () => {
    const open = client()
    await open.connect()
    await proxy.begin('reset')
    await expect(open.query('SELECT 1')).rejects.toThrow()
    await expect(client().connect()).rejects.toThrow()
    await proxy.end()
    const again = client()
    await again.connect()
    await again.end()
  })

  it('stall: a query in flight waits and completes once the outage ends', async () => {
    const c = client()
    await c.connect()
    await proxy.begin('stall')
    const started = Date.now()
    const pending = c.query('SELECT 7 AS n')
    setTimeout(() => void proxy.end(), 300)
    expect((await pending).rows[0].n).toBe(7)
    expect(Date.now() - started).toBeGreaterThanOrEqual(250)
    await c.end()
  })

  it('blackhole: the server loses the session while the client hears nothing', async () => {
    const c = client({ application_name: 'torture-blackhole', query_timeout: 800 })
    await c.connect()
    await eventually(async () => (await backends('torture-blackhole')) === 1)
    await proxy.begin('blackhole')
    await eventually(async () => (await backends('torture-blackhole')) === 0)
    await expect(c.query('SELECT 1')).rejects.toThrow(/timeout/i)
    await proxy.end()
    // Still silent after the outage: only new connections work again.
    const fresh = client()
    await fresh.connect()
    await fresh.end()
    expect(proxy.connections).toBeGreaterThanOrEqual(1)
    c.end().catch(() => undefined)
  })

  it('dropAll resets every open connection', async () => {
    const a = client()
    const b = client()
    await a.connect()
    await b.connect()
    expect(proxy.dropAll()).toBeGreaterThanOrEqual(2)
    await expect(a.query('SELECT 1')).rejects.toThrow()
    await expect(b.query('SELECT 1')).rejects.toThrow()
  })
})
