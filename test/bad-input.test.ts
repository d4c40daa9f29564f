/**
 * The bad-input catalogue: every case runs the real CLI (or the browser twin's real WebSocket) against a scratch
 * PostgreSQL database and asserts the specific message, the exit code (or envelope), no stack trace, and that
 * nothing was partially written (every table's content fingerprint unchanged, or changed exactly as documented).
 * ASSAY_BAD_INPUT_BIG=0 skips the two 1 GB cases (~10 s each, 1 GB of /tmp while they run).
 */
import { rmSync, statSync } from 'node:fs'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type WebSocket from 'ws'
import {
  createDatabase,
  databaseUrl,
  dropDatabase,
  newName,
  pool,
  type Sql,
  server,
  sqlOf,
} from '../torture/db.js'
import { type ChildResult, hasStackTrace, runAssay } from '../torture/runner.js'
import { type CliDatabase, cliDatabase } from './bad-input/cli-database.js'
import { changedTables, fingerprint } from './bad-input/db-state.js'
import { passwordRejectingServer } from './bad-input/fake-pg.js'
import {
  csv,
  encryptedWorkbookBytes,
  FixtureDir,
  garbageFile,
  HEADER,
  workbook,
} from './bad-input/fixtures.js'
import { call, exchange, httpGet, openSocket, startServe } from './bad-input/serve-client.js'

const BIG = process.env.ASSAY_BAD_INPUT_BIG !== '0'
const files = new FixtureDir()
let db: CliDatabase
let sql: Sql
const url = () => db.url

/** The `error: …` line a refusal prints. */
function errorLine(result: ChildResult): string {
  return (
    result.stderr.split('\n').find((line) => line.startsWith('error: ')) ?? `(no error line) ${result.stderr}`
  )
}

async function assay(args: string[], databaseUrlOverride?: string): Promise<ChildResult> {
  return runAssay(args, { databaseUrl: databaseUrlOverride ?? url(), timeoutMs: 120_000 })
}

/** Runs a command that must be refused: exit code, message, no stack, and not one row written anywhere. */
async function refused(
  args: string[],
  code: number,
  message: string | RegExp,
  options: { databaseUrl?: string } = {},
): Promise<ChildResult> {
  const before = await fingerprint(sql)
  const result = await assay(args, options.databaseUrl)
  expect(result.hung, 'hung').toBe(false)
  if (typeof message === 'string') expect(errorLine(result)).toBe(`error: ${message}`)
  else expect(errorLine(result)).toMatch(message)
  expect(result.code, result.stderr).toBe(code)
  expect(hasStackTrace(result.stderr) || hasStackTrace(result.stdout), result.stderr).toBe(false)
  expect(changedTables(before, await fingerprint(sql))).toEqual([])
  return result
}

async function count(table: string): Promise<number> {
  const [row] = await sql<{ n: string }>(`SELECT count(*)::text AS n FROM ${table}`)
  return Number(row?.n)
}

beforeAll(async () => {
  db = await cliDatabase(
    'badinput',
    [['init'], ['demo', '--scale', '0.01', '--seed', '3'], ['silver'], ['monthly']],
    2,
  )
  sql = db.sql
})

afterAll(async () => {
  await db?.end()
  files.remove()
})

describe('CLI: assay monthly flags', () => {
  it('month 0', () =>
    refused(
      ['monthly', '--year', '2011', '--month', '0'],
      2,
      '--month must be a month number 1–12 (got "0")',
    ))
  it('month 13', () =>
    refused(
      ['monthly', '--year', '2011', '--month', '13'],
      2,
      '--month must be a month number 1–12 (got "13")',
    ))
  it('year "abc"', () =>
    refused(['monthly', '--year', 'abc'], 2, '--year must be a four-digit year such as 2011 (got "abc")'))
  it('--month without --year', () =>
    refused(['monthly', '--month', '3'], 2, '--month needs --year (e.g. --year 2011 --month 3)'))
  it('from after to', () =>
    refused(
      ['monthly', '--from', '2011-06', '--to', '2011-02'],
      2,
      'the range is backwards: --from 2011-06 is after --to 2011-02',
    ))
  it('an unknown flag', async () => {
    const before = await fingerprint(sql)
    const result = await assay(['monthly', '--frobnicate'])
    expect(result.code).toBe(2)
    expect(result.stderr).toContain("error: unknown option '--frobnicate'")
    expect(result.stderr).toMatch(/usage: assay monthly/)
    expect(hasStackTrace(result.stderr)).toBe(false)
    expect(changedTables(before, await fingerprint(sql))).toEqual([])
  })
  it('conflicting flags: --reset --dry-run', () =>
    refused(
      ['monthly', '--reset', '--dry-run'],
      2,
      'conflicting flags: --reset clears processing state and --dry-run writes nothing; use one of them',
    ))
  it('conflicting flags: --year with --from/--to', () =>
    refused(
      ['monthly', '--year', '2011', '--from', '2011-01', '--to', '2011-02'],
      2,
      'choose either --year [--month] or --from/--to, not both',
    ))
  it('--from without --to', () =>
    refused(
      ['monthly', '--from', '2011-01'],
      2,
      '--from and --to go together (e.g. --from 2011-01 --to 2011-06)',
    ))
  it('a retry setting out of range', () =>
    refused(
      ['monthly', '--retry-attempts', '0'],
      2,
      '--retry-attempts must be a whole number from 1 to 20 (got "0")',
    ))
  it('an unknown log format', () =>
    refused(['monthly', '--log-format', 'xml'], 2, '--log-format must be "pretty" or "json" (got "xml")'))
})

describe('files: assay ingest', () => {
  it('an empty file', () =>
    refused(['ingest', files.write('empty.csv', '')], 1, 'empty.csv is empty; nothing was written'))
  it('a header only', () =>
    refused(
      ['ingest', files.write('header-only.csv', `${HEADER}\n`)],
      1,
      'header-only.csv has a header but no data lines; nothing was written',
    ))
  it('a wrong header', () =>
    refused(
      [
        'ingest',
        files.write('wrong-header.csv', 'Invoice,Stock,Desc,Qty,Date,Price,Cust,Country\n1,2,3,4,5,6,7,8\n'),
      ],
      1,
      /^error: the header does not match the Online Retail columns \(missing InvoiceNo, StockCode, Description, Quantity, InvoiceDate, UnitPrice, CustomerID; unexpected "Invoice"/,
    ))
  it('a wrong delimiter', () =>
    refused(
      [
        'ingest',
        files.write(
          'semicolons.csv',
          `${HEADER.replaceAll(',', ';')}\n536365;85123A;X;6;01/12/2010 8:26;2.55;17850;United Kingdom\n`,
        ),
      ],
      1,
      /^error: the file looks semicolon-separated \(;\); assay reads comma-separated CSV — re-export it with commas/,
    ))
  it('binary garbage named .csv', () =>
    refused(
      [
        'ingest',
        files.write('garbage.csv', Buffer.from(Array.from({ length: 4096 }, (_, i) => (i * 7919) % 256))),
      ],
      1,
      'garbage.csv is not a CSV text file (binary data in its first line); nothing was written',
    ))
  it('dates that never say whether they are day-first', () =>
    refused(
      [
        'ingest',
        files.write('ambiguous.csv', csv('536365,85123A,X,6,01/02/2010 8:26,2.55,17850,United Kingdom')),
      ],
      1,
      'cannot tell whether the dates are day-first or month-first: no date in the file has a day or month above 12 — choose with --date-format dmy or --date-format mdy; nothing was written',
    ))
  it('an unsupported file type', async () => {
    const result = await refused(
      ['ingest', files.write('notes.txt', 'hello')],
      2,
      'cannot ingest "notes.txt": unsupported file type ".txt"; supported: .csv, .xlsx',
    )
    expect(result.stderr).toContain('usage: assay ingest')
  })
  it('a missing file', () =>
    refused(['ingest', files.path('nowhere.csv')], 1, `no such file: ${files.path('nowhere.csv')}`))

  /** Files that load whole with some lines rejected: exit 3, each bad line in bronze.rejected_lines, the rest loaded. */
  async function partly(name: string, content: string | Buffer, loaded: number, reason: RegExp) {
    const raw = await count('bronze.raw_transactions')
    const rejected = await count('bronze.rejected_lines')
    const result = await assay(['ingest', files.write(name, content)])
    expect(result.code, result.stderr).toBe(3)
    expect(result.stdout).toMatch(reason)
    expect(hasStackTrace(result.stderr)).toBe(false)
    expect(await count('bronze.raw_transactions')).toBe(raw + loaded)
    expect(await count('bronze.rejected_lines')).toBeGreaterThan(rejected)
    const [file] = await sql<{ rows_loaded: string; rows_rejected: string }>(
      'SELECT rows_loaded::text, rows_rejected::text FROM bronze.ingested_files WHERE file_name = $1',
      [name],
    )
    expect(Number(file?.rows_loaded)).toBe(loaded)
    expect(Number(file?.rows_rejected)).toBe((await count('bronze.rejected_lines')) - rejected)
  }

  it('broken quotes: the line is rejected, the others load', () =>
    partly(
      'broken-quotes.csv',
      csv(
        '536365,85123A,"WHITE HANGING,6,13/12/2010 8:26,2.55,17850,United Kingdom',
        '536366,22633,"HAND WARMER",6,13/12/2010 8:28,1.85,17850,United Kingdom',
      ),
      1,
      /line 2: broken quoting \(a quoted value never closes\)/,
    ))
  it('invalid UTF-8: the line is rejected with the likely cause', () =>
    partly(
      'latin1.csv',
      Buffer.concat([
        Buffer.from(csv('536366,22633,HAND WARMER,6,13/12/2010 8:28,1.85,17850,United Kingdom')),
        Buffer.from('536365,85123A,"WHITE '),
        Buffer.from([0xff, 0xfe]),
        Buffer.from(' HEART",6,13/12/2010 8:26,2.55,17850,United Kingdom\n'),
      ]),
      1,
      /line 3: not valid UTF-8 \(was the file saved as Windows-1252\/Latin-1\? save it as UTF-8\)/,
    ))
  it('dates in the wrong format: each such line is rejected, naming the value', () =>
    partly(
      'dotted-dates.csv',
      csv(
        '536365,85123A,X,6,2010.12.01 8:26,2.55,17850,United Kingdom',
        '536366,22633,Y,6,13/12/2010 8:28,1.85,17850,United Kingdom',
      ),
      1,
      /line 2: unparseable invoice date "2010\.12\.01 8:26"/,
    ))

  it('an xlsx with extra sheets: the Online Retail sheet is read, the others named as skipped', async () => {
    const file = await workbook(files.path('extra-sheets.xlsx'), [
      { name: 'Notes', rows: [['exported by finance'], ['see the next sheet']] },
      { name: 'Online Retail', data: true },
      { name: 'Pivot', rows: [['Country', 'Revenue']] },
    ])
    const raw = await count('bronze.raw_transactions')
    const result = await assay(['ingest', file])
    expect(result.code, result.stderr).toBe(0)
    expect(result.stdout).toContain('loaded 2 lines from extra-sheets.xlsx (sheet "Online Retail")')
    expect(result.stdout).toContain('skipped sheet(s) without the Online Retail header: "Notes"')
    expect(await count('bronze.raw_transactions')).toBe(raw + 2)
  })
  it('an xlsx with no sheets', async () =>
    refused(
      ['ingest', await workbook(files.path('no-sheets.xlsx'), [])],
      1,
      'the workbook has no sheets; nothing was written',
    ))
  it('an xlsx whose sheets are all something else', async () =>
    refused(
      ['ingest', await workbook(files.path('other.xlsx'), [{ name: 'A', rows: [['foo', 'bar']] }])],
      1,
      /^error: no sheet has the Online Retail header in its first row \(looked at: "A"; .*\); nothing was written$/,
    ))
  it('a password-protected xlsx', () =>
    refused(
      ['ingest', files.write('protected.xlsx', encryptedWorkbookBytes())],
      1,
      'protected.xlsx is password-protected or not an xlsx (it is an OLE compound file, as Excel writes encrypted workbooks and legacy .xls) — remove the password or save it as .xlsx; nothing was written',
    ))
  it('a corrupt xlsx (not a zip)', () =>
    refused(
      ['ingest', files.write('corrupt.xlsx', Buffer.alloc(3000, 0x41))],
      1,
      'corrupt.xlsx is not an xlsx workbook (not a zip archive); nothing was written',
    ))
  it('a truncated xlsx', async () => {
    const whole = await workbook(files.path('whole.xlsx'), [{ name: 'Online Retail', data: true }])
    const { readFileSync } = await import('node:fs')
    const cut = files.write('truncated.xlsx', readFileSync(whole).subarray(0, 1500))
    await refused(
      ['ingest', cut],
      1,
      /^error: cannot read the workbook: .* \(is the \.xlsx file corrupt or truncated\?\); nothing was written$/,
    )
  })

  it.runIf(BIG)(
    '1 GB of garbage lines: refused early, streamed in bounded memory',
    { timeout: 180_000 },
    async () => {
      const file = await garbageFile(files.path('garbage-1g.csv'), 1024, false)
      try {
        expect(statSync(file).size).toBeGreaterThan(2 ** 30)
        const before = await fingerprint(sql)
        const result = await runAssay(['ingest', file], {
          databaseUrl: url(),
          measureRss: true,
          timeoutMs: 170_000,
        })
        expect(errorLine(result)).toMatch(
          /^error: refused: 1,000 of the first 1,000 lines are malformed \(e\.g\. line \d+: line longer than 65536 characters\) — this does not look like an Online Retail file; nothing was written$/,
        )
        expect(result.code).toBe(1)
        expect(result.peakRssKb).toBeLessThan(300 * 1024)
        expect(changedTables(before, await fingerprint(sql))).toEqual([])
      } finally {
        rmSync(file, { force: true })
      }
    },
  )
  it.runIf(BIG)(
    '1 GB of garbage in one line: never buffered, one line rejected',
    { timeout: 180_000 },
    async () => {
      const file = await garbageFile(files.path('garbage-line.csv'), 1024, true)
      try {
        const raw = await count('bronze.raw_transactions')
        const result = await runAssay(['ingest', file], {
          databaseUrl: url(),
          measureRss: true,
          timeoutMs: 170_000,
        })
        expect(result.code, result.stderr).toBe(3)
        expect(result.stdout).toMatch(/line 2: line longer than 65536 bytes \(not read\)/)
        expect(result.peakRssKb).toBeLessThan(300 * 1024)
        expect(await count('bronze.raw_transactions')).toBe(raw)
      } finally {
        rmSync(file, { force: true })
      }
    },
  )
})

describe('database', () => {
  it('an unreachable host', () =>
    refused(
      ['monthly'],
      1,
      'cannot reach PostgreSQL at 127.0.0.1:1: connection refused — is the server running?',
      {
        databaseUrl: 'postgres://postgres@127.0.0.1:1/retail_db',
      },
    ))
  it('a host name that does not resolve', () =>
    refused(
      ['monthly'],
      1,
      'cannot reach PostgreSQL at no-such-host.invalid:5432: host "no-such-host.invalid" not found',
      {
        databaseUrl: 'postgres://postgres@no-such-host.invalid:5432/retail_db',
      },
    ))
  it('a wrong password', async () => {
    const fake = await passwordRejectingServer()
    try {
      await refused(
        ['monthly'],
        1,
        `password authentication failed for user "postgres" at 127.0.0.1:${fake.port} — check DB_PASSWORD`,
        { databaseUrl: `postgres://postgres:wrong@127.0.0.1:${fake.port}/retail_db` },
      )
    } finally {
      await fake.close()
    }
  })
  it('a database that does not exist', () =>
    refused(
      ['monthly'],
      1,
      `database "assay_no_such_db" does not exist on 127.0.0.1:${server.port} — create it with: createdb -h 127.0.0.1 -p ${server.port} -U ${server.user} assay_no_such_db`,
      { databaseUrl: databaseUrl('assay_no_such_db') },
    ))
  it('a URL that is not PostgreSQL', () =>
    refused(['monthly'], 2, 'DATABASE_URL must start with postgres:// (got mysql://)', {
      databaseUrl: 'mysql://root@127.0.0.1:3306/retail_db',
    }))

  describe('on a copy of the database', () => {
    let copy: string
    let copySql: Sql
    let endCopy: () => Promise<void>
    beforeAll(async () => {
      copy = await db.copy('badcopy')
      const q = pool(copy, 1)
      copySql = sqlOf(q)
      endCopy = () => q.end()
    })
    afterAll(async () => {
      await endCopy()
      await dropDatabase(copy)
    })

    /** Like `refused`, on the copy. */
    async function refusedOnCopy(args: string[], message: string | RegExp, user?: string) {
      const before = await fingerprint(copySql)
      const result = await runAssay(args, {
        databaseUrl: databaseUrl(copy, undefined, user ?? server.user),
        timeoutMs: 60_000,
      })
      if (typeof message === 'string') expect(errorLine(result)).toBe(`error: ${message}`)
      else expect(errorLine(result)).toMatch(message)
      expect(result.code, result.stderr).toBe(1)
      expect(hasStackTrace(result.stderr), result.stderr).toBe(false)
      expect(changedTables(before, await fingerprint(copySql))).toEqual([])
    }

    it('silver.fact_sales_daily missing', async () => {
      await copySql('ALTER TABLE silver.fact_sales_daily RENAME TO fact_sales_daily_gone')
      try {
        await refusedOnCopy(
          ['monthly', '--force'],
          /^error: silver\.fact_sales_daily does not exist — build silver first/,
        )
      } finally {
        await copySql('ALTER TABLE silver.fact_sales_daily_gone RENAME TO fact_sales_daily')
      }
    })
    it('a gold table with an unexpected column type', async () => {
      await copySql('ALTER TABLE gold.fact_sales_monthly ALTER COLUMN total_revenue TYPE text')
      try {
        await refusedOnCopy(
          ['monthly', '--force'],
          'gold.fact_sales_monthly.total_revenue is text, expected numeric — the table does not match the contract',
        )
      } finally {
        await copySql(
          'ALTER TABLE gold.fact_sales_monthly ALTER COLUMN total_revenue TYPE numeric(15,2) USING total_revenue::numeric',
        )
      }
    })
    it('a read-only user', async () => {
      const role = `assay_ro_${process.pid}`
      await copySql(`DROP ROLE IF EXISTS ${role}`).catch(() => undefined)
      await copySql(`CREATE ROLE ${role} LOGIN;
        GRANT USAGE ON SCHEMA bronze, silver, gold, ops TO ${role};
        GRANT SELECT ON ALL TABLES IN SCHEMA bronze, silver, gold, ops TO ${role};`)
      try {
        await refusedOnCopy(
          ['monthly', '--force'],
          new RegExp(
            `^error: user "${role}" cannot write to gold\\.fact_sales_monthly \\(missing INSERT, UPDATE\\) — connect as a user who can, or: GRANT INSERT, UPDATE ON gold\\.fact_sales_monthly TO "${role}"`,
          ),
          role,
        )
      } finally {
        await copySql(`DROP OWNED BY ${role}; DROP ROLE ${role}`)
      }
    })
    it('a database that was never initialised', async () => {
      const empty = await createDatabase(newName('badempty'))
      try {
        const result = await runAssay(['monthly'], { databaseUrl: databaseUrl(empty), timeoutMs: 60_000 })
        expect(errorLine(result)).toMatch(
          /^error: the database is not initialised \(\d+ migration\(s\) pending: .*\) — run: assay init$/,
        )
        expect(result.code).toBe(1)
        const p = pool(empty, 1)
        const tables = await p.query(
          `SELECT count(*)::int AS n FROM pg_tables WHERE schemaname NOT IN ('pg_catalog', 'information_schema')`,
        )
        await p.end()
        expect(Number(tables.rows[0].n)).toBe(0)
      } finally {
        await dropDatabase(empty)
      }
    })
  })
})

describe('console: the browser twin (assay serve)', () => {
  let port: number
  let token: string
  let stop: () => Promise<void>
  let ws: WebSocket
  let before: Record<string, string | null>

  beforeAll(async () => {
    const served = await startServe(url())
    port = served.port
    token = served.token
    stop = async () => {
      served.child.interrupt()
      await served.child.done
    }
    const open = await openSocket(port, { token })
    if (!open.ws) throw new Error(`cannot open the console socket (HTTP ${open.status})`)
    ws = open.ws
    before = await fingerprint(sql)
  }, 120_000)
  afterAll(async () => {
    ws?.terminate()
    await stop?.()
    // Nothing the console was sent wrote anything.
    expect(changedTables(before, await fingerprint(sql))).toEqual([])
  })

  it('a missing token is refused (401)', async () => {
    expect((await openSocket(port, {})).status).toBe(401)
  })
  it('a wrong token is refused (401)', async () => {
    expect((await openSocket(port, { token: `${token.slice(0, -2)}xx` })).status).toBe(401)
  })
  it('a forged Origin is refused even with the right token (403)', async () => {
    expect((await openSocket(port, { token, origin: 'http://evil.example' })).status).toBe(403)
    expect(await httpGet(port, { Host: `127.0.0.1:${port}`, Origin: 'http://evil.example' })).toEqual({
      status: 403,
      body: 'forbidden: foreign Host or Origin',
    })
  })
  it('a foreign Host (DNS rebinding) is refused (403)', async () => {
    expect((await openSocket(port, { token, host: `attacker.example:${port}` })).status).toBe(403)
    expect((await httpGet(port, { Host: `attacker.example:${port}` })).status).toBe(403)
  })
  it('a frame that is not JSON', async () => {
    const { id, envelope } = await exchange(ws, '{"id": 1, "name": ')
    expect(id).toBeNull()
    expect(envelope).toMatchObject({ ok: false, error: { code: 'invalid_input' } })
    expect(envelope.error?.message).toMatch(/^malformed request: /)
  })
  it('a frame of the wrong shape', async () => {
    const { envelope } = await exchange(ws, JSON.stringify({ id: 'seven', name: 42 }))
    expect(envelope).toMatchObject({ ok: false, error: { code: 'invalid_input' } })
    expect(envelope.error?.message).toMatch(/^malformed request: id: /)
  })
  it('a binary frame', async () => {
    const { envelope } = await exchange(ws, Buffer.from([1, 2, 3]), true)
    expect(envelope.error?.message).toBe('malformed request: binary frames are not accepted')
  })
  it('an unknown request name', async () => {
    const envelope = await call(ws, 'db:drop', {})
    expect(envelope.ok).toBe(false)
    expect(envelope.error?.message).toMatch(/unknown request "db:drop"/)
  })
  it('an invalid month in a plan request', async () => {
    const envelope = await call(ws, 'months:plan', {
      pipeline: 'monthly',
      scope: { kind: 'month', year: 2011, month: 13 },
      force: false,
    })
    expect(envelope).toMatchObject({
      ok: false,
      error: { code: 'invalid_input', message: 'month must be 1–12' },
    })
  })
  it('an oversized string in a log filter', async () => {
    const envelope = await call(ws, 'logs:page', { pipeline: 'x'.repeat(100_000), limit: 10 })
    expect(envelope.ok).toBe(false)
    expect(envelope.error?.code).toBe('invalid_input')
    expect(envelope.error?.message).toMatch(/^pipeline: .*(100|too)/i)
  })
  it('an oversized frame closes the socket (1009), the server stays up', async () => {
    const open = await openSocket(port, { token })
    const closed = new Promise<number>((resolve) => open.ws!.once('close', (code) => resolve(code)))
    open.ws!.send(
      JSON.stringify({
        id: 1,
        name: 'logs:page',
        input: { pipeline: 'y'.repeat(2 * 1024 * 1024), limit: 1 },
      }),
    )
    expect(await closed).toBe(1009)
    expect((await call(ws, 'logs:facets')).ok).toBe(true)
  })
  it.each([
    ["x' OR '1'='1"],
    ["'; DROP TABLE ops.pipeline_logs; --"],
    ["idempotent_gold_pipeline' UNION SELECT null, now(), 'INFO', current_user --"],
  ])('SQL in a log filter is only text: %s', async (evil) => {
    const logs = await count('ops.pipeline_logs')
    for (const input of [
      { pipeline: evil, limit: 50 },
      { runId: evil.slice(0, 50), limit: 50 },
    ]) {
      const envelope = await call(ws, 'logs:page', input)
      expect(envelope).toMatchObject({ ok: true, value: { records: [], nextBefore: null } })
    }
    expect(await count('ops.pipeline_logs')).toBe(logs)
  })
  it.each([
    ["x' OR '1'='1"],
    ["'); DELETE FROM ops.pipeline_logs; --"],
    // LIKE wildcards and its escape character: as patterns the first two would match "processed"; as text, nothing.
    ['pro%sed'],
    ['p_ocessed'],
    ['pro\\cessed'],
    // tsquery syntax (metadata is searched by words): as a tsquery this would match every record; as words, none.
    ["!nomatch | !'x'"],
  ])('log search treats %s as text, never as SQL, LIKE or tsquery syntax', async (evil) => {
    const logs = await count('ops.pipeline_logs')
    // A control: a word every run logs is found, so an empty answer below means "no match", not "broken".
    const control = await call(ws, 'logs:page', { search: 'PROCESSED', limit: 5 })
    expect(control.ok, JSON.stringify(control.error)).toBe(true)
    expect((control.value as { records: unknown[] }).records.length).toBeGreaterThan(0)
    const envelope = await call(ws, 'logs:page', { search: evil, limit: 50 })
    expect(envelope).toMatchObject({ ok: true, value: { records: [] } })
    expect(await count('ops.pipeline_logs')).toBe(logs)
  })
  it('an oversized log search', async () => {
    const envelope = await call(ws, 'logs:page', { search: 'z'.repeat(201), limit: 10 })
    expect(envelope).toMatchObject({
      ok: false,
      error: { code: 'invalid_input', message: 'search must be at most 200 characters' },
    })
  })
})
