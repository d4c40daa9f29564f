/**
 * Live events: the latency from a log record's commit to its arrival at a console connected to `assay serve`
 * (NOTIFY from the statement trigger → the host's LISTEN → debounce → re-read → WebSocket), and the LISTEN/NOTIFY
 * hop alone (commit → a `db.listen` callback on another connection), as its share.
 */
import { type ChildProcess, spawn } from 'node:child_process'
import { mkdirSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { createInterface } from 'node:readline'
import { setTimeout as sleep } from 'node:timers/promises'
import WebSocket from 'ws'
import type { Db } from '../../src-main/engine/db/types.js'
import { assayCli } from '../../src-main/test-support/built-cli.js'
import type { BenchContext } from '../context.js'
import { urlOf } from '../databases.js'
import { column } from '../results.js'
import { percentile } from '../timing.js'

const INSERT = {
  name: 'bench/live-insert',
  text: `INSERT INTO ops.pipeline_logs (level, message, logger, pipeline_name, metadata)
         VALUES ('INFO', 'live event ' || $1::int, 'assay.bench', 'bench', jsonb_build_object('bench_live', $1::int))`,
}
/** Records per second while measuring: a busy run's pace. */
const PACE_MS = 50

function waitFor(check: () => boolean, timeoutMs: number, what: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const started = Date.now()
    const tick = () => {
      if (check()) return resolve()
      if (Date.now() - started > timeoutMs) return reject(new Error(`timed out waiting for ${what}`))
      setTimeout(tick, 2)
    }
    tick()
  })
}

/** Starts `assay serve` on a free port with a stub renderer; resolves with its URL once it prints it. */
async function startServe(ctx: BenchContext, database: string): Promise<{ child: ChildProcess; url: URL }> {
  const renderer = join(ctx.tmp, 'renderer')
  mkdirSync(renderer, { recursive: true })
  writeFileSync(join(renderer, 'index.html'), '<!doctype html><title>Assay</title>')
  const child = spawn(
    process.execPath,
    [assayCli(), 'serve', '--port', '0', '--database-url', urlOf(database)],
    { env: { ...process.env, ASSAY_RENDERER_DIR: renderer }, stdio: ['ignore', 'pipe', 'pipe'] },
  )
  let stderr = ''
  child.stderr?.on('data', (chunk) => {
    stderr += chunk
  })
  const url = await new Promise<URL>((resolve, reject) => {
    const lines = createInterface({ input: child.stdout! })
    lines.on('line', (line) => {
      const match = /Assay console: (\S+)/.exec(line)
      if (match) resolve(new URL(match[1]!))
    })
    child.once('exit', (code) => reject(new Error(`assay serve exited (${code}): ${stderr}`)))
    setTimeout(() => reject(new Error(`assay serve did not start: ${stderr}`)), 60_000).unref()
  })
  return { child, url }
}

export async function liveScenario(
  ctx: BenchContext,
  db: Db,
  database: string,
  events: number,
): Promise<void> {
  const col = column('pg')
  const spec = { area: 'live' } as const

  // The LISTEN/NOTIFY hop alone.
  let notified = 0
  const unlisten = await db.listen('assay_ops', (payload) => {
    if (payload === 'pipeline_logs') notified = performance.now()
  })
  const hop: number[] = []
  try {
    for (let k = 0; k < events; k++) {
      notified = 0
      const sent = performance.now()
      await db.query(INSERT, [-1000 - k])
      await waitFor(() => notified > 0, 5000, 'a NOTIFY')
      hop.push(notified - sent)
      await sleep(5)
    }
  } finally {
    await unlisten()
  }

  ctx.results.record(
    'live.notify',
    { ...spec, label: 'LISTEN/NOTIFY alone (INSERT sent → listener on another connection), p50', unit: 'ms' },
    col,
    { value: percentile(hop, 50), detail: `p95 ${percentile(hop, 95).toFixed(1)} ms` },
  )

  // Through assay serve to a WebSocket client.
  let served: Awaited<ReturnType<typeof startServe>>
  try {
    served = await startServe(ctx, database)
  } catch (error) {
    ctx.results.note(
      `live events: assay serve could not be started (${error instanceof Error ? error.message.split('\n').slice(0, 3).join(' ') : error}), ` +
        'so only the LISTEN/NOTIFY hop (commit → listener on another connection) was measured, not the WebSocket path',
    )
    return
  }
  const { child, url } = served
  const arrivals = new Map<number, number>()
  const ws = new WebSocket(`ws://${url.host}/ws?token=${url.searchParams.get('token')}`, {
    headers: { Origin: `http://${url.host}` },
  })
  try {
    await new Promise((resolve, reject) => {
      ws.once('open', resolve)
      ws.once('error', reject)
    })
    ws.on('message', (data) => {
      const now = performance.now()
      const message = JSON.parse(data.toString()) as { type: string; event?: string; payload?: unknown }
      if (message.type !== 'event' || message.event !== 'log:records') return
      for (const record of message.payload as { metadata?: { bench_live?: number } }[]) {
        const k = record.metadata?.bench_live
        if (typeof k === 'number' && !arrivals.has(k)) arrivals.set(k, now)
      }
    })
    // Warm up: the host has subscribed once a record makes it through.
    for (let attempt = 0; !arrivals.has(-1); attempt++) {
      if (attempt > 30) throw new Error('no log record reached the console within 30 s')
      await db.query(INSERT, [-1])
      await waitFor(() => arrivals.has(-1), 1000, 'the warm-up record').catch(() => undefined)
    }
    const acks = new Map<number, number>()
    const sends = new Map<number, number>()
    for (let k = 0; k < events; k++) {
      const next = performance.now() + PACE_MS
      sends.set(k, performance.now())
      await db.query(INSERT, [k])
      acks.set(k, performance.now())
      const wait = next - performance.now()
      if (wait > 0) await sleep(wait)
    }
    await waitFor(() => arrivals.size >= events + 1, 10_000, 'every record at the console')
    // From sending the INSERT: its commit happens before the acknowledgement, so this is an upper bound.
    const latency = [...sends].map(([k, sent]) => arrivals.get(k)! - sent)
    const commit = [...acks].map(([k, ack]) => ack - sends.get(k)!)
    const detail = `${events} records at ${1000 / PACE_MS}/s, each its own transaction; timed from sending the INSERT (committed and acknowledged after ${percentile(commit, 50).toFixed(1)} ms)`
    ctx.results.record(
      'live.ws.p50',
      { ...spec, label: 'live event, commit → console (assay serve, WebSocket), p50', unit: 'ms' },
      col,
      { value: percentile(latency, 50), detail },
    )
    ctx.results.record(
      'live.ws.p95',
      { ...spec, label: 'live event, commit → console, p95', unit: 'ms', target: { op: '<=', value: 200 } },
      col,
      { value: percentile(latency, 95), detail: `max ${Math.round(Math.max(...latency))} ms` },
    )
  } finally {
    ws.terminate()
    child.kill('SIGTERM')
    await new Promise((resolve) => {
      if (child.exitCode !== null) return resolve(undefined)
      child.once('exit', resolve)
      setTimeout(() => {
        child.kill('SIGKILL')
        resolve(undefined)
      }, 10_000).unref()
    })
  }
}
