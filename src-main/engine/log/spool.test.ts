import { randomBytes } from 'node:crypto'
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { LogRecord } from '../../../src-shared/pipeline.js'
import { backends, type Scratch } from '../../test-support/scratch.js'
import { PgDb } from '../db/pg.js'
import type { Db } from '../db/types.js'
import { initDatabase } from '../schema/init.js'
import { DbLogSink } from './db-sink.js'
import { backfillSpool, spoolDir } from './spool.js'

const record = (message: string): LogRecord => ({
  timestamp: new Date().toISOString(),
  level: 'INFO',
  message,
  logger: 'assay.test',
  pipeline_name: 'spool_test',
  run_id: 'spool-run',
  module: 'log/spool.test',
  function: null,
  line: null,
  metadata: { n: message },
})

/**
 * Logs survive an outage of ops.pipeline_logs end to end: what a run could not write goes to the spool file, and
 * the next sink that can write back-fills it, exactly once, however often the back-fill is repeated.
 */
describe.each(backends)('log spool on $name', ({ name, scratch }) => {
  let s: Scratch
  let writer: Db
  let dir: string
  const role = `assay_spool_${randomBytes(4).toString('hex')}`
  beforeAll(async () => {
    s = await scratch()
    dir = mkdtempSync(join(tmpdir(), 'assay-spool-'))
    // A writer that is not the table's owner, so INSERT can be revoked from it.
    await s.db.exec(`CREATE ROLE ${role} LOGIN;
      GRANT USAGE ON SCHEMA ops TO ${role};
      GRANT SELECT, INSERT ON ALL TABLES IN SCHEMA ops TO ${role};
      GRANT USAGE ON ALL SEQUENCES IN SCHEMA ops TO ${role}`)
    if (name === 'postgres')
      writer = await PgDb.open({ ...s.config!, user: role }, { applicationName: 'assay-test' })
    else writer = s.db
  })
  afterAll(async () => {
    if (writer !== s.db) await writer.close()
    else await s.db.exec('RESET ROLE')
    await s.db.exec(`DROP OWNED BY ${role}; DROP ROLE ${role}`).catch(() => undefined)
    await s.dispose()
    rmSync(dir, { recursive: true, force: true })
  })

  const asWriter = async () => {
    if (writer === s.db) await s.db.exec(`SET ROLE ${role}`)
  }
  const asOwner = async () => {
    if (writer === s.db) await s.db.exec('RESET ROLE')
  }
  const count = async (like: string) =>
    (
      await s.db.query<{ n: number }>(
        'SELECT count(*)::int AS n FROM ops.pipeline_logs WHERE message LIKE $1',
        [like],
      )
    ).rows[0]?.n

  const grant = `GRANT SELECT, INSERT ON ops.pipeline_logs TO ${role}; GRANT USAGE ON ALL SEQUENCES IN SCHEMA ops TO ${role}`
  const outages: [string, string, string][] = [
    ['dropped', 'DROP TABLE ops.pipeline_logs', 'init'],
    ['unwritable (INSERT revoked)', `REVOKE INSERT ON ops.pipeline_logs FROM ${role}`, grant],
    [
      'raising disk-full (53100)',
      `CREATE FUNCTION ops.disk_full() RETURNS trigger LANGUAGE plpgsql AS $$
       BEGIN RAISE EXCEPTION 'could not extend file: No space left on device' USING ERRCODE = '53100'; END $$;
       CREATE TRIGGER disk_full BEFORE INSERT ON ops.pipeline_logs FOR EACH STATEMENT EXECUTE FUNCTION ops.disk_full()`,
      'DROP TRIGGER disk_full ON ops.pipeline_logs; DROP FUNCTION ops.disk_full()',
    ],
  ]

  it.each(outages)(
    'table %s: records go to the spool, and are back-filled exactly once',
    async (how, damage, repair) => {
      const spool = spoolDir(join(dir, how.split(' ')[0]!))
      const troubles: string[] = []
      await asOwner()
      await s.db.exec(damage)
      await asWriter()
      const during = new DbLogSink(writer, {
        spoolDir: spool,
        onTrouble: (m) => troubles.push(m),
        intervalMs: 5,
      })
      for (const i of [1, 2, 3]) during.write(record(`${how} during ${i}`))
      await during.close(300)
      expect(troubles.some((t) => /cannot write to ops.pipeline_logs/.test(t))).toBe(true)
      const files = readdirSync(spool)
      expect(files).toHaveLength(1)
      const saved = readFileSync(join(spool, files[0]!), 'utf8')
      expect(saved.trim().split('\n')).toHaveLength(3)

      await asOwner()
      if (repair === 'init') expect((await initDatabase(s.db)).repaired.length).toBeGreaterThan(0)
      else await s.db.exec(repair)
      await s.db.exec(grant)
      await asWriter()
      const after = new DbLogSink(writer, { spoolDir: spool, intervalMs: 5 })
      after.write(record(`${how} after`))
      await after.close(2000)
      await asOwner()
      expect(await count(`${how} during %`)).toBe(3)
      expect(await count(`${how} after`)).toBe(1)
      expect(readdirSync(spool)).toEqual([])

      // A back-fill that inserted but died before deleting its file: repeating it adds nothing.
      writeFileSync(join(spool, files[0]!), saved)
      expect(await backfillSpool(s.db, spool)).toEqual({ files: 1, inserted: 0, present: 3 })
      expect(await count(`${how} during %`)).toBe(3)
      expect(readdirSync(spool)).toEqual([])
    },
  )
})
