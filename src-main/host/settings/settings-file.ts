import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs'
import { homedir } from 'node:os'
import { dirname, join } from 'node:path'
import { z } from 'zod'
import { DEFAULT_RETRY, RetrySettings } from '../../../src-shared/pipeline.js'
import { EmbeddedConnection, PostgresConnection, RetentionDays, Theme } from '../../../src-shared/settings.js'

type Env = Record<string, string | undefined>

/** The per-user settings file: XDG_CONFIG_HOME (or ~/.config)/assay/settings.json, and each platform's equivalent. */
export function settingsPath(env: Env = process.env, platform = process.platform): string {
  if (env.ASSAY_CONFIG_DIR) return join(env.ASSAY_CONFIG_DIR, 'settings.json')
  if (platform === 'darwin')
    return join(homedir(), 'Library', 'Application Support', 'Assay', 'settings.json')
  if (platform === 'win32')
    return join(env.APPDATA ?? join(homedir(), 'AppData', 'Roaming'), 'Assay', 'settings.json')
  return join(env.XDG_CONFIG_HOME || join(homedir(), '.config'), 'assay', 'settings.json')
}

/** A stored connection: the password only ever as ciphertext from the shell's secret store. */
const StoredConnection = z.discriminatedUnion('kind', [
  EmbeddedConnection,
  PostgresConnection.omit({ password: true }).extend({ passwordCipher: z.string().optional() }),
])
export type StoredConnection = z.infer<typeof StoredConnection>

export const StoredSettings = z.object({
  version: z.literal(1).default(1),
  connection: StoredConnection.nullable().default(null),
  retry: RetrySettings.default(DEFAULT_RETRY),
  theme: Theme.default('system'),
  retentionDays: RetentionDays.default(30),
  notifications: z.boolean().default(false),
})
export type StoredSettings = z.infer<typeof StoredSettings>

export const DEFAULT_SETTINGS: StoredSettings = StoredSettings.parse({})

/**
 * Reads the settings; a missing file means defaults. A file that is not valid is not fatal either: each
 * section that fails validation falls back to its default (and is rewritten on the next save).
 */
export function readSettings(file: string): StoredSettings {
  let raw: unknown
  try {
    raw = JSON.parse(readFileSync(file, 'utf8'))
  } catch {
    return DEFAULT_SETTINGS
  }
  const parsed = StoredSettings.safeParse(raw)
  if (parsed.success) return parsed.data
  const sections = (raw && typeof raw === 'object' ? raw : {}) as Record<string, unknown>
  const keep = Object.fromEntries(
    Object.entries(StoredSettings.shape)
      .map(([key, schema]) => [key, schema.safeParse(sections[key])] as const)
      .filter(([, result]) => result.success)
      .map(([key, result]) => [key, result.data]),
  )
  return { ...DEFAULT_SETTINGS, ...keep }
}

/** Writes atomically (temp file, then rename), readable by this user only. */
export function writeSettings(file: string, settings: StoredSettings): void {
  mkdirSync(dirname(file), { recursive: true, mode: 0o700 })
  const temp = `${file}.${process.pid}.tmp`
  writeFileSync(temp, `${JSON.stringify(settings, null, 2)}\n`, { mode: 0o600 })
  renameSync(temp, file)
}
