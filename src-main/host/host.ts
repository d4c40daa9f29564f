import { type Envelope, type EventMessage, isRequestName, requests } from '../../src-shared/contract.js'
import type { EngineApi } from '../engine/api.js'
import { AssayError } from '../engine/errors.js'
import type { Connection } from './connection.js'
import { fail, ok } from './envelope.js'
import { EventBus } from './event-bus.js'
import { createHandlers, type HandlerMap } from './handlers.js'
import { JobManager } from './job-manager.js'
import { LiveBridge } from './live-bridge.js'
import type { SetupApi } from './setup.js'

export interface HostDeps {
  connection: Connection
  engine: EngineApi
  setup: SetupApi
  /** Progress batching and notification debounce, shortened in tests. */
  timing?: { batchMs?: number; debounceMs?: number }
}

/** The console's back end, identical behind Electron IPC and the browser twin's WebSocket. */
export interface Host {
  /** Validates and answers one request; never throws. */
  request(name: unknown, input: unknown): Promise<Envelope<unknown>>
  subscribe(listener: (message: EventMessage) => void): () => void
  close(): Promise<void>
}

/**
 * Builds the host over an (unstarted) connection: handlers, the job manager, the event bus and the live
 * bridge from LISTEN/NOTIFY. Starting the connection reports `db:connection` and subscribes to changes.
 */
export async function createHost(deps: HostDeps): Promise<Host> {
  const { connection, engine } = deps
  const bus = new EventBus()
  const jobs = new JobManager({ engine, db: () => connection.db(), bus, batchMs: deps.timing?.batchMs })
  const live = new LiveBridge({ connection, engine, bus, debounceMs: deps.timing?.debounceMs })
  const handlers: HandlerMap = createHandlers({ connection, engine, setup: deps.setup, jobs, bus, live })
  connection.onChange((state) => bus.emit('db:connection', state))
  live.start()
  await connection.start()

  return {
    async request(name, input) {
      if (!isRequestName(name)) {
        return fail(new AssayError('unknown_request', `unknown request ${JSON.stringify(name)}`))
      }
      const parsed = requests[name].in.safeParse(input)
      if (!parsed.success) return fail(parsed.error)
      try {
        const handler = handlers[name] as (input: unknown) => Promise<unknown>
        return ok(await handler(parsed.data))
      } catch (error) {
        return fail(error)
      }
    },
    subscribe: (listener) => bus.subscribe(listener),
    async close() {
      await jobs.close()
      await live.close()
      await connection.close()
    },
  }
}
