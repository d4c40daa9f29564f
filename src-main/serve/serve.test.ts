import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { request } from 'node:http'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import WebSocket from 'ws'
import type { WireMessage } from '../../src-shared/wire.js'
import { createScratchDatabase, dropScratchDatabase } from '../test-support/scratch.js'
import { sleep } from '../test-support/wait.js'
import { startServe } from './serve.js'
import type { RunningServer } from './server.js'

interface HttpResult {
  status: number
  headers: Record<string, string | string[] | undefined>
  body: string
}

function get(port: number, path: string, headers: Record<string, string> = {}): Promise<HttpResult> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path, headers }, (res) => {
      let body = ''
      res.on('data', (chunk) => {
        body += chunk
      })
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }))
    })
    req.on('error', reject)
    req.end()
  })
}

/** Opens a WebSocket and resolves with it, or rejects with the HTTP status the upgrade was refused with. */
function connect(url: string, headers: Record<string, string> = {}): Promise<WebSocket> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url, { headers })
    ws.once('open', () => resolve(ws))
    ws.once('unexpected-response', (_req, res) => reject(new Error(`HTTP ${res.statusCode}`)))
    ws.once('error', reject)
  })
}

/** Sends one frame and waits for the response envelope with that id (or id null for malformed frames). */
function ask(ws: WebSocket, frame: string, id: number | null): Promise<WireMessage & { type: 'response' }> {
  return new Promise((resolve) => {
    const onMessage = (data: WebSocket.RawData) => {
      const message = JSON.parse(data.toString()) as WireMessage
      if (message.type === 'response' && message.id === id) {
        ws.off('message', onMessage)
        resolve(message)
      }
    }
    ws.on('message', onMessage)
    ws.send(frame)
  })
}

describe('assay serve (HTTP + WebSocket binding of the host)', () => {
  let server: RunningServer
  let database: string
  let staticDir: string
  let wsUrl: string

  beforeAll(async () => {
    // The host worker reads settings from here, never from the user's own folder.
    process.env.ASSAY_CONFIG_DIR = mkdtempSync(join(tmpdir(), 'assay-config-'))
    const config = await createScratchDatabase('assay_serve')
    database = config.database
    staticDir = mkdtempSync(join(tmpdir(), 'assay-renderer-'))
    writeFileSync(join(staticDir, 'index.html'), '<!doctype html><title>Assay</title>')
    server = await startServe({
      config,
      port: 0,
      staticDir,
    })
    wsUrl = `ws://127.0.0.1:${server.port}/ws`
  })

  afterAll(async () => {
    await server?.close()
    await dropScratchDatabase(database)
    rmSync(staticDir, { recursive: true, force: true })
  })

  it('listens on 127.0.0.1 and prints a URL with a per-launch token', () => {
    expect(server.url).toBe(`http://127.0.0.1:${server.port}/?token=${server.token}`)
    expect(server.token).toMatch(/^[A-Za-z0-9_-]{32}$/)
  })

  it('serves the renderer with a strict CSP', async () => {
    const res = await get(server.port, '/', { Host: `127.0.0.1:${server.port}` })
    expect(res.status).toBe(200)
    expect(res.body).toContain('<title>Assay</title>')
    expect(res.headers['content-security-policy']).toContain("script-src 'self'")
    expect(res.headers['content-security-policy']).toContain("frame-ancestors 'none'")
    expect(res.headers['x-frame-options']).toBe('DENY')
  })

  it('refuses a foreign Host (DNS rebinding) or Origin, and paths outside the renderer', async () => {
    expect((await get(server.port, '/', { Host: `evil.example:${server.port}` })).status).toBe(403)
    expect((await get(server.port, '/', { Origin: 'http://evil.example' })).status).toBe(403)
    expect((await get(server.port, '/..%2f..%2f..%2fetc%2fpasswd')).status).toBe(403)
    expect((await get(server.port, '/assets/missing.js')).status).toBe(404)
  })

  it('refuses a WebSocket without the token, with a wrong token, or from a foreign Origin or Host', async () => {
    await expect(connect(wsUrl)).rejects.toThrow('HTTP 401')
    await expect(connect(`${wsUrl}?token=wrong`)).rejects.toThrow('HTTP 401')
    await expect(
      connect(`${wsUrl}?token=${server.token}`, { Origin: 'http://evil.example' }),
    ).rejects.toThrow('HTTP 403')
    await expect(connect(`${wsUrl}?token=${server.token}`, { Host: 'evil.example' })).rejects.toThrow(
      'HTTP 403',
    )
  })

  it('answers requests over the WebSocket and rejects malformed payloads with invalid_input', async () => {
    const ws = await connect(`${wsUrl}?token=${server.token}`, { Origin: `http://127.0.0.1:${server.port}` })
    try {
      const info = await ask(ws, JSON.stringify({ id: 1, name: 'db:info' }), 1)
      expect(info.envelope).toMatchObject({ ok: true, value: { kind: 'postgres', connected: true } })

      const notJson = await ask(ws, '{nope', null)
      expect(notJson.envelope).toMatchObject({ ok: false, error: { code: 'invalid_input' } })
      if (!notJson.envelope.ok) expect(notJson.envelope.error.message).toMatch(/^malformed request/)

      const noId = await ask(ws, JSON.stringify({ name: 'db:info' }), null)
      expect(noId.envelope).toMatchObject({ ok: false, error: { code: 'invalid_input' } })

      const badMonth = await ask(
        ws,
        JSON.stringify({
          id: 2,
          name: 'months:plan',
          input: { pipeline: 'monthly', scope: { kind: 'month', year: 2011, month: 13 }, force: false },
        }),
        2,
      )
      expect(badMonth.envelope).toEqual({
        ok: false,
        error: { code: 'invalid_input', message: 'month must be 1–12' },
      })

      const unknown = await ask(ws, JSON.stringify({ id: 3, name: 'shell:exec', input: 'rm -rf /' }), 3)
      expect(unknown.envelope).toMatchObject({ ok: false, error: { code: 'unknown_request' } })
    } finally {
      ws.close()
    }
  })
  it('streams an export through the worker to GET /export/<id>, with the token, once', async () => {
    const ws = await connect(`${wsUrl}?token=${server.token}`)
    try {
      expect((await ask(ws, JSON.stringify({ id: 20, name: 'setup:init' }), 20)).envelope.ok).toBe(true)
      const input = { table: 'months', filter: {}, bom: false }
      const started = await ask(ws, JSON.stringify({ id: 21, name: 'export:start', input }), 21)
      if (!started.envelope.ok) throw new Error(started.envelope.error.message)
      const { exportId, filename } = started.envelope.value as { exportId: string; filename: string }
      const path = `/export/${exportId}`
      expect((await get(server.port, path)).status).toBe(401)
      expect((await get(server.port, `${path}?token=wrong`)).status).toBe(401)
      const res = await get(server.port, `${path}?token=${server.token}`)
      expect(res.status).toBe(200)
      expect(res.headers['content-type']).toBe('text/csv; charset=utf-8')
      expect(res.headers['content-disposition']).toBe(`attachment; filename="${filename}"`)
      expect(res.body.split('\n')[0]).toMatch(/^month_key,year,month,status,/)
      expect((await get(server.port, `${path}?token=${server.token}`)).status).toBe(404)
    } finally {
      ws.close()
    }
  })
})

describe('assay serve on the embedded database', () => {
  let server: RunningServer
  let staticDir: string

  beforeAll(async () => {
    staticDir = mkdtempSync(join(tmpdir(), 'assay-renderer-'))
    writeFileSync(join(staticDir, 'index.html'), '<!doctype html><title>Assay</title>')
    server = await startServe({
      config: { kind: 'pglite', dataDir: 'memory://', source: 'test' },
      port: 0,
      staticDir,
    })
  })

  afterAll(async () => {
    await server?.close()
    rmSync(staticDir, { recursive: true, force: true })
  })

  it('keeps the server thread responsive while PGlite works in the host worker', async () => {
    const ws = await connect(`ws://127.0.0.1:${server.port}/ws?token=${server.token}`)
    try {
      expect((await ask(ws, JSON.stringify({ id: 1, name: 'setup:init' }), 1)).envelope.ok).toBe(true)
      // Demo data plus the silver build: seconds of blocking SQL on the worker's thread.
      const loading = ask(ws, JSON.stringify({ id: 2, name: 'setup:demo', input: { scale: 0.05 } }), 2)
      let answeredWhileLoading = 0
      let done = false
      void loading.then(() => {
        done = true
      })
      while (!done) {
        expect((await get(server.port, '/')).status).toBe(200)
        if (!done) answeredWhileLoading++
        await sleep(50)
      }
      expect((await loading).envelope).toMatchObject({ ok: true })
      // Requests were answered while the demo loaded: PGlite on the server thread would block every one of them
      // until it finished. (How fast they are answered is the benchmark's to measure.)
      expect(answeredWhileLoading).toBeGreaterThan(3)

      // A monthly run on PGlite streams its progress in several batches and still answers requests meanwhile.
      const batches: string[][] = []
      ws.on('message', (data) => {
        const message = JSON.parse(data.toString()) as WireMessage
        if (message.type === 'event' && message.event === 'run:events')
          batches.push(message.payload.map((event) => event.type))
      })
      const started = await ask(
        ws,
        JSON.stringify({
          id: 3,
          name: 'runs:start',
          input: { pipeline: 'monthly', scope: { kind: 'pending' }, force: false },
        }),
        3,
      )
      expect(started.envelope.ok).toBe(true)
      const snapshot = await ask(ws, JSON.stringify({ id: 4, name: 'runs:snapshot' }), 4)
      expect(snapshot.envelope).toMatchObject({ ok: true, value: { status: 'running' } })
      await new Promise<void>((resolve) => {
        ws.on('message', (data) => {
          const message = JSON.parse(data.toString()) as WireMessage
          if (
            message.type === 'event' &&
            message.event === 'job:changed' &&
            message.payload.status !== 'running'
          )
            resolve()
        })
      })
      // Progress arrives while the run works, not all at the end: some month finished in a batch before the one
      // that carries run.finished. (How many batches depends on the machine's speed, so their count is not asserted.)
      const last = batches.findIndex((types) => types.includes('run.finished'))
      expect(last).toBeGreaterThan(0)
      expect(batches.slice(0, last).flat()).toContain('unit.completed')
    } finally {
      ws.close()
    }
  })
})
