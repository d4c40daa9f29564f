import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { request as httpRequest } from 'node:http'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import WebSocket from 'ws'
import { type Child, spawnAssay } from '../../torture/runner.js'

/** `assay serve --port 0` on a database, with a stand-in renderer build (the catalogue tests the wire, not the UI). */
export async function startServe(
  databaseUrl: string,
): Promise<{ port: number; token: string; child: Child }> {
  const renderer = mkdtempSync(join(tmpdir(), 'assay-renderer-'))
  process.once('exit', () => rmSync(renderer, { recursive: true, force: true }))
  writeFileSync(join(renderer, 'index.html'), '<!doctype html><title>Assay</title>')
  const child = spawnAssay(['serve', '--port', '0'], {
    databaseUrl,
    env: { ASSAY_RENDERER_DIR: renderer },
    timeoutMs: 300_000,
  })
  const ready = await child.waitForOutput(/Assay console: http:\/\/127\.0\.0\.1:\d+\/\?token=\S+/, 60_000)
  if (!ready) {
    child.kill9()
    const result = await child.done
    throw new Error(`assay serve did not start: ${result.stderr.slice(-500)}`)
  }
  const url = new URL(/Assay console: (\S+)/.exec(child.stdout)![1]!)
  return { port: Number(url.port), token: url.searchParams.get('token')!, child }
}

export type Upgrade = { ws: WebSocket; status: 101 } | { ws: undefined; status: number }

/** Opens the console's WebSocket with the given token and headers; resolves with the HTTP status when refused. */
export function openSocket(
  port: number,
  options: { token?: string; origin?: string; host?: string },
): Promise<Upgrade> {
  const query = options.token === undefined ? '' : `?token=${encodeURIComponent(options.token)}`
  const headers: Record<string, string> = {}
  if (options.host) headers.Host = options.host
  const ws = new WebSocket(`ws://127.0.0.1:${port}/ws${query}`, {
    headers,
    ...(options.origin ? { origin: options.origin } : {}),
  })
  return new Promise((resolve) => {
    ws.once('open', () => resolve({ ws, status: 101 }))
    ws.once('unexpected-response', (_req, res) => {
      resolve({ ws: undefined, status: res.statusCode ?? 0 })
      ws.terminate()
    })
    ws.once('error', () => resolve({ ws: undefined, status: 0 }))
  })
}

export interface Envelope {
  ok: boolean
  value?: unknown
  error?: { code: string; message: string }
}

/** Sends a raw frame and waits for the next response frame (events are skipped). */
export function exchange(
  ws: WebSocket,
  frame: string | Buffer,
  binary = false,
): Promise<{ id: number | null; envelope: Envelope }> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('no response within 20 s')), 20_000)
    const onMessage = (data: WebSocket.RawData) => {
      const message = JSON.parse(data.toString()) as { type: string; id: number | null; envelope: Envelope }
      if (message.type !== 'response') return
      clearTimeout(timer)
      ws.off('message', onMessage)
      resolve({ id: message.id, envelope: message.envelope })
    }
    ws.on('message', onMessage)
    ws.send(frame, { binary })
  })
}

let nextId = 1

/** A well-formed request. */
export async function call(ws: WebSocket, name: string, input?: unknown): Promise<Envelope> {
  const id = nextId++
  const { envelope } = await exchange(ws, JSON.stringify({ id, name, input }))
  return envelope
}

/** Plain HTTP GET with chosen Host/Origin headers; resolves with the status and body. */
export function httpGet(
  port: number,
  headers: Record<string, string>,
): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = httpRequest({ host: '127.0.0.1', port, path: '/', headers }, (res) => {
      let body = ''
      res.setEncoding('utf8').on('data', (chunk: string) => (body += chunk))
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }))
    })
    req.on('error', reject)
    req.end()
  })
}
