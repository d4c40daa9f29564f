/**
 * Bad-input catalogue, issue 13's smaller problems: each gets a specific message, the right exit code, no stack
 * trace and no partial write. Runs the real CLI against a scratch PostgreSQL database.
 */
import { spawnSync } from 'node:child_process'
import { chmodSync, existsSync } from 'node:fs'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { unreadable } from '../../src-main/engine/ingest/sniff.js'
import { isSecretKey, redact, redactText } from '../../src-main/engine/log/redact.js'
import { createDatabase, databaseUrl, dropDatabase, newName } from '../../torture/db.js'
import { ASSAY_BIN, type ChildResult, childEnv, hasStackTrace, runAssay } from '../../torture/runner.js'
import { csv, FixtureDir } from './fixtures.js'

const files = new FixtureDir()
let base: string
const url = () => databaseUrl(base)
/** A URL nothing listens on: for refusals that must come before any connection. */
const NOWHERE = 'postgres://postgres@127.0.0.1:1/none'

beforeAll(async () => {
  base = await createDatabase(newName('smaller'))
  const init = await runAssay(['init'], { databaseUrl: url(), timeoutMs: 120_000 })
  if (init.code !== 0) throw new Error(`setup: assay init exited ${init.code}: ${init.stderr}`)
})
afterAll(async () => {
  if (base) await dropDatabase(base)
  files.remove()
})

function errorLine(result: ChildResult): string {
  return result.stderr.split('\n').find((l) => l.startsWith('error: ')) ?? `(no error line) ${result.stderr}`
}

async function refused(
  args: string[],
  code: number,
  message: string,
  options: { databaseUrl?: string; env?: Record<string, string | undefined> } = {},
): Promise<ChildResult> {
  const result = await runAssay(args, { timeoutMs: 60_000, ...options })
  expect(result.hung, 'hung').toBe(false)
  expect(errorLine(result)).toBe(`error: ${message}`)
  expect(result.code, result.stderr).toBe(code)
  expect(hasStackTrace(result.stderr) || hasStackTrace(result.stdout), result.stderr).toBe(false)
  return result
}

describe('redaction of secrets in logs', () => {
  it('an unencoded @ in a URL password does not leak its tail', () => {
    expect(redactText('connecting to postgres://u:p@ss@db.example.com/x')).toBe(
      'connecting to postgres://u:***@db.example.com/x',
    )
  })
  it('bare token= values and Authorization headers are masked', () => {
    expect(redactText('GET /ws?token=abc123def HTTP/1.1')).toBe('GET /ws?token=*** HTTP/1.1')
    expect(redactText('Authorization: Bearer eyJhbGciOi.x-y_z')).toBe('Authorization: Bearer ***')
    expect(redactText('api_key: "k-123"')).toBe('api_key: ***')
  })
  it('keys are judged word by word: bypass and compass are kept, tokens and passwords are not', () => {
    expect(redact({ bypass: true, compass: 'north', accessToken: 't', DB_PASSWORD: 'p', port: 1 })).toEqual({
      bypass: true,
      compass: 'north',
      accessToken: '[redacted]',
      DB_PASSWORD: '[redacted]',
      port: 1,
    })
    expect(isSecretKey('connectionString')).toBe(true)
    expect(redactText('bypass=1 compass=2')).toBe('bypass=1 compass=2')
  })
})

describe('connection and environment settings', () => {
  it('a malformed DATABASE_URL names the variable (exit 2)', () =>
    refused(
      ['status'],
      2,
      'DATABASE_URL has a malformed %-escape in its password; percent-encode special characters (e.g. % as %25, @ as %40)',
      { databaseUrl: 'postgres://u:p%zz@127.0.0.1/x' },
    ))
  it('ASSAY_QUERY_TIMEOUT_MS=abc is refused, not silently replaced by the default', () =>
    refused(
      ['status'],
      2,
      'ASSAY_QUERY_TIMEOUT_MS must be a whole number of milliseconds from 100 to 86,400,000 (got "abc")',
      { databaseUrl: NOWHERE, env: { ASSAY_QUERY_TIMEOUT_MS: 'abc' } },
    ))
  it('a base delay above the cap is refused, as the console refuses it', () =>
    refused(
      ['reliable', '--retry-base-ms', '60000', '--retry-max-ms', '1000'],
      2,
      '--retry-base-ms (60000) is above --retry-max-ms (1000); the cap must be at least the base delay',
      { databaseUrl: NOWHERE },
    ))
  it('--data-dir "" does not silently open the default database', () =>
    refused(
      ['status', '--data-dir', ''],
      2,
      '--data-dir is empty; give a folder, or leave the flag out to use the default',
    ))
  it('--data-dir under /proc fails at once instead of hanging', async () => {
    const result = await refused(
      ['status', '--data-dir', '/proc/1/x'],
      2,
      'cannot create the embedded database folder /proc/1/x: /proc/1 cannot hold folders',
    )
    expect(result.ms).toBeLessThan(30_000)
  })
})

describe('ingest: files that are not what they claim', () => {
  it('UTF-16 is named as UTF-16, not "binary data"', () => {
    const text = csv('536365,85123A,HEART,6,01/12/2010 8:26,2.55,17850,United Kingdom')
    const file = files.write(
      'utf16.csv',
      Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text, 'utf16le')]),
    )
    return refused(
      ['ingest', file],
      1,
      'utf16.csv is UTF-16 (LE) text; Assay reads UTF-8 — save it as "CSV UTF-8" (or convert with iconv -f UTF-16 -t UTF-8); nothing was written',
      { databaseUrl: url() },
    )
  })
  it('UTF-16 without a byte-order mark is recognised too', () => {
    const text = csv('536365,85123A,HEART,6,01/12/2010 8:26,2.55,17850,United Kingdom')
    const file = files.write('utf16be.csv', Buffer.from(text, 'utf16le').swap16())
    return refused(
      ['ingest', file],
      1,
      'utf16be.csv is UTF-16 (BE) text; Assay reads UTF-8 — save it as "CSV UTF-8" (or convert with iconv -f UTF-16 -t UTF-8); nothing was written',
      { databaseUrl: url() },
    )
  })
  it('CR-only line ends are named, not reported as a bad header', () => {
    const file = files.write(
      'mac.csv',
      csv('536365,85123A,HEART,6,01/12/2010 8:26,2.55,17850,United Kingdom').replaceAll('\n', '\r'),
    )
    return refused(
      ['ingest', file],
      1,
      'mac.csv ends its lines with CR only (classic Mac line ends); save it with LF or CRLF line ends; nothing was written',
      { databaseUrl: url() },
    )
  })
  it('year 9999 is called out of range, not unparseable', async () => {
    const file = files.write(
      'far-future.csv',
      csv(
        '536365,85123A,HEART,6,2010-12-01 08:26,2.55,17850,United Kingdom',
        '536366,85123B,HEART,6,9999-12-01 08:26,2.55,17850,United Kingdom',
      ),
    )
    const result = await runAssay(['ingest', file], { databaseUrl: url(), timeoutMs: 60_000 })
    expect(result.code, result.stderr).toBe(3)
    const out = result.stdout + result.stderr
    expect(out).toContain(
      'invoice date "9999-12-01 08:26" is in year 9999, outside the supported window 1990-01-01…2100-12-31',
    )
    expect(out).not.toMatch(/unparseable invoice date/)
  })
  it('an unreadable file says "permission denied", not a raw EACCES', async () => {
    const file = files.write('private.csv', csv('536365,85123A,HEART,6,2010-12-01 08:26,2.55,1,France'))
    chmodSync(file, 0o600)
    chmodSync(files.dir, 0o755) // our own temp folder: the other user may enter it, not read the file
    const message = `error: cannot read ${file}: permission denied (this user may not read it); nothing was written`
    const root = process.getuid?.() === 0
    if (root && !existsSync('/usr/sbin/runuser')) throw new Error('root without runuser: cannot test EACCES')
    // Root reads any file, so the CLI runs as `nobody` (PostgreSQL on 127.0.0.1 trusts every local user).
    const [cmd, args] = root
      ? ['/usr/sbin/runuser', ['-u', 'nobody', '--', process.execPath, ASSAY_BIN]]
      : [process.execPath, [ASSAY_BIN]]
    if (!root) chmodSync(file, 0o000)
    const env = childEnv({ databaseUrl: url(), env: { ASSAY_LOG_DIR: '/nonexistent-assay-logs' } })
    const child = spawnSync(cmd, [...args, 'ingest', file], { env, encoding: 'utf8', timeout: 60_000 })
    expect(child.stderr.split('\n').find((l) => l.startsWith('error: '))).toBe(message)
    expect(child.status).toBe(1)
    expect(child.stderr).not.toContain('EACCES')
    expect(unreadable('/x.csv', Object.assign(new Error('EACCES: open'), { code: 'EACCES' })).message).toBe(
      'cannot read /x.csv: permission denied (this user may not read it); nothing was written',
    )
  })
})
