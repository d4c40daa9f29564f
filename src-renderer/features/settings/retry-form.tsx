import { useEffect, useState } from 'react'
import { useShallow } from 'zustand/react/shallow'
import type { RetrySettings } from '../../../src-shared/pipeline'
import { InlineError } from '../../components/feedback'
import { TextField } from '../../components/field'
import { formatDuration } from '../../lib/format'
import { saveRetry, useSettings } from '../../stores/settings-store'

type Draft = { attempts: string; base: string; cap: string }

const seconds = (ms: number) => String(ms / 1000)

function parse(d: Draft): RetrySettings | string {
  const attempts = Number(d.attempts)
  const base = Number(d.base)
  const cap = Number(d.cap)
  if (!Number.isInteger(attempts) || attempts < 1 || attempts > 20)
    return 'attempts must be a whole number from 1 to 20'
  if (!Number.isFinite(base) || base < 0 || base > 600) return 'base delay must be 0–600 seconds'
  if (!Number.isFinite(cap) || cap < 0 || cap > 3600) return 'cap must be 0–3600 seconds'
  if (cap < base) return 'the cap must be at least the base delay'
  return { maxAttempts: attempts, baseDelayMs: Math.round(base * 1000), maxDelayMs: Math.round(cap * 1000) }
}

/** The schedule the policy gives: waits before attempts 2, 3, … (without the up-to-25 % jitter). */
function schedule(r: RetrySettings): string {
  const waits = Array.from({ length: Math.min(r.maxAttempts - 1, 6) }, (_, i) =>
    formatDuration(Math.min(r.maxDelayMs, r.baseDelayMs * 2 ** i)),
  )
  return waits.length
    ? `waits ${waits.join(', ')}${r.maxAttempts > 7 ? ', …' : ''} (+ up to 25 % jitter)`
    : 'no retries'
}

/** Retry policy for runs started from this console: attempts, base delay, cap. */
export function RetryForm({ retry }: { retry: RetrySettings }) {
  const { busy, errors, saved } = useSettings(
    useShallow(({ busy, errors, saved }) => ({ busy, errors, saved })),
  )
  const [draft, setDraft] = useState<Draft>({
    attempts: String(retry.maxAttempts),
    base: seconds(retry.baseDelayMs),
    cap: seconds(retry.maxDelayMs),
  })
  useEffect(
    () =>
      setDraft({
        attempts: String(retry.maxAttempts),
        base: seconds(retry.baseDelayMs),
        cap: seconds(retry.maxDelayMs),
      }),
    [retry],
  )
  const parsed = parse(draft)
  return (
    <form
      className="settings-form"
      aria-label="Retry policy"
      onSubmit={(e) => {
        e.preventDefault()
        if (typeof parsed !== 'string') void saveRetry(parsed)
      }}
    >
      <div className="field-row three">
        <TextField
          id="retry-attempts"
          label="Attempts"
          numeric
          value={draft.attempts}
          onChange={(attempts) => setDraft({ ...draft, attempts })}
        />
        <TextField
          id="retry-base"
          label="Base delay (s)"
          value={draft.base}
          onChange={(base) => setDraft({ ...draft, base })}
        />
        <TextField
          id="retry-cap"
          label="Cap (s)"
          value={draft.cap}
          onChange={(cap) => setDraft({ ...draft, cap })}
        />
      </div>
      <p className="field-hint">
        Transient failures (lost connection, serialization failure, deadlock) are retried; permanent ones are
        not. {typeof parsed === 'string' ? '' : `This policy ${schedule(parsed)}.`}
      </p>
      <div className="actions">
        <button
          type="submit"
          className="button button-primary"
          disabled={busy !== null || typeof parsed === 'string'}
        >
          {busy === 'retry' ? 'Saving…' : 'Save retry policy'}
        </button>
      </div>
      {saved.retry ? (
        <p className="test-ok" role="status">
          {saved.retry}
        </p>
      ) : null}
      <InlineError message={typeof parsed === 'string' ? parsed : errors.retry} />
    </form>
  )
}
