import { type Envelope, type EventMessage, isRequestName, requests } from '../../src-shared/contract.js'
import type { EngineApi } from '../engine/api.js'
import { AssayError } from '../engine/errors.js'
import { backfillLogSpool } from '../engine/log/index.js'
import type { Connection } from './connection.js'
import { fail, ok } from './envelope.js'
import { EventBus } from './event-bus.js'
import { type Download, ExportManager } from './exports/export-manager.js'
import { createHandlers, type HandlerMap } from './handlers.js'
import { JobManager } from './job-manager.js'
import { LiveBridge } from './live-bridge.js'
import { settingsPath } from './settings/settings-file.js'
import { SettingsService } from './settings/settings-service.js'
import type { SetupApi } from './setup.js'
import type { LaunchInfo, Shell } from './shell.js'

export interface HostDeps {
  connection: Connection
  engine: EngineApi
  setup: SetupApi
  /** What the shell can do for the host (secret storage, save dialogs); nothing by default. */
  shell?: Shell
  /** Whether the launch named a database itself (it then wins over the saved connection). */
  launch?: LaunchInfo
  /** The settings file (default: the per-user one). */
  settingsFile?: string
  /** Progress batching and notification debounce, shortened in tests. */
  timing?: { batchMs?: number; debounceMs?: number }
}

/** The console's back end, identical behind Electron IPC and the browser twin's WebSocket. */
export interface Host {
  /** Validates and answers one request; never throws. */
  request(name: unknown, input: unknown): Promise<Envelope<unknown>>
  subscribe(listener: (message: EventMessage) => void): () => void
  /** The CSV of an export prepared with `export:start` (browser twin): once per export. */
  download(exportId: string): Promise<Download>
  close(): Promise<void>
}

/**
 * Builds the host over an (unstarted) connection: handlers, the job manager, the event bus and the live
 * bridge from LISTEN/NOTIFY. Starting the connection reports `db:connection` and subscribes to changes.
 */
export async function createHost(deps: HostDeps): Promise<Host> {
  const { connection, engine } = deps
  const shell = deps.shell ?? {}
  const bus = new EventBus()
  let jobs: JobManager | undefined
  const settings = new SettingsService({
    file: deps.settingsFile ?? settingsPath(),
    connection,
    shell,
    launch: deps.launch ?? { explicit: true },
    isRunning: () => jobs?.isRunning() ?? false,
  })
  jobs = new JobManager({
    engine,
    db: () => connection.db(),
    bus,
    batchMs: deps.timing?.batchMs,
    retry: () => settings.retry(),
  })
  const live = new LiveBridge({ connection, engine, bus, debounceMs: deps.timing?.debounceMs })
  const exports = new ExportManager({ db: () => connection.db(), bus, shell })
  const handlers: HandlerMap = createHandlers({
    connection,
    engine,
    setup: deps.setup,
    jobs,
    bus,
    live,
    settings,
    exports,
  })
  connection.onChange((state) => bus.emit('db:connection', state))
  // A run that lost its database spooled what it could not log (its retries, its errors): add them once the
  // database is back. Not awaited: the banner need not wait for it; a failure leaves them for the next run.
  connection.onUp((db) => {
    void backfillLogSpool(db).catch(() => undefined)
  })
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
    download: async (exportId) => exports.open(exportId),
    async close() {
      exports.close()
      await jobs.close()
      await live.close()
      await connection.close()
    },
  }
}
