import { useEffect, useState } from 'react'
import { useShallow } from 'zustand/react/shallow'
import { type ConnectionInput, type SettingsView, SSL_MODES } from '../../../src-shared/settings'
import { InlineError } from '../../components/feedback'
import { Field, TextField } from '../../components/field'
import { connect, testConnection, useSettings } from '../../stores/settings-store'

type Draft = {
  kind: 'embedded' | 'postgres'
  dataDir: string
  host: string
  port: string
  database: string
  user: string
  sslmode: SslMode
  sslrootcert: string
  sslcert: string
  sslkey: string
}

type SslMode = (typeof SSL_MODES)[number]
type TextKey = Exclude<keyof Draft, 'kind' | 'sslmode'>

/** What each sslmode does, as libpq defines it. */
const SSL_HINTS: Record<SslMode, string> = {
  disable: 'Plain text only; never TLS.',
  allow: 'Plain text; Assay does not retry with TLS, so use prefer or require for servers that insist on it.',
  prefer:
    'TLS when the server offers it, plain text otherwise (the default); the certificate is not checked.',
  require: 'TLS or fail; the certificate is not checked (with a root certificate, it is, as verify-ca).',
  'verify-ca':
    'TLS, and the server certificate must be signed by the root certificate (or ~/.postgresql/root.crt).',
  'verify-full': 'As verify-ca, and the certificate must also name the host.',
}

/** The saved connection, else the one in use, else PostgreSQL's usual defaults. */
function draftOf(settings: SettingsView): Draft {
  const c = settings.connection ?? settings.active.connection
  return {
    kind: c.kind,
    dataDir: c.kind === 'embedded' ? c.dataDir : '',
    host: c.kind === 'postgres' ? c.host : 'localhost',
    port: c.kind === 'postgres' ? String(c.port) : '5432',
    database: c.kind === 'postgres' ? c.database : 'retail_db',
    user: c.kind === 'postgres' ? c.user : 'postgres',
    sslmode: (c.kind === 'postgres' && c.sslmode) || 'prefer',
    sslrootcert: (c.kind === 'postgres' && c.sslrootcert) || '',
    sslcert: (c.kind === 'postgres' && c.sslcert) || '',
    sslkey: (c.kind === 'postgres' && c.sslkey) || '',
  }
}

function toInput(d: Draft, password: string): ConnectionInput | string {
  if (d.kind === 'embedded')
    return d.dataDir.trim() ? { kind: 'embedded', dataDir: d.dataDir.trim() } : 'data directory is required'
  const port = Number(d.port)
  if (!/^\d+$/.test(d.port) || port < 1 || port > 65535) return 'port must be a number from 1 to 65535'
  for (const [name, value] of [
    ['host', d.host],
    ['database', d.database],
    ['user', d.user],
  ] as const)
    if (!value.trim()) return `${name} is required`
  return {
    kind: 'postgres',
    host: d.host.trim(),
    port,
    database: d.database.trim(),
    user: d.user.trim(),
    password: password || undefined,
    sslmode: d.sslmode,
    // Empty path fields mean "none"; the host refuses empty strings.
    sslrootcert: d.sslrootcert.trim() || undefined,
    sslcert: d.sslcert.trim() || undefined,
    sslkey: d.sslkey.trim() || undefined,
  }
}

/** Connection: the embedded data directory, or PostgreSQL with a password that is never stored in plain text. */
export function ConnectionForm({ settings }: { settings: SettingsView }) {
  const { busy, test, errors, saved } = useSettings(
    useShallow(({ busy, test, errors, saved }) => ({ busy, test, errors, saved })),
  )
  const [draft, setDraft] = useState(() => draftOf(settings))
  const [password, setPassword] = useState('')
  const [remember, setRemember] = useState(settings.capabilities.secureStorage)
  const [invalid, setInvalid] = useState<string | null>(null)
  useEffect(() => setDraft(draftOf(settings)), [settings])
  const set = (patch: Partial<Draft>) => setDraft((d) => ({ ...d, ...patch }))
  /** A text field bound to one value of the draft. */
  const text = (key: TextKey, label: string, more: { hint?: string; numeric?: boolean } = {}) => (
    <TextField
      id={`set-${key.toLowerCase()}`}
      label={label}
      value={draft[key]}
      onChange={(value) => set({ [key]: value })}
      {...more}
    />
  )
  const submit = (action: 'test' | 'connect') => {
    const input = toInput(draft, password)
    setInvalid(typeof input === 'string' ? input : null)
    if (typeof input === 'string') return
    void (action === 'test' ? testConnection(input) : connect(input, remember))
  }
  const secure = settings.capabilities.secureStorage
  const saved_ = settings.connection?.kind === 'postgres' && settings.connection.passwordSaved
  return (
    <form
      className="settings-form"
      aria-label="Connection"
      onSubmit={(e) => {
        e.preventDefault()
        submit('connect')
      }}
    >
      <fieldset className="segmented">
        <legend>Database</legend>
        {(['embedded', 'postgres'] as const).map((kind) => (
          <label key={kind} className={draft.kind === kind ? 'checked' : ''}>
            <input type="radio" name="db-kind" checked={draft.kind === kind} onChange={() => set({ kind })} />
            {kind === 'embedded' ? 'Embedded (on this computer)' : 'PostgreSQL server'}
          </label>
        ))}
      </fieldset>
      {draft.kind === 'embedded' ? (
        text('dataDir', 'Data directory', {
          hint: 'An absolute path; Assay creates the database there if it is empty.',
        })
      ) : (
        <>
          <div className="field-row">
            {text('host', 'Host')}
            {text('port', 'Port', { numeric: true })}
          </div>
          <div className="field-row">
            {text('database', 'Database')}
            {text('user', 'User')}
          </div>
          <div className="field">
            <label htmlFor="set-password">Password</label>
            <input
              id="set-password"
              type="password"
              autoComplete="off"
              value={password}
              placeholder={saved_ ? 'saved (encrypted) — type to replace' : ''}
              onChange={(e) => setPassword(e.target.value)}
              aria-describedby="set-password-hint"
            />
            <p className="field-hint" id="set-password-hint">
              {secure
                ? 'Stored encrypted with the system keychain (Electron safeStorage) when “remember” is ticked; never in plain text, never logged.'
                : 'The browser console never stores passwords: it is used for this session only. After a restart, enter it again here (or use DB_PASSWORD / .pgpass).'}
            </p>
          </div>
          <label className="checkbox">
            <input
              type="checkbox"
              checked={remember && secure}
              disabled={!secure}
              onChange={(e) => setRemember(e.target.checked)}
            />
            Remember the password{secure ? '' : ' (only in the desktop app)'}
          </label>
          <Field label="TLS (sslmode)" htmlFor="set-sslmode" hint={SSL_HINTS[draft.sslmode]}>
            <select
              id="set-sslmode"
              value={draft.sslmode}
              aria-describedby="set-sslmode-hint"
              onChange={(e) => set({ sslmode: e.target.value as SslMode })}
            >
              {SSL_MODES.map((mode) => (
                <option key={mode} value={mode}>
                  {mode}
                </option>
              ))}
            </select>
          </Field>
          {text('sslrootcert', 'Root certificate (sslrootcert)', {
            hint: 'Optional: a PEM file with the CA that signed the server certificate.',
          })}
          <div className="field-row">
            {text('sslcert', 'Client certificate (sslcert)')}
            {text('sslkey', 'Client key (sslkey)')}
          </div>
        </>
      )}
      <div className="actions">
        <button type="button" className="button" disabled={busy !== null} onClick={() => submit('test')}>
          {busy === 'test' ? 'Testing…' : 'Test connection'}
        </button>
        <button type="submit" className="button button-primary" disabled={busy !== null}>
          {busy === 'connect' ? 'Connecting…' : 'Save and connect'}
        </button>
      </div>
      {test ? (
        <p
          className={test.ok ? 'test-ok' : 'inline-error'}
          role={test.ok ? 'status' : 'alert'}
          data-testid="connection-test"
        >
          {test.ok ? '✓ ' : '✕ '}
          {test.message}
        </p>
      ) : null}
      {saved.connection ? (
        <p className="test-ok" role="status">
          {saved.connection}
        </p>
      ) : null}
      <InlineError message={invalid ?? errors.connection} />
    </form>
  )
}
