/** Messages between a shell (Electron main, the twin's server) and the host running in a worker thread. */
import type { Envelope, EventMessage } from '../../../src-shared/contract.js'
import type { DbConfig } from '../../engine/config.js'

export interface HostWorkerData {
  config: DbConfig
  /** The launch named its database (flag or environment): it wins over the saved connection. */
  explicit?: boolean
  /** Which shell capabilities the parent answers `shell-call`s for. */
  shell?: { secrets: boolean; saveDialog: boolean }
  /** The module the bootstrap imports when running from TypeScript source. */
  entry?: string
  timing?: { batchMs?: number; debounceMs?: number; pingMs?: number }
}

export type ShellOp = 'encrypt' | 'decrypt' | 'saveDialog'

export type ToWorker =
  | { type: 'request'; id: number; name: unknown; input: unknown }
  | { type: 'close' }
  | { type: 'shell-reply'; id: number; value?: string | null; error?: string }
  /** Open an export's CSV; chunks come back as `download-*` messages with the same id. */
  | { type: 'download'; id: number; exportId: string }
  /** The parent has taken a chunk off the wire: the worker may send another (flow control). */
  | { type: 'download-ack'; id: number }
  /** The reader went away. */
  | { type: 'download-abort'; id: number }

export type LogLevel = 'info' | 'warn' | 'error'

export type FromWorker =
  | { type: 'ready' }
  | { type: 'response'; id: number; envelope: Envelope<unknown> }
  | { type: 'event'; message: EventMessage }
  | { type: 'log'; level: LogLevel; message: string }
  | { type: 'closed' }
  | { type: 'shell-call'; id: number; op: ShellOp; arg: string }
  | { type: 'download-start'; id: number; filename: string }
  | { type: 'download-chunk'; id: number; chunk: Uint8Array }
  | { type: 'download-end'; id: number }
  | { type: 'download-error'; id: number; code: string; message: string }

/** Chunks in flight from the worker before it waits for the parent to take some. */
export const DOWNLOAD_WINDOW = 8
