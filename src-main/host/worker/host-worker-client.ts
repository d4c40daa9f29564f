import { pathToFileURL } from 'node:url'
import { Worker } from 'node:worker_threads'
import type { Envelope, EventMessage } from '../../../src-shared/contract.js'
import type { DbConfig } from '../../engine/config.js'
import { packagePath } from '../../engine/package-root.js'
import type { Host } from '../host.js'
import type { Shell } from '../shell.js'
import { clientDownloads } from './client-downloads.js'
import type { FromWorker, HostWorkerData, LogLevel, ShellOp, ToWorker } from './protocol.js'

export interface HostWorkerOptions {
  config: DbConfig
  /** The worker module; default: the real host (entry.ts from source, host-worker.js when bundled). */
  entry?: URL
  timing?: HostWorkerData['timing']
  log?: (level: LogLevel, message: string) => void
  /** The launch named its database (flag or environment), so a saved connection does not replace it. */
  explicit?: boolean
  /** What this shell can do for the host: secret storage, save dialogs (desktop). */
  shell?: Shell
}

/** Answers a worker's call for a shell capability. */
async function shellCall(shell: Shell, op: ShellOp, arg: string): Promise<string | null> {
  if (op === 'saveDialog' && shell.saveDialog) return shell.saveDialog(arg)
  if (op === 'encrypt' && shell.secrets) return shell.secrets.encrypt(arg)
  if (op === 'decrypt' && shell.secrets) return shell.secrets.decrypt(arg)
  throw new Error(`this shell cannot ${op}`)
}

const fromSource = import.meta.url.endsWith('.ts')

/** Where the real host worker is: next to this file from source, out/main/host-worker.js when built. */
export function defaultHostEntry(): URL {
  return fromSource
    ? new URL('./entry.ts', import.meta.url)
    : pathToFileURL(packagePath('out', 'main', 'host-worker.js'))
}

function spawn(entry: URL, data: HostWorkerData): Worker {
  if (entry.pathname.endsWith('.ts')) {
    return new Worker(new URL('./bootstrap.mjs', import.meta.url), {
      workerData: { ...data, entry: entry.href },
    })
  }
  return new Worker(entry, { workerData: data })
}

/**
 * Starts the host in a worker thread and gives the calling thread the same {@link Host} interface.
 * Resolves once the worker has opened (or started retrying) the database.
 */
export async function startHostWorker(options: HostWorkerOptions): Promise<Host> {
  const log = options.log ?? (() => undefined)
  const shell = options.shell ?? {}
  const worker = spawn(options.entry ?? defaultHostEntry(), {
    config: options.config,
    timing: options.timing,
    explicit: options.explicit ?? true,
    shell: { secrets: Boolean(shell.secrets), saveDialog: Boolean(shell.saveDialog) },
  })
  const downloads = clientDownloads(worker)
  const pending = new Map<number, (envelope: Envelope<unknown>) => void>()
  const listeners = new Set<(message: EventMessage) => void>()
  let nextId = 1
  let exited: string | undefined
  let onClosed: (() => void) | undefined

  const failAll = (message: string) => {
    for (const resolve of pending.values()) resolve({ ok: false, error: { code: 'host_stopped', message } })
    pending.clear()
    downloads.failAll(message)
  }

  await new Promise<void>((resolve, reject) => {
    worker.on('message', (message: FromWorker) => {
      switch (message.type) {
        case 'ready':
          return resolve()
        case 'response':
          pending.get(message.id)?.(message.envelope)
          pending.delete(message.id)
          return
        case 'event':
          for (const listener of listeners) listener(message.message)
          return
        case 'log':
          return log(message.level, message.message)
        case 'closed':
          return onClosed?.()
        case 'shell-call':
          shellCall(shell, message.op, message.arg).then(
            (value) => worker.postMessage({ type: 'shell-reply', id: message.id, value } satisfies ToWorker),
            (error: Error) =>
              worker.postMessage({
                type: 'shell-reply',
                id: message.id,
                error: error.message,
              } satisfies ToWorker),
          )
          return
        default:
          return downloads.onMessage(message)
      }
    })
    worker.on('error', (error) => {
      exited = `the console's database worker failed: ${error.message}`
      log('error', exited)
      failAll(exited)
      reject(error)
    })
    worker.on('exit', (code) => {
      const unexpected = !onClosed
      exited ??= `the console's database worker stopped (exit code ${code})`
      failAll(exited)
      // Consoles show it in their banner instead of waiting for events that will never come.
      if (unexpected)
        for (const listener of listeners)
          listener({ event: 'db:connection', payload: { ok: false, message: exited } })
      onClosed?.()
      reject(new Error(exited))
    })
  })

  return {
    request(name, input) {
      if (exited) return Promise.resolve({ ok: false, error: { code: 'host_stopped', message: exited } })
      const id = nextId++
      return new Promise((resolve) => {
        pending.set(id, resolve)
        worker.postMessage({ type: 'request', id, name, input } satisfies ToWorker)
      })
    },
    subscribe(listener) {
      listeners.add(listener)
      return () => listeners.delete(listener)
    },
    download(exportId) {
      if (exited) return Promise.reject(new Error(exited))
      return downloads.open(exportId)
    },
    async close() {
      if (exited) return
      await new Promise<void>((resolve) => {
        onClosed = resolve
        worker.postMessage({ type: 'close' } satisfies ToWorker)
      })
      await worker.terminate()
    },
  }
}
