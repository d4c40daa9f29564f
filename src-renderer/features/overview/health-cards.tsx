import type { ReactNode } from 'react'
import type { Overview } from '../../../src-shared/overview'
import { formatCount, formatDateTime, formatDuration } from '../../lib/format'

function Card({
  title,
  query,
  empty,
  head,
  children,
}: {
  title: string
  /** The seed query this card runs. */
  query: string
  empty: string | null
  head: string[]
  children: ReactNode
}) {
  return (
    <section className="panel health-card" aria-label={title}>
      <h3>{title}</h3>
      <p className="muted small">{query}</p>
      {empty ? (
        <p className="muted">{empty}</p>
      ) : (
        <table className="table compact">
          <thead>
            <tr>
              {head.map((h, i) => (
                <th key={h} scope="col" className={i > 0 ? 'num' : undefined}>
                  {h}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>{children}</tbody>
        </table>
      )}
    </section>
  )
}

/** The seed's monitoring queries as four cards: health, failures by stage, slow stages, log levels. */
export function HealthCards({ overview }: { overview: Overview }) {
  const { health, failuresByStage, slowStages, logLevels } = overview
  return (
    <div className="health-grid">
      <Card
        title="Pipeline health"
        query="checkpoints per pipeline"
        empty={health.length ? null : 'No checkpoints yet — run a pipeline.'}
        head={['Pipeline', 'Checkpoints', 'Completed', 'Failed', 'Cancelled', 'Avg']}
      >
        {health.map((h) => (
          <tr key={h.pipelineName}>
            <th scope="row">{h.pipelineName}</th>
            <td className="num">{formatCount(h.total)}</td>
            <td className="num">{formatCount(h.completed)}</td>
            <td className={`num ${h.failed ? 'detail-problem' : ''}`}>{formatCount(h.failed)}</td>
            <td className="num">{formatCount(h.cancelled)}</td>
            <td className="num">{formatDuration(h.avgDurationMs)}</td>
          </tr>
        ))}
      </Card>
      <Card
        title="Failures by stage"
        query="failed checkpoints (not cancelled), most first"
        empty={failuresByStage.length ? null : 'No failed stage so far.'}
        head={['Stage', 'Failures', 'Last failure']}
      >
        {failuresByStage.map((f) => (
          <tr key={f.stage}>
            <th scope="row">{f.stage}</th>
            <td className="num detail-problem">{formatCount(f.failures)}</td>
            <td className="num">{formatDateTime(f.lastFailure)}</td>
          </tr>
        ))}
      </Card>
      <Card
        title="Slowest stages"
        query="completed checkpoints by average duration"
        empty={slowStages.length ? null : 'No completed stage yet.'}
        head={['Stage', 'Average', 'Max', 'Runs']}
      >
        {slowStages.map((s) => (
          <tr key={s.stage}>
            <th scope="row">{s.stage}</th>
            <td className="num">{formatDuration(s.avgMs)}</td>
            <td className="num">{formatDuration(s.maxMs)}</td>
            <td className="num">{formatCount(s.executions)}</td>
          </tr>
        ))}
      </Card>
      <Card
        title="Log levels, last 24 h"
        query="records and affected runs per level"
        empty={logLevels.length ? null : 'No log records in the last 24 hours.'}
        head={['Level', 'Records', 'Runs']}
      >
        {logLevels.map((l) => (
          <tr key={l.level}>
            <th scope="row">
              <span className={`level level-${l.level.toLowerCase()}`}>{l.level}</span>
            </th>
            <td className="num">{formatCount(l.count)}</td>
            <td className="num">{formatCount(l.runs)}</td>
          </tr>
        ))}
      </Card>
    </div>
  )
}
