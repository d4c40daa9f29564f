/** TEST SUPPORT — a host over a scratch database, with a recorder of its events and a typed `call`. */
import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import {
  type EventMessage,
  type EventName,
  type EventPayload,
  type RequestName,
  type RequestOut,
  requests,
} from '../../src-shared/contract.js'
import type { DbConfig } from '../engine/config.js'
import { openDb } from '../engine/db/open.js'
import { engine } from '../engine/engine.js'
import type { Scratch } from '../test-support/scratch.js'
import { Connection } from './connection.js'
import { engineSetup } from './engine-setup.js'
import { createHost, type Host } from './host.js'
import type { Shell } from './shell.js'

/** Every event a host pushes, and a wait for one that matches, pushed already or still to come. */
export interface EventRecorder {
  seen: EventMessage[]
  of<K extends EventName>(name: K): EventPayload<K>[]
  next<K extends EventName>(
    name: K,
    test?: (p: EventPayload<K>) => boolean,
    ms?: number,
  ): Promise<EventPayload<K>>
  /** Forgets what was seen, so `next` waits for an event still to come. */
  clear(): void
}

export function recordEvents(host: Host): EventRecorder {
  const seen: EventMessage[] = []
  const waiters = new Set<(m: EventMessage) => void>()
  host.subscribe((m) => {
    seen.push(m)
    for (const w of [...waiters]) w(m)
  })
  return {
    seen,
    of: (name) => seen.filter((m) => m.event === name).map((m) => m.payload as never),
    clear() {
      seen.length = 0
    },
    next(name, test = () => true, ms = 15_000) {
      const match = (m: EventMessage) => m.event === name && test(m.payload as never)
      const past = seen.find(match)
      if (past) return Promise.resolve(past.payload as never)
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`no matching ${name} event`)), ms)
        const waiter = (m: EventMessage) => {
          if (!match(m)) return
          waiters.delete(waiter)
          clearTimeout(timer)
          resolve(m.payload as never)
        }
        waiters.add(waiter)
      })
    },
  }
}

export interface TestHost extends EventRecorder {
  host: Host
  connection: Connection
  settingsFile: string
  call<K extends RequestName>(request: K, input?: unknown): Promise<RequestOut<K>>
}

/** A host on `s` with its own settings file (never the user's), fast timings and an optional shell. */
export async function testHost(s: Scratch, shell: Shell = {}): Promise<TestHost> {
  const config: DbConfig = s.config ?? { kind: 'pglite', dataDir: 'memory://', source: 'test' }
  // The scratch owns the database: the host borrows it and closing the host leaves it open for dispose().
  const borrowed = Object.assign(Object.create(s.db), { close: async () => undefined })
  // Another database (Settings → connect) is really opened, and closed with the host.
  const connection = new Connection({ config, open: async (c) => (c === config ? borrowed : openDb(c)) })
  const settingsFile = join(mkdtempSync(join(tmpdir(), 'assay-settings-')), 'settings.json')
  const host = await createHost({
    connection,
    engine,
    setup: engineSetup,
    shell,
    settingsFile,
    timing: { batchMs: 20, debounceMs: 10 },
  })
  return {
    ...recordEvents(host),
    host,
    connection,
    settingsFile,
    async call(request, input) {
      const envelope = await host.request(request, input)
      if (!envelope.ok)
        throw new Error(`${request} failed: ${envelope.error.code}: ${envelope.error.message}`)
      return requests[request].out.parse(envelope.value) as never
    },
  }
}
