import type { RunUnit } from '../../../src-shared/history'
import { HISTORY_UNIT_STATES, historyUnitState } from '../../../src-shared/ops-states'
import type { RunRecord } from '../../../src-shared/pipeline'
import { formatDuration, formatTime, zoneLabel } from '../../lib/format'
import { hrefOf } from '../../stores/view-store'

interface Segment {
  kind: 'failed' | 'wait' | 'final'
  attempt: number
  from: number
  to: number
  title: string
}

/**
 * A unit's bar as its attempts: each retried failure (start to the failure, with its error), the wait before the
 * next attempt, then the last attempt to the unit's end. A unit that was not retried is one bar.
 */
export function attemptSegments(unit: RunUnit, from: number, to: number): Segment[] {
  const retried = unit.attempts.filter((a) => a.outcome === 'failed' && a.delayMs !== null && a.at)
  const segments: Segment[] = []
  let cursor = from
  for (const a of retried) {
    const failedAt = Date.parse(a.at!)
    const start = Math.min(cursor, failedAt)
    const code = a.code ? ` (${a.code})` : ''
    segments.push({
      kind: 'failed',
      attempt: a.attempt,
      from: start,
      to: failedAt,
      title: `${unit.unit}: attempt ${a.attempt} failed at ${formatTime(a.at)}: ${a.error ?? 'error'}${code}`,
    })
    const resumed = failedAt + (a.delayMs ?? 0)
    segments.push({
      kind: 'wait',
      attempt: a.attempt,
      from: failedAt,
      to: resumed,
      title: `${unit.unit}: waited ${formatDuration(a.delayMs)} before attempt ${a.attempt + 1}`,
    })
    cursor = resumed
  }
  const last = unit.attempts[unit.attempts.length - 1]
  segments.push({
    kind: 'final',
    attempt: last?.attempt ?? 1,
    from: Math.min(cursor, to),
    to: Math.max(to, cursor),
    title: '',
  })
  return segments
}

/**
 * A Gantt chart of the run's units from their checkpoints: each bar starts and ends where the stage (or month)
 * did within the run; the failed one is highlighted. Units without a checkpoint show why (skipped, not run).
 */
export function RunTimeline({ run, units, now }: { run: RunRecord; units: RunUnit[]; now: number }) {
  const start = Date.parse(run.startedAt)
  // A unit with no end in a run that is over stopped when the run did (its bar must not grow with the clock).
  const stop = run.status !== 'running' && run.endedAt ? Date.parse(run.endedAt) : now
  const ends = units.map((u) => (u.endTime ? Date.parse(u.endTime) : u.startTime ? stop : start))
  const end = Math.max(run.endedAt ? Date.parse(run.endedAt) : now, ...ends, start + 1)
  const span = end - start
  const pct = (t: number) => `${Math.min(100, Math.max(0, ((t - start) / span) * 100))}%`
  return (
    <table className="timeline" aria-label="Timeline of the run's units">
      <thead>
        <tr className="timeline-row timeline-head">
          <th scope="col">{run.pipeline === 'monthly' ? 'Month' : 'Stage'}</th>
          <th scope="col" className="timeline-scale">
            <span>{formatTime(run.startedAt)}</span>
            <span>{formatDuration(span)}</span>
            <span>
              {formatTime(new Date(end).toISOString())} {zoneLabel()}
            </span>
          </th>
          <th scope="col" className="num">
            Duration
          </th>
        </tr>
      </thead>
      <tbody>
        {units.map((u, i) => {
          const from = u.startTime ? Date.parse(u.startTime) : null
          const to = ends[i]!
          const retried = u.attempts.filter((a) => a.outcome === 'failed' && a.delayMs !== null).length
          const state = historyUnitState(u.status, run.status)
          const label = HISTORY_UNIT_STATES[state].label.toLowerCase()
          return (
            <tr key={u.unit} className={`timeline-row unit-${state}`} data-unit={u.unit} data-status={state}>
              <th scope="row" className="timeline-label">
                <a
                  className="link"
                  href={
                    run.pipeline === 'monthly'
                      ? hrefOf({ view: 'months', month: u.unit })
                      : hrefOf({ view: 'checkpoints', params: { stage: u.unit } })
                  }
                >
                  {u.unit}
                </a>
                {retried ? (
                  <span
                    className="retry-mark"
                    title={`${retried} transient failure${retried === 1 ? '' : 's'}, retried`}
                  >
                    ↻{retried}
                  </span>
                ) : null}
              </th>
              <td className="timeline-track">
                {from !== null ? (
                  attemptSegments(u, from, to).map((seg) => (
                    <span
                      key={`${seg.kind}-${seg.attempt}`}
                      className={seg.kind === 'final' ? 'timeline-bar' : `timeline-bar attempt-${seg.kind}`}
                      data-attempt={seg.attempt}
                      data-kind={seg.kind}
                      style={{
                        left: pct(seg.from),
                        width: `max(3px, calc(${pct(seg.to)} - ${pct(seg.from)}))`,
                      }}
                      title={
                        seg.kind === 'final'
                          ? `${u.unit}: ${label}${seg.attempt > 1 ? ` (attempt ${seg.attempt})` : ''}, ${formatTime(u.startTime)}–${formatTime(u.endTime)}`
                          : seg.title
                      }
                    />
                  ))
                ) : (
                  <span className="timeline-note muted">{u.note ?? label}</span>
                )}
              </td>
              <td className="num">
                {state === 'skipped' || state === 'not_run' ? label : formatDuration(u.durationMs)}
              </td>
            </tr>
          )
        })}
      </tbody>
    </table>
  )
}
