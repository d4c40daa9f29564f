import { parentPort, workerData } from 'node:worker_threads'
import type { EngineApi } from '../../engine/api.js'
import { messageOf } from '../../engine/errors.js'
import { Connection } from '../connection.js'
import { createHost } from '../host.js'
import type { SetupApi } from '../setup.js'
import type { FromWorker, HostWorkerData, ToWorker } from './protocol.js'

/**
 * The worker side: opens the database here (so PGlite's blocking SQL never stalls the thread that serves the
 * UI), builds the host over the injected engine, and relays requests, responses and events over the port.
 */
export async function runHostWorker(deps: { engine: EngineApi; setup: SetupApi }): Promise<void> {
  const port = parentPort
  if (!port) throw new Error('runHostWorker must run in a worker thread')
  const data = workerData as HostWorkerData
  const send = (message: FromWorker) => port.postMessage(message)
  const connection = new Connection({ config: data.config, pingMs: data.timing?.pingMs })
  connection.onChange((state) =>
    send({
      type: 'log',
      level: state.ok ? 'info' : 'warn',
      message: state.ok ? 'database connected' : `database unreachable: ${state.message}`,
    }),
  )
  const host = await createHost({ connection, engine: deps.engine, setup: deps.setup, timing: data.timing })
  host.subscribe((message) => send({ type: 'event', message }))
  port.on('message', (message: ToWorker) => {
    if (message.type === 'request') {
      void host
        .request(message.name, message.input)
        .then((envelope) => send({ type: 'response', id: message.id, envelope }))
    } else if (message.type === 'close') {
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
  })
  send({ type: 'ready' })
}
