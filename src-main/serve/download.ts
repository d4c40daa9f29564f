import type { IncomingMessage, ServerResponse } from 'node:http'
import { pipeline } from 'node:stream'
import { EXPORT_PATH } from '../../src-shared/export.js'
import { messageOf } from '../engine/errors.js'
import type { Host } from '../host/host.js'
import type { Budget } from './limits.js'
import { tokenMatches } from './security.js'

const EXPORT_ID = /^[0-9a-f-]{36}$/

/** True for the twin's export download path: /export/<exportId>. */
export function isDownload(req: IncomingMessage): boolean {
  return new URL(req.url ?? '/', 'http://x').pathname.startsWith(EXPORT_PATH)
}

/**
 * GET /export/<exportId>?token=…: streams an export prepared with `export:start` straight from the host
 * (the database's COPY output, through the worker) to the browser as an attachment. Guarded by the same
 * per-launch token as the WebSocket; each export id works once. The reader going away cancels the export.
 */
export async function serveDownload(
  host: Host,
  token: string,
  req: IncomingMessage,
  res: ServerResponse,
  headers: Record<string, string>,
  limits: { budget: Budget; idleMs: number },
): Promise<void> {
  const url = new URL(req.url ?? '/', 'http://x')
  const plain = { ...headers, 'Content-Type': 'text/plain; charset=utf-8', 'Cache-Control': 'no-store' }
  if (req.method !== 'GET') {
    res.writeHead(405, { ...plain, Allow: 'GET' }).end('method not allowed')
    return
  }
  if (!tokenMatches(url.searchParams.get('token'), token)) {
    res.writeHead(401, plain).end('this download needs the console token')
    return
  }
  const exportId = url.pathname.slice(EXPORT_PATH.length)
  if (!EXPORT_ID.test(exportId)) {
    res.writeHead(404, plain).end('no such export')
    return
  }
  const release = limits.budget.tryTake()
  if (!release) {
    res
      .writeHead(429, { ...plain, 'Retry-After': '5' })
      .end(`${limits.budget.size} downloads are already in progress; wait for one to finish`)
    return
  }
  res.once('close', release)
  // A reader that stops reading (or never starts) holds a database connection: after idleMs with nothing
  // written to its socket, the response is ended, which cancels the export.
  res.setTimeout(limits.idleMs, () => res.destroy())
  let download: Awaited<ReturnType<Host['download']>>
  try {
    download = await host.download(exportId)
  } catch (error) {
    res.writeHead(404, plain).end(messageOf(error))
    return
  }
  res.writeHead(200, {
    ...headers,
    'Content-Type': 'text/csv; charset=utf-8',
    'Content-Disposition': `attachment; filename="${download.filename.replace(/[^\w.-]/g, '_')}"`,
    'Cache-Control': 'no-store',
  })
  // An export that fails midway ends the response early; the browser reports the download as failed.
  pipeline(download.stream, res, () => undefined)
}
