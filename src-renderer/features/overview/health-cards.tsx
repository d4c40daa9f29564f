import type { ReactNode } from 'react'
import type { Overview } from '../../../src-shared/overview'
import { TableHead } from '../../components/table-head'
import { formatCount, formatDateTime, formatDuration } from '../../lib/format'

/** A numeric cell: its text, and whether it counts something that went wrong. */
type Cell = string | { text: string; problem: boolean }

interface Row {
  key: string
  name: ReactNode
  cells: Cell[]
}

/** A card of one seed query: a row per name, numbers to the right, or a sentence when it has no row. */
function Card({
  title,
  query,
  empty,
  head,
  rows,
}: {
  title: string
  /** The seed query this card runs. */
  query: string
  empty: string
  head: string[]
  rows: Row[]
}) {
  return (
    <section className="panel health-card" aria-label={title}>
      <h3>{title}</h3>
      <p className="muted small">{query}</p>
      {rows.length === 0 ? (
        <p className="muted">{empty}</p>
      ) : (
        <table className="table compact">
          <TableHead columns={head.map((h, i) => (i > 0 ? { label: h, num: true } : h))} />
          <tbody>
            {rows.map((row) => (
              <tr key={row.key}>
                <th scope="row">{row.name}</th>
                {row.cells.map((cell, i) => (
                  <td
                    key={head[i + 1]}
                    className={typeof cell !== 'string' && cell.problem ? 'num detail-problem' : 'num'}
                  >
                    {typeof cell === 'string' ? cell : cell.text}
                  </td>
                ))}
              </tr>
            ))}
          </tbody>
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
        empty="No checkpoints yet — run a pipeline."
        head={['Pipeline', 'Checkpoints', 'Completed', 'Failed', 'Cancelled', 'Avg']}
        rows={health.map((h) => ({
          key: h.pipelineName,
          name: h.pipelineName,
          cells: [
            formatCount(h.total),
            formatCount(h.completed),
            { text: formatCount(h.failed), problem: h.failed > 0 },
            formatCount(h.cancelled),
            formatDuration(h.avgDurationMs),
          ],
        }))}
      />
      <Card
        title="Failures by stage"
        query="failed checkpoints (not cancelled), most first"
        empty="No failed stage so far."
        head={['Stage', 'Failures', 'Last failure']}
        rows={failuresByStage.map((f) => ({
          key: f.stage,
          name: f.stage,
          cells: [{ text: formatCount(f.failures), problem: true }, formatDateTime(f.lastFailure)],
        }))}
      />
      <Card
        title="Slowest stages"
        query="completed checkpoints by average duration"
        empty="No completed stage yet."
        head={['Stage', 'Average', 'Max', 'Runs']}
        rows={slowStages.map((s) => ({
          key: s.stage,
          name: s.stage,
          cells: [formatDuration(s.avgMs), formatDuration(s.maxMs), formatCount(s.executions)],
        }))}
      />
      <Card
        title="Log levels, last 24 h"
        query="records and affected runs per level"
        empty="No log records in the last 24 hours."
        head={['Level', 'Records', 'Runs']}
        rows={logLevels.map((l) => ({
          key: l.level,
          name: <span className={`level level-${l.level.toLowerCase()}`}>{l.level}</span>,
          cells: [formatCount(l.count), formatCount(l.runs)],
        }))}
      />
    </div>
  )
}
