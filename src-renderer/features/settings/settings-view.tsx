import { useEffect } from 'react'
import type { Theme } from '../../../src-shared/settings'
import { InlineError } from '../../components/feedback'
import { loadSettings, setNotifications, setTheme, useSettings } from '../../stores/settings-store'
import { selectNeedsSetup, useSetup } from '../../stores/setup-store'
import { showView } from '../../stores/view-store'
import { ConnectionForm } from './connection-form'
import { RetentionForm } from './retention-form'
import { RetryForm } from './retry-form'

const THEMES: { value: Theme; label: string }[] = [
  { value: 'light', label: 'Light' },
  { value: 'dark', label: 'Dark' },
  { value: 'system', label: 'Same as the system' },
]

function NotificationsPanel({ on }: { on: boolean }) {
  const busy = useSettings((s) => s.busy === 'notifications')
  const error = useSettings((s) => s.errors.notifications)
  return (
    <div className="panel">
      <h2>Notifications</h2>
      <label className="switch">
        <input
          type="checkbox"
          checked={on}
          disabled={busy}
          onChange={(e) => void setNotifications(e.target.checked)}
        />
        Notify me when a run fails or is interrupted
      </label>
      <p className="field-hint">
        A desktop notification, also for runs started from the CLI while the console is open. Off until you
        turn it on.
      </p>
      <InlineError message={error} />
    </div>
  )
}

/** Settings: connection, retry policy, log retention, theme — saved in the per-user settings file. */
export function SettingsView() {
  const settings = useSettings((s) => s.settings)
  const error = useSettings((s) => s.errors.load)
  const needsSetup = useSetup(selectNeedsSetup)
  useEffect(() => {
    void loadSettings()
  }, [])
  return (
    <section className="view settings-view" data-state={settings ? 'ready' : 'loading'} aria-label="Settings">
      <InlineError message={error} />
      {needsSetup ? (
        <div className="panel callout" role="status" data-testid="setup-callout">
          <p>
            <strong>This database is not set up yet.</strong> It needs its schemas and data before there is
            anything to run or show.{' '}
            <button
              type="button"
              className="button button-primary button-small"
              onClick={() => showView('overview')}
            >
              Set it up
            </button>
          </p>
        </div>
      ) : null}
      {settings ? (
        <div className="settings-layout">
          <div className="panel">
            <h2>Connection</h2>
            <p data-testid="active-connection">Now using {settings.active.label}.</p>
            {settings.launchOverrides ? (
              <p className="muted small">
                This console was started with a database named on the command line or in the environment; at
                the next start that one is used again, not the connection saved here.
              </p>
            ) : null}
            <ConnectionForm settings={settings} />
          </div>
          <div className="settings-side">
            <div className="panel">
              <h2>Retry policy</h2>
              <RetryForm retry={settings.retry} />
            </div>
            <div className="panel">
              <h2>Log retention</h2>
              <RetentionForm days={settings.retentionDays} />
            </div>
            <NotificationsPanel on={settings.notifications} />
            <div className="panel">
              <h2 id="theme-title">Theme</h2>
              <fieldset className="segmented" aria-labelledby="theme-title">
                {THEMES.map((t) => (
                  <label key={t.value} className={settings.theme === t.value ? 'checked' : ''}>
                    <input
                      type="radio"
                      name="theme"
                      checked={settings.theme === t.value}
                      onChange={() => void setTheme(t.value)}
                    />
                    {t.label}
                  </label>
                ))}
              </fieldset>
            </div>
            <p className="muted small">Saved in {settings.file}</p>
          </div>
        </div>
      ) : null}
    </section>
  )
}
