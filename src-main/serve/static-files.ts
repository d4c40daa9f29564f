import { createReadStream, existsSync, statSync } from 'node:fs'
import type { IncomingMessage, ServerResponse } from 'node:http'
import { extname, join, normalize, sep } from 'node:path'

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.json': 'application/json',
  '.map': 'application/json',
}

/** True when `dir` holds a built renderer. */
export function hasRenderer(dir: string): boolean {
  return existsSync(join(dir, 'index.html'))
}

/**
 * Serves the built renderer: GET/HEAD only, no directory listings, no path escaping `root`, and every
 * unknown path answered with index.html (the app routes itself). Hashed assets are cached; index.html never.
 */
export function serveStatic(
  root: string,
  req: IncomingMessage,
  res: ServerResponse,
  headers: Record<string, string>,
): void {
  if (req.method !== 'GET' && req.method !== 'HEAD') {
    res.writeHead(405, { ...headers, Allow: 'GET, HEAD' }).end()
    return
  }
  let pathname: string
  try {
    pathname = decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname)
  } catch {
    res.writeHead(400, headers).end('bad path')
    return
  }
  const target = normalize(join(root, pathname))
  if (target !== root && !target.startsWith(root.endsWith(sep) ? root : root + sep)) {
    res.writeHead(403, headers).end()
    return
  }
  const isFile = existsSync(target) && statSync(target).isFile()
  if (!isFile && extname(pathname) !== '') {
    res.writeHead(404, headers).end('not found')
    return
  }
  const file = isFile ? target : join(root, 'index.html')
  const type = TYPES[extname(file)] ?? 'application/octet-stream'
  const cache = file.includes(`${sep}assets${sep}`) ? 'public, max-age=31536000, immutable' : 'no-store'
  res.writeHead(200, { ...headers, 'Content-Type': type, 'Cache-Control': cache })
  if (req.method === 'HEAD') {
    res.end()
    return
  }
  createReadStream(file).pipe(res)
}
