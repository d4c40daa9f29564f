/**
 * xlsx decompression bombs, built at test time: 8M shared strings in ~3 MB, and one 1 GB cell in ~1 MB. Each is
 * refused with the limit in the message, nothing is written, and the CLI's peak memory stays under 300 MB.
 */
import { writeFileSync } from 'node:fs'
import { crc32, createDeflateRaw } from 'node:zlib'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { checkXlsxBounds } from '../../src-main/engine/ingest/xlsx-bounds.js'
import { hasStackTrace, runAssay } from '../../torture/runner.js'
import { type CliDatabase, cliDatabase } from './cli-database.js'
import { FixtureDir, workbook } from './fixtures.js'

const files = new FixtureDir()
let db: CliDatabase

beforeAll(async () => {
  db = await cliDatabase('xlsxbomb', [['init']])
}, 180_000)
afterAll(async () => {
  await db?.end()
  files.remove()
})

interface Part {
  name: string
  data: Buffer
  crc: number
  size: number
}

/** Deflates what `chunks` yields, in a stream (a 1 GB part never exists in memory). */
async function part(name: string, chunks: Iterable<Buffer>): Promise<Part> {
  const deflate = createDeflateRaw({ level: 9 })
  const out: Buffer[] = []
  deflate.on('data', (chunk: Buffer) => out.push(chunk))
  const ended = new Promise((resolve) => deflate.on('end', resolve))
  let crc = 0
  let size = 0
  for (const chunk of chunks) {
    crc = crc32(chunk, crc)
    size += chunk.length
    if (!deflate.write(chunk)) await new Promise((resolve) => deflate.once('drain', resolve))
  }
  deflate.end()
  await ended
  return { name, data: Buffer.concat(out), crc, size }
}

function* once(text: string): Iterable<Buffer> {
  yield Buffer.from(text)
}

/** A zip (stored names, deflated parts, no data descriptors). */
function zip(parts: Part[]): Buffer {
  const locals: Buffer[] = []
  const central: Buffer[] = []
  let offset = 0
  for (const p of parts) {
    const name = Buffer.from(p.name)
    const local = Buffer.alloc(30)
    local.writeUInt32LE(0x04034b50, 0)
    local.writeUInt16LE(20, 4)
    local.writeUInt16LE(8, 8)
    local.writeUInt32LE(p.crc, 14)
    local.writeUInt32LE(p.data.length, 18)
    local.writeUInt32LE(p.size, 22)
    local.writeUInt16LE(name.length, 26)
    const dir = Buffer.alloc(46)
    dir.writeUInt32LE(0x02014b50, 0)
    dir.writeUInt16LE(20, 4)
    dir.writeUInt16LE(20, 6)
    dir.writeUInt16LE(8, 10)
    dir.writeUInt32LE(p.crc, 16)
    dir.writeUInt32LE(p.data.length, 20)
    dir.writeUInt32LE(p.size, 24)
    dir.writeUInt16LE(name.length, 28)
    dir.writeUInt32LE(offset, 42)
    locals.push(local, name, p.data)
    central.push(dir, name)
    offset += 30 + name.length + p.data.length
  }
  const dirBytes = Buffer.concat(central)
  const end = Buffer.alloc(22)
  end.writeUInt32LE(0x06054b50, 0)
  end.writeUInt16LE(parts.length, 8)
  end.writeUInt16LE(parts.length, 10)
  end.writeUInt32LE(dirBytes.length, 12)
  end.writeUInt32LE(offset, 16)
  return Buffer.concat([...locals, dirBytes, end])
}

async function bomb(file: string, bombPart: Part): Promise<string> {
  const parts = [
    await part(
      '[Content_Types].xml',
      once(
        '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"/>',
      ),
    ),
    await part('xl/workbook.xml', once('<?xml version="1.0"?><workbook><sheets/></workbook>')),
    bombPart,
  ]
  const path = files.path(file)
  writeFileSync(path, zip(parts))
  return path
}

async function refusedWithin300Mb(path: string, message: string): Promise<void> {
  const [before] = await db.sql<{ n: string }>('SELECT count(*)::text AS n FROM bronze.raw_transactions')
  const result = await runAssay(['ingest', path], {
    databaseUrl: db.url,
    timeoutMs: 120_000,
    measureRss: true,
  })
  expect(result.stderr).toContain(`error: ${message}`)
  expect(result.code).toBe(1)
  expect(hasStackTrace(result.stderr)).toBe(false)
  expect(result.peakRssKb, 'peak RSS measured').toBeDefined()
  expect(result.peakRssKb! / 1024).toBeLessThan(300)
  const [after] = await db.sql<{ n: string }>('SELECT count(*)::text AS n FROM bronze.raw_transactions')
  expect(after!.n).toBe(before!.n)
}

describe('xlsx bombs', () => {
  it('8M shared strings in a few MB are refused at the shared-string limit, in under 300 MB', async () => {
    function* strings(): Iterable<Buffer> {
      yield Buffer.from('<?xml version="1.0"?><sst count="8000000" uniqueCount="8000000">')
      const block = Buffer.from('<si><t>s</t></si>'.repeat(10_000))
      for (let i = 0; i < 800; i++) yield block
      yield Buffer.from('</sst>')
    }
    const path = await bomb('strings-bomb.xlsx', await part('xl/sharedStrings.xml', strings()))
    await refusedWithin300Mb(
      path,
      'strings-bomb.xlsx is refused: it has more than 500,000 shared strings (the limit); nothing was written',
    )
  }, 120_000)

  it('one 1 GB cell in about 1 MB is refused at the text limit, in under 300 MB', async () => {
    function* sheet(): Iterable<Buffer> {
      yield Buffer.from(
        '<?xml version="1.0"?><worksheet><sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>',
      )
      const block = Buffer.alloc(1024 * 1024, 'x')
      for (let i = 0; i < 1024; i++) yield block
      yield Buffer.from('</t></is></c></row></sheetData></worksheet>')
    }
    const path = await bomb('cell-bomb.xlsx', await part('xl/worksheets/sheet1.xml', sheet()))
    await refusedWithin300Mb(
      path,
      "cell-bomb.xlsx is refused: a cell or value in xl/worksheets/sheet1.xml holds more than 256 KB of text (the limit; Excel's own is 32,767 characters); nothing was written",
    )
  }, 120_000)

  it('an ordinary workbook passes the bounds', async () => {
    const path = files.path('ordinary.xlsx')
    await workbook(path, [{ name: 'Online Retail', data: true }])
    await expect(checkXlsxBounds(path, 'ordinary.xlsx')).resolves.toBeUndefined()
  })
})
