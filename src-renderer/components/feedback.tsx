import type { ReactNode } from 'react'
import type { Tone } from '../../src-shared/ops-states'
import { localizeInstants } from '../lib/format'

/** A specific message next to the control it is about. */
export function InlineError({ message, id }: { message: string | null | undefined; id?: string }) {
  if (!message) return null
  return (
    <p className="inline-error" role="alert" id={id}>
      {localizeInstants(message)}
    </p>
  )
}

export function Banner({ tone, children }: { tone: 'danger' | 'warning' | 'info'; children: ReactNode }) {
  return (
    <div className={`banner banner-${tone}`} role={tone === 'info' ? 'status' : 'alert'}>
      {children}
    </div>
  )
}

/** What an empty area shows: what it is for and what to do next. */
export function EmptyState({ title, children }: { title: string; children?: ReactNode }) {
  return (
    <div className="empty-state">
      <p className="empty-title">{title}</p>
      {children ? <div className="empty-body">{children}</div> : null}
    </div>
  )
}

/** A progress bar; its tone says how the work is going (a failed run's bar is red, never green). */
export function ProgressBar({
  fraction,
  label,
  tone = 'ok',
}: {
  fraction: number | null
  label: string
  tone?: Tone
}) {
  const pct = fraction === null ? null : Math.round(Math.min(1, Math.max(0, fraction)) * 100)
  return (
    <div
      className={`progress progress-${tone} ${pct === null ? 'progress-indeterminate' : ''}`}
      data-tone={tone}
      role="progressbar"
      aria-label={label}
      aria-valuemin={0}
      aria-valuemax={100}
      aria-valuenow={pct ?? undefined}
    >
      <div className="progress-fill" style={pct === null ? undefined : { width: `${pct}%` }} />
    </div>
  )
}
