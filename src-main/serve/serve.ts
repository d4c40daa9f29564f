import type { DbConfig } from '../engine/config.js'
import { AssayError } from '../engine/errors.js'
import { packagePath } from '../engine/package-root.js'
import { startHostWorker } from '../host/worker/host-worker-client.js'
import type { LogLevel } from '../host/worker/protocol.js'
import { type RunningServer, startServer } from './server.js'
import { hasRenderer } from './static-files.js'

export interface ServeOptions {
  config: DbConfig
  port: number
  /** Default: out/renderer of this checkout (electron-vite's renderer output). */
  staticDir?: string
  log?: (level: LogLevel, message: string) => void
  /** The database was named by a flag or the environment; otherwise a connection saved in Settings is used. */
  explicit?: boolean
}

/** The built console: electron-vite's renderer output in Assay's package (checkout or installed). */
export function defaultStaticDir(): string {
  return process.env.ASSAY_RENDERER_DIR ?? packagePath('out', 'renderer')
}

/**
 * `assay serve`: the host in a worker thread (it owns the database), the HTTP + WebSocket server on this
 * thread, so the UI and live progress stay responsive whatever SQL the worker is running.
 */
export async function startServe(options: ServeOptions): Promise<RunningServer> {
  const staticDir = options.staticDir ?? defaultStaticDir()
  if (!hasRenderer(staticDir)) {
    throw new AssayError(
      'not_built',
      `the console is not built (no ${staticDir}/index.html) — run: npm run build`,
    )
  }
  const host = await startHostWorker({
    config: options.config,
    log: options.log,
    explicit: options.explicit ?? true,
  })
  try {
    const server = await startServer({ host, port: options.port, staticDir })
    return {
      ...server,
      async close() {
        await server.close()
        await host.close()
      },
    }
  } catch (error) {
    await host.close()
    if ((error as NodeJS.ErrnoException).code === 'EADDRINUSE') {
      throw new AssayError(
        'port_in_use',
        `port ${options.port} on 127.0.0.1 is already in use — choose another with --port`,
      )
    }
    throw error
  }
}
