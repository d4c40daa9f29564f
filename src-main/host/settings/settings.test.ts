import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { type PasswordServer, startPasswordServer } from '../../test-support/password-server.js'
import {
  createScratchDatabase,
  dropScratchDatabase,
  type Scratch,
  scratchPg,
} from '../../test-support/scratch.js'
import { type TestHost, testHost } from '../test-host.js'
import { toDbConfig } from './connection-test.js'
import { readSettings } from './settings-file.js'
import { launchConfig } from './settings-service.js'

/** A reversible stand-in for safeStorage. */
const secrets = {
  encrypt: async (plain: string) => Buffer.from(`enc:${plain}`).toString('base64'),
  decrypt: async (cipher: string) => Buffer.from(cipher, 'base64').toString().replace(/^enc:/, ''),
}

/** A PostgreSQL connection to 127.0.0.1 as the settings form sends it (port 5432, user postgres unless given). */
function postgresAt(database: string, patch: { port?: number; user?: string; password?: string } = {}) {
  return { kind: 'postgres', host: '127.0.0.1', port: 5432, database, user: 'postgres', ...patch } as const
}

describe('settings', () => {
  let s: Scratch
  let t: TestHost
  let fake: PasswordServer
  let other: string

  beforeAll(async () => {
    s = await scratchPg()
    t = await testHost(s, { secrets })
    fake = await startPasswordServer()
    other = (await createScratchDatabase('assay_other')).database
  })
  afterAll(async () => {
    await t.host.close()
    await fake.close()
    await s.dispose()
    await dropScratchDatabase(other)
  })

  it('starts from defaults and saves retry policy, theme and retention in the settings file', async () => {
    const view = await t.call('settings:get')
    expect(view).toMatchObject({
      connection: null,
      retry: { maxAttempts: 4 },
      theme: 'system',
      retentionDays: 30,
    })
    expect(view.capabilities).toEqual({ secureStorage: true, saveDialog: false })
    const saved = await t.call('settings:save', {
      retry: { maxAttempts: 2, baseDelayMs: 500, maxDelayMs: 800 },
      theme: 'dark',
    })
    expect(saved).toMatchObject({ retry: { maxAttempts: 2 }, theme: 'dark' })
    expect(readSettings(t.settingsFile)).toMatchObject({ theme: 'dark', retry: { baseDelayMs: 500 } })
    expect(statSync(t.settingsFile).mode & 0o777).toBe(0o600)
    expect(
      await t.host.request('settings:save', { retry: { maxAttempts: 2, baseDelayMs: 900, maxDelayMs: 800 } }),
    ).toMatchObject({
      ok: false,
      error: { code: 'invalid_input', message: 'the cap must be at least the base delay' },
    })
  })

  it('says clearly why a connection does not work: wrong password, missing database', async () => {
    const wrong = await t.call(
      'settings:test',
      postgresAt('retail_db', { port: fake.port, user: 'analyst', password: 'not-the-password' }),
    )
    expect(wrong).toEqual({
      ok: false,
      message: `password authentication failed for user "analyst" at 127.0.0.1:${fake.port} — check the password`,
    })
    const missing = await t.call('settings:test', postgresAt('no_such_db_x'))
    expect(missing.ok).toBe(false)
    expect(missing.message).toMatch(/database "no_such_db_x" does not exist/)
    const refused = await t.host.request('settings:connect', {
      connection: postgresAt('x', { port: fake.port, user: 'analyst', password: 'nope' }),
      rememberPassword: true,
    })
    expect(refused).toMatchObject({
      ok: false,
      error: { code: 'db_connect', message: expect.stringMatching(/password authentication failed/) },
    })
    expect((await t.call('db:info')).target).toBe(`127.0.0.1:5432/${s.config!.database}`)
  })

  it('switches the console to another database, saving the password only encrypted', async () => {
    const events = t.seen.length
    const view = await t.call('settings:connect', {
      connection: postgresAt(other, { password: 's3cret-pw' }),
      rememberPassword: true,
    })
    expect(view.active.label).toBe(`postgres postgres@127.0.0.1:5432/${other}`)
    expect(view.connection).toMatchObject({ kind: 'postgres', database: other, passwordSaved: true })
    expect(JSON.stringify(view)).not.toContain('s3cret-pw')
    expect((await t.call('db:info')).target).toBe(`127.0.0.1:5432/${other}`)
    // Really the other database: it has no schemas yet.
    expect((await t.call('status:get')).next).toBe('init')
    expect(
      t.seen
        .slice(events)
        .filter((m) => m.event === 'db:connection')
        .map((m) => (m.payload as { ok: boolean }).ok),
    ).toEqual([false, true])
    const file = readFileSync(t.settingsFile, 'utf8')
    expect(file).not.toContain('s3cret-pw')
    expect(file).toContain(await secrets.encrypt('s3cret-pw'))
    // The next launch without a database of its own uses it, password decrypted; one that names a database does not.
    const shellConfig = { kind: 'pglite', dataDir: '/tmp/x', source: 'default' } as const
    expect(await launchConfig(shellConfig, { explicit: false }, t.settingsFile, { secrets })).toMatchObject({
      kind: 'postgres',
      database: other,
      password: 's3cret-pw',
    })
    expect(await launchConfig(shellConfig, { explicit: true }, t.settingsFile, { secrets })).toBe(shellConfig)
  })

  it('carries the TLS fields to the connection config, the saved settings and the test; refuses bad ones', async () => {
    const local = postgresAt(s.config!.database)
    // The local test server has no TLS: require fails with the engine's explanation, disable connects.
    const required = await t.call('settings:test', { ...local, sslmode: 'require' })
    expect(required).toEqual({
      ok: false,
      message:
        'PostgreSQL at 127.0.0.1:5432 does not accept TLS connections, but sslmode=require (from console settings) requires TLS — turn on ssl in the server, or use sslmode=prefer or disable',
    })
    expect((await t.call('settings:test', { ...local, sslmode: 'disable' })).ok).toBe(true)
    // As libpq: require with a root certificate verifies the chain.
    expect(
      toDbConfig({
        ...local,
        sslmode: 'require',
        sslrootcert: '/ca.pem',
        sslcert: '/c.pem',
        sslkey: '/k.pem',
      }),
    ).toMatchObject({ tls: { mode: 'verify-ca', rootCert: '/ca.pem', cert: '/c.pem', key: '/k.pem' } })
    expect(toDbConfig(local)).not.toHaveProperty('tls', expect.anything())
    // Saved with the connection, shown back, and used by the next launch.
    const view = await t.call('settings:connect', {
      connection: { ...local, sslmode: 'disable' },
      rememberPassword: false,
    })
    expect(view.connection).toMatchObject({ kind: 'postgres', sslmode: 'disable' })
    expect(readSettings(t.settingsFile).connection).toMatchObject({ sslmode: 'disable' })
    const shellConfig = { kind: 'pglite', dataDir: '/tmp/x', source: 'default' } as const
    expect(await launchConfig(shellConfig, { explicit: false }, t.settingsFile, { secrets })).toMatchObject({
      tls: { mode: 'disable', source: 'console settings' },
    })
    for (const bad of [{ sslmode: 'always' }, { sslrootcert: '  ' }, { sslkey: '' }]) {
      expect(await t.host.request('settings:test', { ...local, ...bad })).toMatchObject({
        ok: false,
        error: { code: 'invalid_input' },
      })
    }
  })

  it('switches to an embedded database directory and back', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'assay-embedded-'))
    expect((await t.call('settings:test', { kind: 'embedded', dataDir })).message).toMatch(
      /no database there yet/,
    )
    const view = await t.call('settings:connect', {
      connection: { kind: 'embedded', dataDir },
      rememberPassword: false,
    })
    expect(view.active).toMatchObject({ kind: 'embedded', connection: { kind: 'embedded', dataDir } })
    expect(await t.call('db:info')).toMatchObject({ kind: 'pglite', target: 'embedded', connected: true })
    expect((await t.call('status:get')).next).toBe('init')
    await t.call('settings:connect', {
      connection: postgresAt(s.config!.database),
      rememberPassword: false,
    })
    expect((await t.call('db:info')).kind).toBe('postgres')
    rmSync(dataDir, { recursive: true, force: true })
  }, 60_000)

  it('does not store a password without a secret store (browser twin)', async () => {
    const twin = await testHost(s)
    try {
      const view = await twin.call('settings:connect', {
        connection: postgresAt(s.config!.database, { password: 'pw' }),
        rememberPassword: true,
      })
      expect(view.capabilities.secureStorage).toBe(false)
      expect(view.connection).toMatchObject({ passwordSaved: false })
      expect(readFileSync(twin.settingsFile, 'utf8')).not.toMatch(/pw"|password/)
    } finally {
      await twin.host.close()
    }
  })
})
