import { create } from 'zustand'
import type { RetrySettings } from '../../src-shared/pipeline'
import type {
  ConnectionInput,
  ConnectionTest,
  RetentionPreview,
  RetentionResult,
  SettingsView,
  Theme,
} from '../../src-shared/settings'
import { messageOf } from '../api/client'
import { api } from '../api/instance'
import { askNotificationPermission } from '../lib/notify'
import { applyTheme } from '../lib/theme'
import { forgetRuns } from './runs-store'

type Busy = 'load' | 'test' | 'connect' | 'retry' | 'theme' | 'preview' | 'retention' | 'notifications'

interface SettingsState {
  settings: SettingsView | null
  busy: Busy | null
  /** The last problem, per section. */
  errors: Partial<Record<'load' | 'connection' | 'retry' | 'retention' | 'theme' | 'notifications', string>>
  test: ConnectionTest | null
  /** Said after a successful save, per section. */
  saved: Partial<Record<'connection' | 'retry', string>>
  preview: RetentionPreview | null
  deleted: RetentionResult | null
}

export const useSettings = create<SettingsState>()(() => ({
  settings: null,
  busy: null,
  errors: {},
  test: null,
  saved: {},
  preview: null,
  deleted: null,
}))

function setError(section: keyof SettingsState['errors'], message: string | undefined): void {
  useSettings.setState((s) => ({ errors: { ...s.errors, [section]: message } }))
}

async function run<T>(busy: Busy, fn: () => Promise<T>): Promise<T | undefined> {
  useSettings.setState({ busy })
  try {
    return await fn()
  } finally {
    useSettings.setState({ busy: null })
  }
}

export async function loadSettings(): Promise<void> {
  try {
    const settings = await api().request('settings:get')
    useSettings.setState({ settings })
    setError('load', undefined)
    applyTheme(settings.theme)
  } catch (error) {
    setError('load', messageOf(error))
  }
}

export function testConnection(connection: ConnectionInput): Promise<void> {
  useSettings.setState({ test: null, saved: {} })
  setError('connection', undefined)
  return run('test', async () => {
    try {
      useSettings.setState({ test: await api().request('settings:test', connection) })
    } catch (error) {
      setError('connection', messageOf(error))
    }
  }) as Promise<void>
}

/** Tests, switches the console to the connection and saves it; the header and every view follow. */
export function connect(connection: ConnectionInput, rememberPassword: boolean): Promise<void> {
  useSettings.setState({ test: null, saved: {} })
  setError('connection', undefined)
  return run('connect', async () => {
    try {
      const settings = await api().request('settings:connect', { connection, rememberPassword })
      forgetRuns()
      useSettings.setState({
        settings,
        saved: { connection: `Connected to ${settings.active.label} and saved.` },
      })
    } catch (error) {
      setError('connection', messageOf(error))
    }
  }) as Promise<void>
}

export function saveRetry(retry: RetrySettings): Promise<void> {
  setError('retry', undefined)
  return run('retry', async () => {
    try {
      const settings = await api().request('settings:save', { retry })
      useSettings.setState({ settings, saved: { retry: 'Saved: runs started from this console use it.' } })
    } catch (error) {
      setError('retry', messageOf(error))
    }
  }) as Promise<void>
}

export function setTheme(theme: Theme): Promise<void> {
  applyTheme(theme)
  // At once, so the choice shows as made while it is saved.
  useSettings.setState((s) => (s.settings ? { settings: { ...s.settings, theme } } : s))
  setError('theme', undefined)
  return run('theme', async () => {
    try {
      useSettings.setState({ settings: await api().request('settings:save', { theme }) })
    } catch (error) {
      setError('theme', messageOf(error))
    }
  }) as Promise<void>
}

/** Opt in (asking the system's permission first) or out of notifications for runs that need attention. */
export function setNotifications(on: boolean): Promise<void> {
  setError('notifications', undefined)
  const shown = (value: boolean) =>
    useSettings.setState((s) => (s.settings ? { settings: { ...s.settings, notifications: value } } : s))
  // At once, so the switch moves when clicked; put back if permission or saving fails.
  shown(on)
  return run('notifications', async () => {
    if (on && !(await askNotificationPermission())) {
      shown(false)
      setError(
        'notifications',
        'Notifications are blocked for the console: allow them in the browser or system settings.',
      )
      return
    }
    try {
      useSettings.setState({ settings: await api().request('settings:save', { notifications: on }) })
    } catch (error) {
      shown(!on)
      setError('notifications', messageOf(error))
    }
  }) as Promise<void>
}

export function previewRetention(days: number): Promise<void> {
  useSettings.setState({ preview: null, deleted: null })
  setError('retention', undefined)
  return run('preview', async () => {
    try {
      const preview = await api().request('retention:preview', { days })
      const settings = await api().request('settings:save', { retentionDays: days })
      useSettings.setState({ preview, settings })
    } catch (error) {
      setError('retention', messageOf(error))
    }
  }) as Promise<void>
}

export function applyRetention(days: number): Promise<void> {
  setError('retention', undefined)
  return run('retention', async () => {
    try {
      const deleted = await api().request('retention:apply', { days })
      useSettings.setState({ deleted, preview: null })
    } catch (error) {
      setError('retention', messageOf(error))
    }
  }) as Promise<void>
}

export function cancelRetention(): void {
  useSettings.setState({ preview: null })
}
