/** TEST SUPPORT — `assay serve`'s server over a stub host for a describe, and WebSocket clients to it. */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll } from 'vitest'
import WebSocket from 'ws'
import type { Host } from '../host/host.js'
import { type RunningServer, type ServerOptions, startServer } from './server.js'

/**
 * A server on a free port serving a one-page static directory, started before the describe's tests and closed
 * after them; the object is filled in by then.
 */
export function suiteServer(host: Host, options: Partial<ServerOptions> = {}): RunningServer {
  const server = {} as RunningServer
  let dir = ''
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'assay-server-'))
    writeFileSync(join(dir, 'index.html'), '<!doctype html>')
    Object.assign(server, await startServer({ host, port: 0, staticDir: dir, ...options }))
  })
  afterAll(async () => {
    await server.close()
    rmSync(dir, { recursive: true, force: true })
  })
  return server
}

/** A WebSocket to the server, open and authenticated with its token. */
export function openSocket(server: RunningServer): Promise<WebSocket> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(`ws://127.0.0.1:${server.port}/ws?token=${server.token}`)
    ws.once('open', () => resolve(ws))
    ws.once('error', reject)
  })
}
