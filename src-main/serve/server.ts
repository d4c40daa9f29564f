import { createServer, type IncomingMessage, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import type { Duplex } from 'node:stream'
import { type WebSocket, WebSocketServer } from 'ws'
import { describeIssues } from '../../src-shared/contract.js'
import { WIRE_PATH, type WireMessage, WireRequest } from '../../src-shared/wire.js'
import type { Host } from '../host/host.js'
import { isDownload, serveDownload } from './download.js'
import { Budget, DOWNLOAD_IDLE_MS, frameProblem, MAX_DOWNLOADS, MAX_FRAME_BYTES } from './limits.js'
import { LOOPBACK, newToken, originPolicy, securityHeaders, tokenMatches } from './security.js'
import { serveStatic } from './static-files.js'

export interface ServerOptions {
  host: Host
  /** 0 picks a free port. */
  port: number
  /** The built renderer (index.html and assets/). */
  staticDir: string
  token?: string
  /** Downloads streaming at once (default {@link MAX_DOWNLOADS}). */
  maxDownloads?: number
  /** Idle time after which a stalled download is ended (default {@link DOWNLOAD_IDLE_MS}). */
  downloadIdleMs?: number
}

export interface RunningServer {
  url: string
  port: number
  token: string
  close(): Promise<void>
}

function reject(socket: Duplex, status: number, reason: string): void {
  socket.end(`HTTP/1.1 ${status} ${reason}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`)
}

function send(ws: WebSocket, message: WireMessage): void {
  if (ws.readyState !== ws.OPEN) return
  try {
    ws.send(JSON.stringify(message))
  } catch {
    // An answer that cannot be serialised or sent must not take the server down; the client times out.
  }
}

function refuse(ws: WebSocket, id: number | null, code: string, message: string): void {
  send(ws, { type: 'response', id, envelope: { ok: false, error: { code, message } } })
}

/**
 * The browser twin's server: static files of the built renderer, one WebSocket endpoint bound to the host, and
 * the CSV download endpoint (/export/<id>).
 * Listens on 127.0.0.1 only; every request must name this server in Host, any Origin must be this server's,
 * and the WebSocket upgrade must carry the per-launch token.
 */
export async function startServer(options: ServerOptions): Promise<RunningServer> {
  const token = options.token ?? newToken()
  const wss = new WebSocketServer({ noServer: true, maxPayload: MAX_FRAME_BYTES })
  let policy = originPolicy(options.port)
  let headers = securityHeaders(options.port)
  const downloads = new Budget(options.maxDownloads ?? MAX_DOWNLOADS)

  const server: Server = createServer((req, res) => {
    if (!policy.hostAllowed(req.headers.host) || !policy.originAllowed(req.headers.origin)) {
      res.writeHead(403, { 'Content-Type': 'text/plain' }).end('forbidden: foreign Host or Origin')
      return
    }
    if (isDownload(req)) {
      serveDownload(options.host, token, req, res, headers, {
        budget: downloads,
        idleMs: options.downloadIdleMs ?? DOWNLOAD_IDLE_MS,
      }).catch(() => {
        if (!res.headersSent) res.writeHead(500).end('download failed')
        else res.destroy()
      })
      return
    }
    serveStatic(options.staticDir, req, res, headers)
  })

  server.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    const url = new URL(req.url ?? '/', 'http://x')
    if (url.pathname !== WIRE_PATH) return reject(socket, 404, 'Not Found')
    if (!policy.hostAllowed(req.headers.host)) return reject(socket, 403, 'Forbidden')
    if (!policy.originAllowed(req.headers.origin)) return reject(socket, 403, 'Forbidden')
    if (!tokenMatches(url.searchParams.get('token'), token)) return reject(socket, 401, 'Unauthorized')
    wss.handleUpgrade(req, socket, head, (ws) => wss.emit('connection', ws, req))
  })

  wss.on('connection', (ws: WebSocket) => {
    const unsubscribe = options.host.subscribe((message) => send(ws, { type: 'event', ...message }))
    ws.on('close', unsubscribe)
    // A protocol error on one socket (a frame over MAX_FRAME, bad UTF-8, a bad opcode) is emitted as 'error';
    // unhandled, it crashed the whole server. ws closes that socket itself (1009, 1007, 1002…); nothing else to do.
    ws.on('error', () => undefined)
    ws.on('message', (data, isBinary) => {
      if (isBinary)
        return refuse(ws, null, 'invalid_input', 'malformed request: binary frames are not accepted')
      const text = data.toString()
      const problem = frameProblem(text)
      if (problem) return refuse(ws, null, 'invalid_input', `malformed request: ${problem}`)
      let request: WireRequest
      try {
        const parsed = WireRequest.safeParse(JSON.parse(text))
        if (!parsed.success) {
          return refuse(ws, null, 'invalid_input', `malformed request: ${describeIssues(parsed.error)}`)
        }
        request = parsed.data
      } catch (error) {
        const reason = error instanceof Error ? error.message : 'not JSON'
        return refuse(ws, null, 'invalid_input', `malformed request: ${reason}`)
      }
      // Every promise is settled here: a rejection (the worker refusing a message, a bug) answers the request
      // instead of reaching Node's unhandled-rejection handler, which would end the process.
      Promise.resolve()
        .then(() => options.host.request(request.name, request.input))
        .then(
          (envelope) => send(ws, { type: 'response', id: request.id, envelope }),
          () =>
            refuse(
              ws,
              request.id,
              'internal',
              'the request could not be handled; the server is still running',
            ),
        )
    })
  })

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject)
    server.listen(options.port, LOOPBACK, () => resolve())
  })
  const port = (server.address() as AddressInfo).port
  policy = originPolicy(port)
  headers = securityHeaders(port)

  return {
    url: `http://${LOOPBACK}:${port}/?token=${token}`,
    port,
    token,
    async close() {
      for (const ws of wss.clients) ws.terminate()
      wss.close()
      await new Promise<void>((resolve) => server.close(() => resolve()))
      server.closeAllConnections()
    },
  }
}
