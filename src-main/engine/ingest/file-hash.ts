import { createHash } from 'node:crypto'
import { createReadStream } from 'node:fs'

/** SHA-256 of a file's content, streamed: a file is identified by what it holds, not by its name. */
export async function hashFile(path: string, onProgress?: (bytes: number) => void): Promise<string> {
  const hash = createHash('sha256')
  let bytes = 0
  for await (const chunk of createReadStream(path, { highWaterMark: 1024 * 1024 })) {
    hash.update(chunk as Buffer)
    bytes += (chunk as Buffer).length
    onProgress?.(bytes)
  }
  return hash.digest('hex')
}
