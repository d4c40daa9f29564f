/** Console settings: the connection, the retry policy, log retention and the theme. */
import { z } from 'zod'
import { RetrySettings } from './pipeline.js'

export const EmbeddedConnection = z.object({
  kind: z.literal('embedded'),
  dataDir: z.string().trim().min(1, 'data directory is required').max(1000),
})

/** libpq's sslmode values (the engine's TLS module gives them their meaning). */
export const SSL_MODES = ['disable', 'allow', 'prefer', 'require', 'verify-ca', 'verify-full'] as const
const SslPath = (what: string) => z.string().trim().min(1, `${what} must not be empty`).max(1000).optional()

export const PostgresConnection = z.object({
  kind: z.literal('postgres'),
  host: z.string().trim().min(1, 'host is required').max(255),
  port: z.number().int().min(1, 'port must be 1–65535').max(65535, 'port must be 1–65535'),
  database: z.string().trim().min(1, 'database is required').max(63),
  user: z.string().trim().min(1, 'user is required').max(63),
  /** Only ever sent to the host; never returned, never logged. */
  password: z.string().max(1000).optional(),
  /** TLS as libpq's sslmode; absent means libpq's default, prefer. */
  sslmode: z.enum(SSL_MODES).optional(),
  sslrootcert: SslPath('the root certificate path'),
  sslcert: SslPath('the client certificate path'),
  sslkey: SslPath('the client key path'),
})

export const ConnectionInput = z.discriminatedUnion('kind', [EmbeddedConnection, PostgresConnection])
export type ConnectionInput = z.infer<typeof ConnectionInput>

/** A saved connection as the console sees it: no password, only whether one is stored (encrypted). */
export const SavedConnection = z.discriminatedUnion('kind', [
  EmbeddedConnection,
  PostgresConnection.omit({ password: true }).extend({ passwordSaved: z.boolean() }),
])
export type SavedConnection = z.infer<typeof SavedConnection>

export const Theme = z.enum(['light', 'dark', 'system'])
export type Theme = z.infer<typeof Theme>

export const RetentionDays = z
  .number()
  .int('days must be a whole number')
  .min(1, 'days must be at least 1')
  .max(3650, 'days must be at most 3650')

export const RetrySettingsInput = RetrySettings.refine((r) => r.maxDelayMs >= r.baseDelayMs, {
  message: 'the cap must be at least the base delay',
})

export const SettingsPatch = z.object({
  retry: RetrySettingsInput.optional(),
  theme: Theme.optional(),
  retentionDays: RetentionDays.optional(),
  notifications: z.boolean().optional(),
})
export type SettingsPatch = z.infer<typeof SettingsPatch>

export const SettingsView = z.object({
  /** The saved connection (null: none saved; the launch's own settings apply). */
  connection: SavedConnection.nullable(),
  /** What this console is connected to now (password-free). */
  active: z.object({
    kind: z.enum(['embedded', 'postgres']),
    label: z.string(),
    source: z.string(),
    connection: z.discriminatedUnion('kind', [
      EmbeddedConnection,
      PostgresConnection.omit({ password: true }),
    ]),
  }),
  /** True when this launch was told which database to use (flag or environment), which wins over the saved one. */
  launchOverrides: z.boolean(),
  retry: RetrySettings,
  theme: Theme,
  retentionDays: RetentionDays,
  /** Opt-in: a desktop notification when a run fails (Electron's, or the browser's Notifications API). */
  notifications: z.boolean(),
  file: z.string(),
  capabilities: z.object({
    /** Passwords can be stored encrypted (Electron's safeStorage in the desktop app). */
    secureStorage: z.boolean(),
    /** Exports are written where a save dialog says (desktop) instead of downloaded (browser). */
    saveDialog: z.boolean(),
  }),
})
export type SettingsView = z.infer<typeof SettingsView>

export const ConnectRequest = z.object({ connection: ConnectionInput, rememberPassword: z.boolean() })

export const ConnectionTest = z.object({ ok: z.boolean(), message: z.string() })
export type ConnectionTest = z.infer<typeof ConnectionTest>

export const RetentionPreview = z.object({
  days: z.number(),
  cutoff: z.string(),
  logs: z.number(),
  checkpoints: z.number(),
})
export type RetentionPreview = z.infer<typeof RetentionPreview>

export const RetentionResult = z.object({ logs: z.number(), checkpoints: z.number() })
export type RetentionResult = z.infer<typeof RetentionResult>
