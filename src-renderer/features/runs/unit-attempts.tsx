import type { RunUnit } from '../../../src-shared/history'
import { describeSqlstate } from '../../../src-shared/ops-states'
import { TableHead } from '../../components/table-head'
import { formatDuration, formatTime, zoneLabel } from '../../lib/format'

function Attempts({ unit }: { unit: RunUnit }) {
  return (
    <table className="table compact attempts" aria-label={`Attempts of ${unit.unit}`}>
      <TableHead
        columns={['Attempt', 'Outcome', `At (${zoneLabel()})`, 'Error', { label: 'Delay', num: true }]}
      />
      <tbody>
        {unit.attempts.map((a) => (
          <tr key={a.attempt} data-attempt={a.attempt} data-outcome={a.outcome}>
            <th scope="row">{a.attempt}</th>
            <td className={a.outcome === 'failed' ? 'detail-problem' : undefined}>{a.outcome}</td>
            <td>{formatTime(a.at)}</td>
            <td>
              {a.code ? <code title={describeSqlstate(a.code)}>{a.code}</code> : null} {a.error ?? ''}
            </td>
            <td className="num">{a.delayMs !== null ? formatDuration(a.delayMs) : '—'}</td>
          </tr>
        ))}
      </tbody>
    </table>
  )
}

/** A failed unit: its error, SQLSTATE, how it was classified, and every attempt with its delay. */
export function UnitFailure({ unit, stageWord }: { unit: RunUnit; stageWord: string }) {
  const retries = unit.attempts.filter((a) => a.delayMs !== null).length
  return (
    <section className="failure" aria-label={`${stageWord} ${unit.unit} failed`} data-testid="unit-failure">
      <h3>
        {stageWord} <code>{unit.unit}</code> failed
      </h3>
      <p className="failure-message mono">{unit.error}</p>
      <dl className="fact-row">
        <div>
          <dt>SQLSTATE</dt>
          <dd data-testid="sqlstate">
            {unit.sqlstate ? describeSqlstate(unit.sqlstate).replace('SQLSTATE ', '') : '—'}
          </dd>
        </div>
        <div>
          <dt>Classified</dt>
          <dd data-testid="classification">
            {unit.transient === null
              ? 'unknown'
              : unit.transient
                ? `transient — retried ${retries} time${retries === 1 ? '' : 's'}`
                : 'permanent — not retried'}
          </dd>
        </div>
        {unit.errorKind ? (
          <div>
            <dt>Kind</dt>
            <dd>{unit.errorKind}</dd>
          </div>
        ) : null}
        <div>
          <dt>Attempts</dt>
          <dd>{unit.attempts.length}</dd>
        </div>
      </dl>
      <Attempts unit={unit} />
    </section>
  )
}

/** A unit that succeeded after transient failures: its attempts, so the retries and their delays are visible. */
export function UnitRecovered({ unit, stageWord }: { unit: RunUnit; stageWord: string }) {
  const failed = unit.attempts.filter((a) => a.outcome === 'failed').length
  return (
    <section
      className="recovered"
      aria-label={`${stageWord} ${unit.unit} recovered`}
      data-testid="unit-recovered"
    >
      <h3>
        {stageWord} <code>{unit.unit}</code> recovered after {failed} transient failure
        {failed === 1 ? '' : 's'}
      </h3>
      <Attempts unit={unit} />
    </section>
  )
}

/** A unit in flight when its run stopped without finishing (a crash): the attempts it made, with their errors. */
export function UnitInterrupted({ unit, stageWord }: { unit: RunUnit; stageWord: string }) {
  const failed = unit.attempts.filter((a) => a.outcome === 'failed').length
  return (
    <section
      className="failure"
      aria-label={`${stageWord} ${unit.unit} interrupted`}
      data-testid="unit-interrupted"
    >
      <h3>
        {stageWord} <code>{unit.unit}</code> was in flight when the run stopped
        {failed ? ` (after ${failed} failed attempt${failed === 1 ? '' : 's'})` : ''}
      </h3>
      <p className="muted">
        Its transaction was rolled back; the next run of this {stageWord.toLowerCase()} picks it up.
      </p>
      {unit.attempts.length ? <Attempts unit={unit} /> : null}
    </section>
  )
}
