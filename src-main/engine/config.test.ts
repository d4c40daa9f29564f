import { describe, expect, it } from 'vitest'
import { defaultDataDir, describeConfig, resolveDbConfig } from './config.js'
import { UsageError } from './errors.js'

describe('resolveDbConfig', () => {
  it('defaults to the embedded database in the per-user data folder', () => {
    const config = resolveDbConfig({}, { XDG_DATA_HOME: '/home/u/.data' })
    expect(config).toEqual({ kind: 'pglite', dataDir: '/home/u/.data/assay/db', source: 'default' })
  })

  it('uses ASSAY_DATA_DIR when set', () => {
    expect(resolveDbConfig({}, { ASSAY_DATA_DIR: '/srv/assay' })).toMatchObject({
      kind: 'pglite',
      dataDir: '/srv/assay',
    })
  })

  it('reads the DB_* variables users already have', () => {
    const config = resolveDbConfig(
      {},
      { DB_HOST: 'db.example', DB_PORT: '5433', DB_NAME: 'retail_db', DB_USER: 'etl', DB_PASSWORD: 's3cret' },
    )
    expect(config).toEqual({
      kind: 'postgres',
      host: 'db.example',
      port: 5433,
      database: 'retail_db',
      user: 'etl',
      password: 's3cret',
      tls: { mode: 'prefer', source: 'default' },
      source: 'DB_* settings',
    })
    expect(describeConfig(config)).toBe('postgres etl@db.example:5433/retail_db')
    expect(describeConfig(config)).not.toContain('s3cret')
  })

  it('prefers DATABASE_URL over DB_* and flags over both', () => {
    const env = { DATABASE_URL: 'postgres://a:b@h1:5432/d1', DB_HOST: 'h2' }
    expect(resolveDbConfig({}, env)).toMatchObject({ host: 'h1', database: 'd1', user: 'a', password: 'b' })
    expect(resolveDbConfig({ databaseUrl: 'postgresql://h3/d3' }, env)).toMatchObject({
      host: 'h3',
      database: 'd3',
      user: 'postgres',
    })
    expect(resolveDbConfig({ embedded: true }, env)).toMatchObject({ kind: 'pglite' })
  })

  it('rejects bad settings with specific messages', () => {
    expect(() => resolveDbConfig({}, { DB_HOST: 'h', DB_PORT: 'abc' })).toThrow(
      /DB_PORT must be a port number/,
    )
    expect(() => resolveDbConfig({ databaseUrl: 'mysql://h/d' })).toThrow(/must start with postgres:\/\//)
    expect(() => resolveDbConfig({ databaseUrl: 'not a url' })).toThrow(UsageError)
    expect(() => resolveDbConfig({ databaseUrl: 'postgres://h/d', embedded: true })).toThrow(/not both/)
  })

  it('reads sslmode and certificates from the URL, then DB_SSL*, then libpq PGSSL* variables', () => {
    const url = 'postgres://u@h/d?sslmode=verify-full&sslrootcert=/ca.pem'
    expect(resolveDbConfig({}, { DATABASE_URL: url, DB_SSLMODE: 'disable' })).toMatchObject({
      tls: { mode: 'verify-full', rootCert: '/ca.pem', source: 'DATABASE_URL (sslmode)' },
    })
    expect(resolveDbConfig({}, { DB_HOST: 'h', DB_SSLMODE: 'require', PGSSLMODE: 'disable' })).toMatchObject({
      tls: { mode: 'require', source: 'DB_SSLMODE' },
    })
    expect(resolveDbConfig({ databaseUrl: 'postgres://h/d' }, { PGSSLMODE: 'verify-ca' })).toMatchObject({
      tls: { mode: 'verify-ca', source: 'PGSSLMODE' },
    })
    // libpq: require with a root certificate verifies the chain.
    expect(
      resolveDbConfig({}, { DB_HOST: 'h', DB_SSLMODE: 'require', DB_SSLROOTCERT: '/ca.pem' }),
    ).toMatchObject({
      tls: { mode: 'verify-ca', rootCert: '/ca.pem' },
    })
    expect(() => resolveDbConfig({}, { DATABASE_URL: 'postgres://h/d?sslmode=on' })).toThrow(
      'DATABASE_URL (sslmode) must be one of disable, allow, prefer, require, verify-ca, verify-full (got "on")',
    )
  })

  it('follows each platform convention for the default folder', () => {
    expect(defaultDataDir({}, 'darwin')).toMatch(/Library\/Application Support\/Assay\/db$/)
    expect(defaultDataDir({ APPDATA: 'C:\\Users\\u\\AppData\\Roaming' }, 'win32')).toContain('Assay')
  })
})
