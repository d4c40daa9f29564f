import type { Command } from 'commander'
import { describeConfig, resolveDbConfig } from '../../engine/config.js'
import { UsageError } from '../../engine/errors.js'
import { startServe } from '../../serve/serve.js'
import { action, addConnectionOptions, connectionFlags, note } from '../context.js'

export const DEFAULT_PORT = 7350

function parsePort(text: string): number {
  const port = Number(text)
  if (!/^\d+$/.test(text) || port > 65535) {
    throw new UsageError(`--port must be a port number between 0 and 65535 (got "${text}")`)
  }
  return port
}

/** Resolves on the first SIGINT or SIGTERM; a second one while shutting down exits at once. */
function untilStopped(): Promise<string> {
  return new Promise((resolve) => {
    let stopping = false
    const onSignal = (signal: string) => {
      if (stopping) process.exit(130)
      stopping = true
      resolve(signal)
    }
    process.on('SIGINT', onSignal)
    process.on('SIGTERM', onSignal)
  })
}

/** Defines `assay serve` on the command the registry created. */
export function defineServe(command: Command): void {
  addConnectionOptions(
    command.option('--port <n>', `port on 127.0.0.1 (0 picks a free one)`, String(DEFAULT_PORT)),
  ).action(
    action(async (options: Record<string, unknown>) => {
      const port = parsePort(String(options.port))
      const config = resolveDbConfig(connectionFlags(options))
      note(
        `assay: using ${describeConfig(config)}${config.source === 'default' && !options.embedded ? ' (unless the console has a saved connection)' : ''}`,
      )
      const server = await startServe({
        config,
        port,
        // Nothing named a database: a connection saved in the console's Settings applies.
        explicit: config.source !== 'default' || Boolean(options.embedded),
        log: (level, message) => note(`assay serve: ${level === 'info' ? '' : `${level}: `}${message}`),
      })
      console.log(`Assay console: ${server.url}`)
      note('open that URL in a browser on this machine; press Ctrl+C to stop')
      const signal = await untilStopped()
      note(`assay serve: ${signal}, stopping`)
      await server.close()
      return 0
    }),
  )
}
