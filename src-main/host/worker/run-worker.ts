import { parentPort, workerData } from 'node:worker_threads'
import type { EngineApi } from '../../engine/api.js'
import { messageOf } from '../../engine/errors.js'
import { Connection } from '../connection.js'
import { createHost } from '../host.js'
import { settingsPath } from '../settings/settings-file.js'
import { launchConfig } from '../settings/settings-service.js'
import type { SetupApi } from '../setup.js'
import type { FromWorker, HostWorkerData, ToWorker } from './protocol.js'
import { workerDownloads } from './worker-downloads.js'
import { workerShell } from './worker-shell.js'

/**
 * The worker side: opens the database here (so PGlite's blocking SQL never stalls the thread that serves the
 * UI), builds the host over the injected engine, and relays requests, responses, events, export streams and
 * the shell's capabilities over the port.
 */
export async function runHostWorker(deps: { engine: EngineApi; setup: SetupApi }): Promise<void> {
  const port = parentPort
  if (!port) throw new Error('runHostWorker must run in a worker thread')
  const data = workerData as HostWorkerData
  const send = (message: FromWorker) => port.postMessage(message)
  const { shell, onReply } = workerShell(port, data.shell)
  const launch = { explicit: data.explicit ?? true }
  const settingsFile = settingsPath()
  // Listen before anything awaits a shell call (decrypting a saved password does).
  const early: ToWorker[] = []
  let handle: (message: ToWorker) => void = (message) => {
    if (message.type === 'shell-reply') onReply(message)
    else early.push(message)
  }
  port.on('message', (message: ToWorker) => handle(message))

  const config = await launchConfig(data.config, launch, settingsFile, shell)
  const connection = new Connection({ config, pingMs: data.timing?.pingMs })
  connection.onChange((state) =>
    send({
      type: 'log',
      level: state.ok ? 'info' : 'warn',
      message: state.ok ? 'database connected' : `database unreachable: ${state.message}`,
    }),
  )
  const host = await createHost({
    connection,
    engine: deps.engine,
    setup: deps.setup,
    shell,
    launch,
    settingsFile,
    timing: data.timing,
  })
  host.subscribe((message) => send({ type: 'event', message }))
  const downloads = workerDownloads(port, host)
  handle = (message) => {
    switch (message.type) {
      case 'request':
        void host
          .request(message.name, message.input)
          .then((envelope) => send({ type: 'response', id: message.id, envelope }))
        return
      case 'shell-reply':
        return onReply(message)
      case 'download':
      case 'download-ack':
      case 'download-abort':
        return downloads(message)
      case 'close':
        host
          .close()
          .catch((error) =>
            send({ type: 'log', level: 'error', message: `closing the host: ${messageOf(error)}` }),
          )
          .finally(() => {
            send({ type: 'closed' })
            port.close()
          })
    }
  }
  for (const message of early.splice(0)) handle(message)
  send({ type: 'ready' })
}
