/** Messages between a shell (Electron main, the twin's server) and the host running in a worker thread. */
import type { Envelope, EventMessage } from '../../../src-shared/contract.js'
import type { DbConfig } from '../../engine/config.js'

export interface HostWorkerData {
  config: DbConfig
  /** The module the bootstrap imports when running from TypeScript source. */
  entry?: string
  timing?: { batchMs?: number; debounceMs?: number; pingMs?: number }
}

export type ToWorker = { type: 'request'; id: number; name: unknown; input: unknown } | { type: 'close' }

export type LogLevel = 'info' | 'warn' | 'error'

export type FromWorker =
  | { type: 'ready' }
  | { type: 'response'; id: number; envelope: Envelope<unknown> }
  | { type: 'event'; message: EventMessage }
  | { type: 'log'; level: LogLevel; message: string }
  | { type: 'closed' }
