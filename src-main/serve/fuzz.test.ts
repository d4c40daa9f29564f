/**
 * Fuzzing `assay serve` at a small budget (CI): random frames, deep nesting, huge strings, a handler that
 * rejects, and slow or stalled download readers. After each family the server must still answer a good request,
 * and no promise may go unhandled (vitest fails the run on one). The host double clones every input as the
 * worker's postMessage does, which is where 5,000 nested arrays overflowed the stack.
 */
import { randomUUID } from 'node:crypto'
import { request as httpRequest, type IncomingMessage } from 'node:http'
import { Readable } from 'node:stream'
import { describe, expect, it } from 'vitest'
import type WebSocket from 'ws'
import type { Host } from '../host/host.js'
import { waitFor } from '../test-support/wait.js'
import { MAX_FRAME_BYTES, MAX_JSON_DEPTH } from './limits.js'
import type { RunningServer } from './server.js'
import { openSocket, suiteServer } from './test-server.js'

const ROUNDS = Number(process.env.ASSAY_FUZZ_ROUNDS ?? 300)

/** A deterministic PRNG (mulberry32), so a failure can be replayed with the same seed. */
function prng(seed: number): () => number {
  let a = seed
  return () => {
    a = (a + 0x6d2b79f5) | 0
    let t = Math.imul(a ^ (a >>> 15), 1 | a)
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

let openDownloads = 0
const host = {
  request: async (name: string, input: unknown) => {
    structuredClone(input) // what worker.postMessage does to every input
    if (name === 'boom') throw new Error('handler failed')
    return { ok: true, value: { echo: name } }
  },
  subscribe: () => () => undefined,
  close: async () => undefined,
  // An endless export: only the reader's pace (or the idle timeout) ends it.
  download: async () => {
    openDownloads++
    const chunk = Buffer.alloc(64 * 1024, 'a')
    const stream = new Readable({
      read() {
        this.push(chunk)
      },
      destroy(error, done) {
        openDownloads--
        done(error)
      },
    })
    return { filename: 'logs.csv', stream }
  },
} as unknown as Host

/** Sends one frame and resolves with the parsed answer, or with the close code if the socket was closed. */
function exchange(ws: WebSocket, frame: string | Buffer): Promise<{ answer?: unknown; closed?: number }> {
  return new Promise((resolve) => {
    const onMessage = (data: WebSocket.RawData) => {
      ws.off('close', onClose)
      resolve({ answer: JSON.parse(String(data)) })
    }
    const onClose = (code: number) => {
      ws.off('message', onMessage)
      resolve({ closed: code })
    }
    ws.once('message', onMessage)
    ws.once('close', onClose)
    ws.send(frame)
  })
}

async function stillAnswers(server: RunningServer): Promise<void> {
  const ws = await openSocket(server)
  const { answer } = await exchange(ws, JSON.stringify({ id: 1, name: 'logs:facets' }))
  expect(answer).toEqual({ type: 'response', id: 1, envelope: { ok: true, value: { echo: 'logs:facets' } } })
  ws.close()
}

function randomFrame(next: () => number): string | Buffer {
  const pick = Math.floor(next() * 6)
  const length = Math.floor(next() * 2000)
  if (pick === 0) return Buffer.from(Array.from({ length }, () => Math.floor(next() * 256)))
  if (pick === 1)
    return Array.from({ length }, () => String.fromCharCode(32 + Math.floor(next() * 95))).join('')
  if (pick === 2) return JSON.stringify({ id: Math.floor(next() * 1e6), name: 'x'.repeat(length) })
  if (pick === 3)
    return JSON.stringify({ id: -1, name: 'logs:page', input: { cursor: 'garbage'.repeat(length) } })
  if (pick === 4) return '['.repeat(length) + ']'.repeat(Math.floor(next() * length))
  return JSON.stringify({
    id: 3,
    name: 'logs:page',
    input: JSON.parse(`${'['.repeat(length % 40)}1${']'.repeat(length % 40)}`),
  })
}

describe('serve fuzz (small budget)', () => {
  const server = suiteServer(host, { maxDownloads: 2, downloadIdleMs: 1000 })

  it(`answers or closes ${ROUNDS} random frames, then still answers`, async () => {
    const next = prng(13)
    let ws = await openSocket(server)
    let answered = 0
    for (let i = 0; i < ROUNDS; i++) {
      const result = await exchange(ws, randomFrame(next))
      if (result.closed !== undefined) ws = await openSocket(server)
      else answered++
    }
    expect(answered).toBeGreaterThan(ROUNDS / 2)
    ws.close()
    await stillAnswers(server)
  })

  it('refuses deep nesting before it is parsed or cloned', async () => {
    const ws = await openSocket(server)
    const deep = `{"id":5,"name":"logs:page","input":${'['.repeat(5000)}${']'.repeat(5000)}}`
    expect((await exchange(ws, deep)).answer).toEqual({
      type: 'response',
      id: null,
      envelope: {
        ok: false,
        error: {
          code: 'invalid_input',
          message: `malformed request: the request nests deeper than ${MAX_JSON_DEPTH} levels`,
        },
      },
    })
    // Brackets inside strings are text, not nesting.
    const text = JSON.stringify({ id: 6, name: 'logs:page', input: { search: '['.repeat(5000) } })
    expect((await exchange(ws, text)).answer).toMatchObject({ id: 6, envelope: { ok: true } })
    ws.close()
    await stillAnswers(server)
  })

  it('closes a socket sending a huge string (1009) and answers one just under the limit', async () => {
    const ws = await openSocket(server)
    const under = JSON.stringify({
      id: 8,
      name: 'logs:page',
      input: { search: 'x'.repeat(MAX_FRAME_BYTES - 100) },
    })
    expect((await exchange(ws, under)).answer).toMatchObject({ id: 8, envelope: { ok: true } })
    expect((await exchange(ws, 'x'.repeat(MAX_FRAME_BYTES + 1))).closed).toBe(1009)
    await stillAnswers(server)
  })

  it('answers a request whose handler rejects, instead of dying on an unhandled rejection', async () => {
    const ws = await openSocket(server)
    expect((await exchange(ws, JSON.stringify({ id: 9, name: 'boom' }))).answer).toMatchObject({
      id: 9,
      envelope: { ok: false, error: { code: 'internal' } },
    })
    ws.close()
    await stillAnswers(server)
  })

  it('stalled download readers get a budget of 2 and are ended after the idle timeout', async () => {
    const get = (): Promise<IncomingMessage> =>
      new Promise((resolve, reject) => {
        const req = httpRequest(
          `http://127.0.0.1:${server.port}/export/${randomUUID()}?token=${server.token}`,
          (res) => resolve(res),
        )
        req.on('error', reject)
        req.end()
      })
    // Two readers that never read: their sockets fill up and stall.
    const stalled = [await get(), await get()]
    for (const res of stalled) {
      expect(res.statusCode).toBe(200)
      res.pause()
      res.on('error', () => undefined)
    }
    const third = await get()
    expect(third.statusCode).toBe(429)
    third.resume()
    await stillAnswers(server)
    // The idle timeout (1 s here, 30 s in production) ends both and frees the budget and the exports.
    await waitFor('the stalled downloads to be ended', () => openDownloads === 0, 10_000)
    for (const res of stalled) res.destroy()
    const after = await get()
    expect(after.statusCode).toBe(200)
    // A slow reader that keeps reading is not cut off.
    let bytes = 0
    for await (const chunk of after) {
      bytes += (chunk as Buffer).length
      if (bytes > 4 * 1024 * 1024) break
      await new Promise((resolve) => setTimeout(resolve, 5))
    }
    expect(bytes).toBeGreaterThan(4 * 1024 * 1024)
    after.destroy()
    await waitFor('the slow download to end with its reader', () => openDownloads === 0)
  }, 30_000)
})
