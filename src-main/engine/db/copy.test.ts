import { Readable } from 'node:stream'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { backends, type Scratch, scratchPglite } from '../../test-support/scratch.js'
import type { PgliteDb } from './pglite.js'
import { pgliteCopyIn, pgliteCopyOutChunks, recordChunks } from './pglite-copy.js'

/** Awkward CSV: quoted commas and newlines, doubled quotes, an empty string (not NULL), a NULL. */
const INPUT =
  '1,"x, y",2011-03-04 05:06:07\n2,"line one\nline two",\n3,"say ""hi""",2011-12-31 23:59:59.5\n4,"",\n'
const TABLE = 'CREATE TABLE t_copy (a int, b text, c timestamp, d jsonb DEFAULT \'{"k": [1, 2]}\')'
const OUT_SQL = 'COPY (SELECT a, b, c, d, a * 1.5 AS e FROM t_copy ORDER BY a) TO STDOUT (FORMAT csv, HEADER)'
/** What PostgreSQL's own COPY writes for INPUT; PGlite must write the same bytes. */
const EXPECTED = [
  'a,b,c,d,e',
  '1,"x, y",2011-03-04 05:06:07,"{""k"": [1, 2]}",1.5',
  '2,"line one\nline two",,"{""k"": [1, 2]}",3.0',
  '3,"say ""hi""",2011-12-31 23:59:59.5,"{""k"": [1, 2]}",4.5',
  '4,"",,"{""k"": [1, 2]}",6.0',
  '',
].join('\n')

async function text(stream: Readable): Promise<string> {
  let out = ''
  for await (const chunk of stream) out += chunk.toString()
  return out
}

describe.each(backends)('COPY on $name', ({ scratch }) => {
  let s: Scratch
  beforeAll(async () => {
    s = await scratch()
    await s.db.exec(TABLE)
  })
  afterAll(async () => {
    await s.dispose()
  })

  it('copies in and out, byte for byte the same on both backends', async () => {
    const n = await s.db.copyIn('COPY t_copy (a, b, c) FROM STDIN (FORMAT csv)', Readable.from([INPUT]))
    expect(n).toBe(4)
    expect(await text(s.db.copyOut(OUT_SQL))).toBe(EXPECTED)
  })

  it('copies inside a transaction, which a failure rolls back whole', async () => {
    await expect(
      s.db.transaction(async (tx) => {
        expect(await tx.copyIn('COPY t_copy (a) FROM STDIN', Readable.from(['10\n11\n']))).toBe(2)
        expect(await text(tx.copyOut('COPY (SELECT count(*) FROM t_copy) TO STDOUT (FORMAT csv)'))).toBe(
          '6\n',
        )
        throw new Error('boom')
      }),
    ).rejects.toThrow('boom')
    const { rows } = await s.db.query<{ n: number }>('SELECT count(*)::int AS n FROM t_copy')
    expect(rows[0]?.n).toBe(4)
  })

  it('a bad row rejects the whole COPY and the database stays usable', async () => {
    await expect(
      s.db.copyIn('COPY t_copy (a) FROM STDIN (FORMAT csv)', Readable.from(['20\nnot a number\n'])),
    ).rejects.toThrow(/invalid input syntax/)
    const { rows } = await s.db.query<{ n: number }>('SELECT count(*)::int AS n FROM t_copy WHERE a = 20')
    expect(rows[0]?.n).toBe(0)
  })
})

describe('PGlite COPY in bounded chunks', () => {
  let s: Scratch
  beforeAll(async () => {
    s = await scratchPglite({ migrated: false })
    await s.db.exec(TABLE)
  })
  afterAll(async () => {
    await s.dispose()
  })

  it('cuts input only between records (never inside a quoted newline)', async () => {
    const pieces = [...INPUT].map((c) => Buffer.from(c))
    const chunks: string[] = []
    for await (const chunk of recordChunks(Readable.from(pieces), true, 8)) chunks.push(chunk.toString())
    expect(chunks.join('')).toBe(INPUT)
    expect(chunks).toEqual([
      '1,"x, y",2011-03-04 05:06:07\n',
      '2,"line one\nline two",\n',
      '3,"say ""hi""",2011-12-31 23:59:59.5\n',
      '4,"",\n',
    ])
  })

  it('loads in several statements and reads a few rows at a time, with the same result', async () => {
    const pg = (s.db as PgliteDb).raw
    const copied = await pg.transaction((tx) =>
      pgliteCopyIn(
        tx,
        'COPY t_copy (a, b, c) FROM STDIN (FORMAT csv, HEADER)',
        Readable.from([`a,b,c\n${INPUT}`]),
        8,
      ),
    )
    expect(copied).toBe(4)
    const chunks = await pg.transaction(async (tx) => {
      const out: string[] = []
      for await (const chunk of pgliteCopyOutChunks(tx, OUT_SQL, 2)) out.push(chunk.toString())
      return out
    })
    expect(chunks).toHaveLength(2)
    expect(chunks.join('')).toBe(EXPECTED)
  })

  it('refuses a COPY form it cannot stream, with a clear message', () => {
    expect(() => s.db.copyOut('COPY t_copy TO STDOUT (FORMAT binary)').read()).not.toThrow()
    return expect(text(s.db.copyOut('COPY t_copy TO STDOUT (FORMAT binary)'))).rejects.toThrow(
      /PGlite streams only COPY … TO STDOUT \(FORMAT csv/,
    )
  })
})
