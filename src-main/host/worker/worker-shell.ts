import type { MessagePort } from 'node:worker_threads'
import type { Shell } from '../shell.js'
import type { FromWorker, HostWorkerData, ShellOp, ToWorker } from './protocol.js'

/**
 * The shell's capabilities as seen from the worker: each call goes to the parent thread (where Electron's
 * safeStorage and dialogs live) and waits for its reply.
 */
export function workerShell(
  port: MessagePort,
  caps: HostWorkerData['shell'],
): {
  shell: Shell
  onReply: (message: Extract<ToWorker, { type: 'shell-reply' }>) => void
} {
  const pending = new Map<number, { resolve: (v: string | null) => void; reject: (e: Error) => void }>()
  let nextId = 1
  const call = (op: ShellOp, arg: string) =>
    new Promise<string | null>((resolve, reject) => {
      const id = nextId++
      pending.set(id, { resolve, reject })
      port.postMessage({ type: 'shell-call', id, op, arg } satisfies FromWorker)
    })
  const text = async (op: ShellOp, arg: string) => (await call(op, arg)) ?? ''
  const shell: Shell = {
    secrets: caps?.secrets
      ? { encrypt: (plain) => text('encrypt', plain), decrypt: (cipher) => text('decrypt', cipher) }
      : undefined,
    saveDialog: caps?.saveDialog ? (name) => call('saveDialog', name) : undefined,
  }
  return {
    shell,
    onReply(message) {
      const waiter = pending.get(message.id)
      pending.delete(message.id)
      if (message.error !== undefined) waiter?.reject(new Error(message.error))
      else waiter?.resolve(message.value ?? null)
    },
  }
}
