/** The handlers' types, apart from createHandlers so the per-area handler files need not import it back. */
import type { z } from 'zod'
import type { RequestOut, requests } from '../../src-shared/contract.js'
import type { EngineApi } from '../engine/api.js'
import type { Connection } from './connection.js'
import type { EventBus } from './event-bus.js'
import type { ExportManager } from './exports/export-manager.js'
import type { JobManager } from './job-manager.js'
import type { LiveBridge } from './live-bridge.js'
import type { SettingsService } from './settings/settings-service.js'
import type { SetupApi } from './setup.js'

/** One function per request of the contract; a missing or mistyped one fails to compile. */
export type HandlerMap = {
  [K in keyof typeof requests]: (input: z.infer<(typeof requests)[K]['in']>) => Promise<RequestOut<K>>
}

export interface HandlerDeps {
  connection: Connection
  engine: EngineApi
  setup: SetupApi
  jobs: JobManager
  bus: EventBus
  live: LiveBridge
  settings: SettingsService
  exports: ExportManager
}
