/**
 * TLS to PostgreSQL against a real TLS server: a second cluster, made by this test with initdb in a temporary
 * folder, on another port, with `ssl = on` and a certificate signed by a CA that openssl makes at test time.
 * The certificate names `localhost` only, so connecting to 127.0.0.1 is the "wrong host name" case.
 * The shared test server (127.0.0.1:5432, no TLS) is the "server without TLS" case.
 */
import { execFileSync } from 'node:child_process'
import { chownSync, existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs'
import { createServer } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { resolveDbConfig } from '../../src-main/engine/config.js'
import { PgDb } from '../../src-main/engine/db/pg.js'
import { server as plainServer } from '../../torture/db.js'
import { hasStackTrace, runAssay } from '../../torture/runner.js'

const root = mkdtempSync(join(tmpdir(), 'assay-tls-'))
const data = join(root, 'cluster')
const asRoot = process.getuid?.() === 0
let port = 0
let pgBin = ''

/** Runs a PostgreSQL tool; as root, as the postgres user (initdb and postgres refuse to run as root). */
function pgTool(tool: string, args: string[]): string {
  const command = join(pgBin, tool)
  const [cmd, argv] = asRoot ? ['runuser', ['-u', 'postgres', '--', command, ...args]] : [command, args]
  return execFileSync(cmd, argv, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], timeout: 120_000 })
}

function openssl(args: string[]): void {
  execFileSync('openssl', args, { cwd: root, stdio: ['ignore', 'ignore', 'pipe'] })
}

/** A CA (key + self-signed certificate) named `name`. */
function makeCa(name: string): void {
  openssl(['genrsa', '-out', `${name}.key`, '2048'])
  openssl([
    'req',
    '-x509',
    '-new',
    '-key',
    `${name}.key`,
    '-days',
    '2',
    '-subj',
    `/CN=${name}`,
    '-out',
    `${name}.pem`,
  ])
}

function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const probe = createServer().listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as { port: number }
      probe.close(() => resolve(port))
    })
  })
}

beforeAll(async () => {
  const versions = readdirSync('/usr/lib/postgresql').sort((a, b) => Number(b) - Number(a))
  pgBin = versions.map((v) => `/usr/lib/postgresql/${v}/bin`).find((dir) => existsSync(join(dir, 'initdb')))!
  if (!pgBin) throw new Error('initdb not found under /usr/lib/postgresql/*/bin')
  port = await freePort()
  // Our own temporary folder only: the cluster's owner must be able to write it.
  if (asRoot) chownSync(root, Number(execFileSync('id', ['-u', 'postgres'], { encoding: 'utf8' }).trim()), 0)
  makeCa('test-ca')
  makeCa('other-ca')
  openssl(['genrsa', '-out', 'server.key', '2048'])
  openssl(['req', '-new', '-key', 'server.key', '-subj', '/CN=localhost', '-out', 'server.csr'])
  writeFileSync(join(root, 'san.ext'), 'subjectAltName=DNS:localhost\n')
  openssl([
    'x509',
    '-req',
    '-in',
    'server.csr',
    '-CA',
    'test-ca.pem',
    '-CAkey',
    'test-ca.key',
    '-CAcreateserial',
    '-days',
    '2',
    '-extfile',
    'san.ext',
    '-out',
    'server.pem',
  ])
  if (asRoot) {
    const uid = Number(execFileSync('id', ['-u', 'postgres'], { encoding: 'utf8' }).trim())
    for (const f of ['server.key', 'server.pem', 'test-ca.pem']) chownSync(join(root, f), uid, 0)
  }
  execFileSync('chmod', ['600', join(root, 'server.key')])
  pgTool('initdb', ['-D', data, '-A', 'trust', '-U', 'postgres', '--no-sync'])
  writeFileSync(
    join(data, 'postgresql.auto.conf'),
    [
      `port = ${port}`,
      `listen_addresses = 'localhost'`,
      `unix_socket_directories = '${root}'`,
      'ssl = on',
      `ssl_cert_file = '${join(root, 'server.pem')}'`,
      `ssl_key_file = '${join(root, 'server.key')}'`,
      'fsync = off',
      '',
    ].join('\n'),
  )
  if (asRoot)
    chownSync(
      join(data, 'postgresql.auto.conf'),
      Number(execFileSync('id', ['-u', 'postgres'], { encoding: 'utf8' }).trim()),
      0,
    )
  pgTool('pg_ctl', ['-D', data, '-l', join(root, 'server.log'), '-w', '-t', '60', 'start'])
}, 180_000)

afterAll(() => {
  try {
    if (existsSync(join(data, 'postmaster.pid')))
      pgTool('pg_ctl', ['-D', data, '-m', 'immediate', '-w', 'stop'])
  } finally {
    rmSync(root, { recursive: true, force: true })
  }
})

const tlsUrl = (host: string, query: string) => `postgres://postgres@${host}:${port}/postgres?${query}`

/** Opens with the settings a URL gives, and says whether the session is encrypted. */
async function sessionUsesTls(url: string): Promise<boolean> {
  const config = resolveDbConfig({ databaseUrl: url }, {})
  if (config.kind !== 'postgres') throw new Error('expected postgres')
  const db = await PgDb.open(config, { max: 1 })
  try {
    const { rows } = await db.query<{ ssl: boolean }>(
      'SELECT ssl FROM pg_stat_ssl WHERE pid = pg_backend_pid()',
    )
    return rows[0]!.ssl
  } finally {
    await db.close()
  }
}

async function refusedStatus(url: string, message: string): Promise<void> {
  const result = await runAssay(['status', '--database-url', url], { timeoutMs: 60_000 })
  expect(result.stderr).toContain(`error: ${message}`)
  expect(result.code).toBe(1)
  expect(hasStackTrace(result.stderr)).toBe(false)
}

describe('TLS to PostgreSQL (a local TLS cluster made by the test)', () => {
  it('sslmode=require connects encrypted (the CLI, and the session says ssl)', async () => {
    expect(await sessionUsesTls(tlsUrl('127.0.0.1', 'sslmode=require'))).toBe(true)
    const result = await runAssay(['status', '--database-url', tlsUrl('127.0.0.1', 'sslmode=require')], {
      timeoutMs: 60_000,
    })
    expect(result.code, result.stderr).toBe(0)
    expect(result.stdout).toContain('(sslmode=require)')
  })

  it('the default (prefer) uses TLS when the server offers it, and plain text when it does not', async () => {
    expect(await sessionUsesTls(`postgres://postgres@127.0.0.1:${port}/postgres`)).toBe(true)
    const plain = `postgres://${plainServer.user}@127.0.0.1:${plainServer.port}/${plainServer.database}`
    expect(await sessionUsesTls(plain)).toBe(false)
  })

  it('sslmode=verify-full succeeds with the right CA and host name', async () => {
    const ca = join(root, 'test-ca.pem')
    expect(await sessionUsesTls(tlsUrl('localhost', `sslmode=verify-full&sslrootcert=${ca}`))).toBe(true)
  })

  it('sslmode=verify-full fails clearly when the host name is not on the certificate', () =>
    refusedStatus(
      tlsUrl('127.0.0.1', `sslmode=verify-full&sslrootcert=${join(root, 'test-ca.pem')}`),
      `the server certificate at 127.0.0.1:${port} is not issued for host "127.0.0.1" (sslmode=verify-full (from --database-url (sslmode)) checks the host name) — connect with the name on the certificate, or use sslmode=verify-ca`,
    ))

  it('sslmode=verify-full fails clearly with the wrong CA', () =>
    refusedStatus(
      tlsUrl('localhost', `sslmode=verify-full&sslrootcert=${join(root, 'other-ca.pem')}`),
      `the server certificate at localhost:${port} is not signed by the CA in ${join(root, 'other-ca.pem')} (sslmode=verify-full (from --database-url (sslmode))) — set sslrootcert to the server's CA certificate`,
    ))

  it('sslmode=require against a server without TLS fails clearly', () =>
    refusedStatus(
      `postgres://${plainServer.user}@127.0.0.1:${plainServer.port}/${plainServer.database}?sslmode=require`,
      `PostgreSQL at 127.0.0.1:${plainServer.port} does not accept TLS connections, but sslmode=require (from --database-url (sslmode)) requires TLS — turn on ssl in the server, or use sslmode=prefer or disable`,
    ))

  it('DB_SSLMODE from the environment (or .env) applies to DB_* settings', async () => {
    const result = await runAssay(['status'], {
      timeoutMs: 60_000,
      env: {
        DB_HOST: '127.0.0.1',
        DB_PORT: String(plainServer.port),
        DB_NAME: plainServer.database,
        DB_SSLMODE: 'require',
      },
    })
    expect(result.code).toBe(1)
    expect(result.stderr).toContain('does not accept TLS connections, but sslmode=require (from DB_SSLMODE)')
  })

  it('a missing sslrootcert file is named', () =>
    runAssay(
      [
        'status',
        '--database-url',
        tlsUrl('localhost', 'sslmode=verify-full&sslrootcert=/nonexistent/ca.pem'),
      ],
      {
        timeoutMs: 60_000,
      },
    ).then((result) => {
      expect(result.stderr).toContain(
        'error: cannot read the root certificate (sslrootcert) /nonexistent/ca.pem: no such file',
      )
      expect(result.code).toBe(2)
    }))
})
