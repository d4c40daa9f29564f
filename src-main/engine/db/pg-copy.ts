import { PassThrough, type Readable } from 'node:stream'
import { pipeline } from 'node:stream/promises'
import type pg from 'pg'
import { from as copyFromStream, to as copyToStream } from 'pg-copy-streams'

/** Streams `source` into a `COPY … FROM STDIN` on one client; resolves with the row count. */
export async function copyIn(client: pg.PoolClient, copySql: string, source: Readable): Promise<number> {
  const sink = client.query(copyFromStream(copySql))
  await pipeline(source, sink)
  return Number(sink.rowCount ?? 0)
}

/**
 * Clients whose `COPY … TO STDOUT` stream was closed before its end. pg-copy-streams reads the socket only as the
 * stream is read, so such a connection never reads another message: it cannot even ROLLBACK, only be discarded.
 */
const abandoned = new WeakSet<pg.PoolClient>()

export function isAbandoned(client: pg.PoolClient): boolean {
  return abandoned.has(client)
}

/** `COPY … TO STDOUT` on one client, as the protocol delivers it (no buffering beyond the stream's own). */
export function copyOut(client: pg.PoolClient, copySql: string): Readable {
  const stream = client.query(copyToStream(copySql))
  stream.on('close', () => {
    if (!stream.readableEnded) abandoned.add(client)
  })
  return stream
}

/**
 * `COPY … TO STDOUT` on a client checked out for this stream alone, given back when the stream ends (discarded
 * if it failed or was abandoned part-way: the server may still be sending).
 */
export function copyOutPooled(pool: pg.Pool, copySql: string): Readable {
  const out = new PassThrough()
  pool.connect().then(
    (client) => {
      const stream = copyOut(client, copySql)
      let done = false
      const finish = (broken: boolean) => {
        if (done) return
        done = true
        client.release(broken)
      }
      stream.on('end', () => finish(false))
      stream.on('error', () => finish(true))
      out.on('close', () => finish(!stream.readableEnded))
      pipeline(stream, out).catch((error) => out.destroy(error))
    },
    (error) => out.destroy(error),
  )
  return out
}
