import type { RetrySettings } from '../../../src-shared/pipeline.js'
import type {
  ConnectionInput,
  ConnectionTest,
  SavedConnection,
  SettingsPatch,
  SettingsView,
} from '../../../src-shared/settings.js'
import { type DbConfig, describeConfig } from '../../engine/config.js'
import { AssayError } from '../../engine/errors.js'
import type { Connection } from '../connection.js'
import type { LaunchInfo, Shell } from '../shell.js'
import { testConnection, toDbConfig } from './connection-test.js'
import { readSettings, type StoredConnection, type StoredSettings, writeSettings } from './settings-file.js'

export interface SettingsDeps {
  file: string
  connection: Connection
  shell: Shell
  launch: LaunchInfo
  /** Switching databases under a running job would pull the database from under it. */
  isRunning: () => boolean
}

function sameServer(a: DbConfig, b: ConnectionInput): boolean {
  return (
    a.kind === 'postgres' &&
    b.kind === 'postgres' &&
    a.host === b.host &&
    a.port === b.port &&
    a.database === b.database &&
    a.user === b.user
  )
}

/** The saved connection, decrypted, when the launch did not name a database itself. */
export async function launchConfig(shellConfig: DbConfig, launch: LaunchInfo, file: string, shell: Shell) {
  const saved = readSettings(file).connection
  if (launch.explicit || !saved) return shellConfig
  if (saved.kind === 'embedded') return toDbConfig(saved)
  const password =
    saved.passwordCipher && shell.secrets
      ? await shell.secrets.decrypt(saved.passwordCipher).catch(() => undefined)
      : undefined
  return toDbConfig({ ...saved, password })
}

/**
 * Settings → the per-user JSON file. The password is never written in plain text: with the shell's secret
 * store (desktop: safeStorage) it is stored encrypted; without one (browser twin) it lives in memory for this
 * session only. It is never returned to the renderer and never passed to a logger.
 */
export class SettingsService {
  private state: StoredSettings

  constructor(private readonly deps: SettingsDeps) {
    this.state = readSettings(deps.file)
  }

  retry(): RetrySettings {
    return this.state.retry
  }

  view(): SettingsView {
    const config = this.deps.connection.config
    const saved = this.state.connection
    const connection: SavedConnection | null = !saved
      ? null
      : saved.kind === 'embedded'
        ? saved
        : { ...withoutCipher(saved), passwordSaved: Boolean(saved.passwordCipher) }
    return {
      connection,
      active: {
        kind: config.kind === 'pglite' ? 'embedded' : 'postgres',
        label: describeConfig(config),
        source: config.source,
        connection:
          config.kind === 'pglite'
            ? { kind: 'embedded', dataDir: config.dataDir }
            : {
                kind: 'postgres',
                host: config.host,
                port: config.port,
                database: config.database,
                user: config.user,
              },
      },
      launchOverrides: this.deps.launch.explicit,
      retry: this.state.retry,
      theme: this.state.theme,
      retentionDays: this.state.retentionDays,
      notifications: this.state.notifications,
      file: this.deps.file,
      capabilities: {
        secureStorage: Boolean(this.deps.shell.secrets),
        saveDialog: Boolean(this.deps.shell.saveDialog),
      },
    }
  }

  save(patch: SettingsPatch): SettingsView {
    this.persist({ ...this.state, ...stripUndefined(patch) })
    return this.view()
  }

  /** A password left empty for the server the console already uses means "the one it uses now". */
  private configFor(input: ConnectionInput): DbConfig {
    const current = this.deps.connection.config
    const reuse = sameServer(current, input) && current.kind === 'postgres' ? current.password : undefined
    return toDbConfig(input, reuse)
  }

  test(input: ConnectionInput): Promise<ConnectionTest> {
    return testConnection(this.configFor(input), this.deps.connection.config)
  }

  /** Tests the connection; only if it works, re-opens the console's database on it and saves it. */
  async connect(input: ConnectionInput, rememberPassword: boolean): Promise<SettingsView> {
    if (this.deps.isRunning())
      throw new AssayError(
        'run_active',
        'a run is active in this console — wait for it before switching databases',
      )
    const config = this.configFor(input)
    const result = await testConnection(config, this.deps.connection.config)
    if (!result.ok) throw new AssayError('db_connect', result.message)
    await this.deps.connection.reopen(config)
    this.persist({ ...this.state, connection: await this.stored(input, config, rememberPassword) })
    return this.view()
  }

  private async stored(
    input: ConnectionInput,
    config: DbConfig,
    remember: boolean,
  ): Promise<StoredConnection> {
    if (input.kind === 'embedded') return { kind: 'embedded', dataDir: input.dataDir }
    const { password: _, ...rest } = input
    const secrets = this.deps.shell.secrets
    const password = config.kind === 'postgres' ? config.password : undefined
    if (!remember || !secrets || !password) return rest
    return { ...rest, passwordCipher: await secrets.encrypt(password) }
  }

  private persist(next: StoredSettings): void {
    writeSettings(this.deps.file, next)
    this.state = next
  }
}

function withoutCipher(saved: Extract<StoredConnection, { kind: 'postgres' }>) {
  const { passwordCipher: _, ...rest } = saved
  return rest
}

function stripUndefined<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as Partial<T>
}
