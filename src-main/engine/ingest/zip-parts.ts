/**
 * An .xlsx's parts, found through the zip's central directory and read one at a time. Reading by directory
 * instead of streaming the archive front to back lets the caller pick the order: exceljs's own streaming pass
 * (unzipper's Parse) may end before the archive's last parts are handed over, and exceljs writes
 * `xl/workbook.xml` last.
 */
import { createReadStream } from 'node:fs'
import { open } from 'node:fs/promises'
import { PassThrough, Readable } from 'node:stream'
import { createInflateRaw } from 'node:zlib'

export interface ZipEntry {
  name: string
  /** 0 stored, 8 deflated; xlsx writers use nothing else. */
  method: number
  compressedSize: number
  uncompressedSize: number
  /** Where the part's (compressed) data starts in the file. */
  offset: number
}

const END_OF_DIRECTORY = Buffer.from([0x50, 0x4b, 0x05, 0x06])
const DIRECTORY_ENTRY = 0x02014b50

/** The zip's central directory, or [] when it cannot be read (a damaged, truncated or zip64 archive). */
export async function zipEntries(path: string): Promise<ZipEntry[]> {
  const handle = await open(path, 'r')
  try {
    const size = (await handle.stat()).size
    const tailLength = Math.min(size, 65_557)
    const tail = Buffer.alloc(tailLength)
    await handle.read(tail, 0, tailLength, size - tailLength)
    const eocd = tail.lastIndexOf(END_OF_DIRECTORY)
    if (eocd === -1 || eocd + 22 > tail.length) return []
    const count = tail.readUInt16LE(eocd + 10)
    const dirSize = tail.readUInt32LE(eocd + 12)
    const dirOffset = tail.readUInt32LE(eocd + 16)
    if (dirOffset === 0xffffffff || dirOffset + dirSize > size) return []
    const dir = Buffer.alloc(dirSize)
    await handle.read(dir, 0, dirSize, dirOffset)
    const out: ZipEntry[] = []
    for (let at = 0, i = 0; i < count; i++) {
      if (at + 46 > dir.length || dir.readUInt32LE(at) !== DIRECTORY_ENTRY) return []
      const nameLength = dir.readUInt16LE(at + 28)
      const skip = nameLength + dir.readUInt16LE(at + 30) + dir.readUInt16LE(at + 32)
      const localOffset = dir.readUInt32LE(at + 42)
      if (localOffset + 30 > size) return []
      const local = Buffer.alloc(30)
      await handle.read(local, 0, 30, localOffset)
      const offset = localOffset + 30 + local.readUInt16LE(26) + local.readUInt16LE(28)
      const compressedSize = dir.readUInt32LE(at + 20)
      if (offset + compressedSize > size) return []
      out.push({
        name: dir.toString('utf8', at + 46, at + 46 + nameLength),
        method: dir.readUInt16LE(at + 10),
        compressedSize,
        uncompressedSize: dir.readUInt32LE(at + 24),
        offset,
      })
      at += 46 + skip
    }
    return out
  } finally {
    await handle.close()
  }
}

/**
 * One part's inflated bytes. `onRead` hears how many compressed bytes each read took from the file, for progress.
 * A method other than stored or deflated fails the stream with a plain message.
 */
export function partStream(path: string, entry: ZipEntry, onRead?: (bytes: number) => void): Readable {
  if (entry.method !== 0 && entry.method !== 8) {
    const failed = new PassThrough()
    process.nextTick(() =>
      failed.destroy(
        new Error(`${entry.name} uses zip compression method ${entry.method}, which is not supported`),
      ),
    )
    return failed
  }
  if (entry.compressedSize === 0) return Readable.from([])
  const raw = createReadStream(path, {
    start: entry.offset,
    end: entry.offset + entry.compressedSize - 1,
    highWaterMark: 256 * 1024,
  })
  if (onRead) raw.on('data', (chunk) => onRead(chunk.length))
  if (entry.method === 0) return raw
  const inflated = raw.pipe(createInflateRaw())
  raw.on('error', (error) => inflated.destroy(error))
  // A consumer that stops early destroys the inflater; the file must close with it.
  inflated.on('close', () => raw.destroy())
  return inflated
}
