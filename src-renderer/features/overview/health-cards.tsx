import type { ReactNode } from 'react'
import type { Overview } from '../../../src-shared/overview'
import { TableHead } from '../../components/table-head'
import { formatCount, formatDateTime, formatDuration, zoneLabel } from '../../lib/format'

/** A numeric cell: its text, and whether it counts something that went wrong. */
type Cell = string | { text: string; problem: boolean }

interface Row {
  name: string
  /** How the name shows, where it is more than text. */
  label?: ReactNode
  cells: Cell[]
}

/** One of the cards: the seed query it shows, its column heads, and what it says when it has no row. */
interface CardSpec {
  title: string
  query: string
  empty: string
  head: string[]
  rows: (overview: Overview) => Row[]
}

const CARDS: CardSpec[] = [
  {
    title: 'Pipeline health',
    query: 'checkpoints per pipeline',
    empty: 'No checkpoints yet — run a pipeline.',
    head: ['Pipeline', 'Checkpoints', 'Completed', 'Failed', 'Cancelled', 'Avg'],
    rows: (o) =>
      o.health.map((h) => ({
        name: h.pipelineName,
        cells: [
          formatCount(h.total),
          formatCount(h.completed),
          { text: formatCount(h.failed), problem: h.failed > 0 },
          formatCount(h.cancelled),
          formatDuration(h.avgDurationMs),
        ],
      })),
  },
  {
    title: 'Failures by stage',
    query: 'failed checkpoints (not cancelled), most first',
    empty: 'No failed stage so far.',
    head: ['Stage', 'Failures', `Last failure (${zoneLabel()})`],
    rows: (o) =>
      o.failuresByStage.map((f) => ({
        name: f.stage,
        cells: [{ text: formatCount(f.failures), problem: true }, formatDateTime(f.lastFailure)],
      })),
  },
  {
    title: 'Slowest stages',
    query: 'completed checkpoints by average duration',
    empty: 'No completed stage yet.',
    head: ['Stage', 'Average', 'Max', 'Runs'],
    rows: (o) =>
      o.slowStages.map((s) => ({
        name: s.stage,
        cells: [formatDuration(s.avgMs), formatDuration(s.maxMs), formatCount(s.executions)],
      })),
  },
  {
    title: 'Log levels, last 24 h',
    query: 'records and affected runs per level',
    empty: 'No log records in the last 24 hours.',
    head: ['Level', 'Records', 'Runs'],
    rows: (o) =>
      o.logLevels.map((l) => ({
        name: l.level,
        label: <span className={`level level-${l.level.toLowerCase()}`}>{l.level}</span>,
        cells: [formatCount(l.count), formatCount(l.runs)],
      })),
  },
]

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
              <tr key={row.name}>
                <th scope="row">{row.label ?? row.name}</th>
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
  return (
    <div className="health-grid">
      {CARDS.map((card) => (
        <Card
          key={card.title}
          title={card.title}
          query={card.query}
          empty={card.empty}
          head={card.head}
          rows={card.rows(overview)}
        />
      ))}
    </div>
  )
}
