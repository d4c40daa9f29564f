import { historyUnitState } from '../../../src-shared/ops-states'
import { InlineError } from '../../components/feedback'
import { RunStatusBadge } from '../../components/status'
import { shortId } from '../../lib/format'
import { useNow } from '../../lib/use-now'
import { rerunRun, resumeRun, useHistory } from '../../stores/history-store'
import { showLogs } from '../../stores/logs-store'
import { rerunMonths } from '../../stores/runs-store'
import { showRun, showView } from '../../stores/view-store'
import { ExportButton } from '../export/export-button'
import { RunFacts } from './run-facts'
import { RunLogs } from './run-logs'
import { RunTimeline } from './run-timeline'
import { UnitFailure, UnitInterrupted, UnitRecovered } from './unit-attempts'

/** One run: what it did stage by stage (or month by month), why it failed, and its logs next to it. */
export function RunDetailView({ runId }: { runId: string }) {
  const detail = useHistory((s) => s.detail)
  const detailLogs = useHistory((s) => s.detailLogs)
  const detailLogsMore = useHistory((s) => s.detailLogsMore)
  const detailError = useHistory((s) => s.detailError)
  const acting = useHistory((s) => s.acting)
  const actionError = useHistory((s) => s.actionError)
  const ready = detail?.run.runId === runId
  const now = useNow(ready && detail.run.status === 'running')
  const word = detail?.run.pipeline === 'monthly' ? 'Month' : 'Stage'
  return (
    <section
      className="view run-detail-view"
      data-state={ready || detailError ? 'ready' : 'loading'}
      aria-label="Run detail"
    >
      <p className="back">
        <button type="button" className="link" onClick={() => showRun(null)}>
          ← All runs
        </button>
      </p>
      <InlineError message={detailError} />
      {ready ? (
        <div className="run-detail-layout">
          <div className="run-detail-main">
            <div className="panel">
              <header className="panel-header">
                <h2>
                  Run <span className="mono">{shortId(runId)}</span>{' '}
                  <RunStatusBadge status={detail.run.status} />
                </h2>
                <div className="panel-header-actions">
                  {detail.resumable ? (
                    <button
                      type="button"
                      className="button button-primary"
                      disabled={acting !== null}
                      onClick={() => void resumeRun(runId)}
                      title="Start a new run that skips the stages this one completed"
                    >
                      {acting === 'resume' ? 'Resuming…' : 'Resume'}
                    </button>
                  ) : null}
                  {detail.run.pipeline === 'monthly' && detail.run.failed.length > 0 ? (
                    <button
                      type="button"
                      className="button button-primary"
                      disabled={acting !== null || detail.run.status === 'running'}
                      title={`Process ${detail.run.failed.join(', ')} again, nothing else`}
                      onClick={() => void rerunMonths(detail.run.failed).then((ok) => ok && showView('run'))}
                    >
                      Re-run failed months only
                    </button>
                  ) : null}
                  <button
                    type="button"
                    className="button"
                    disabled={acting !== null || detail.run.status === 'running'}
                    onClick={() => void rerunRun(runId)}
                    title={
                      detail.run.pipeline === 'monthly'
                        ? 'Same months again; completed ones are skipped'
                        : 'Run every stage again'
                    }
                  >
                    {acting === 'rerun' ? 'Starting…' : 'Re-run'}
                  </button>
                  <ExportButton table="checkpoints" filter={{ runId }} what="this run's checkpoints" />
                </div>
              </header>
              <p className="muted mono small">{runId}</p>
              <RunFacts detail={detail} />
              {detail.run.error ? <p className="detail-problem">{detail.run.error}</p> : null}
              <InlineError message={actionError} />
            </div>
            <div className="panel">
              <h2>Timeline</h2>
              {detail.units.length === 0 ? (
                <p className="muted">
                  No {word.toLowerCase()}s recorded for this run (nothing to do, or its checkpoints were
                  deleted).
                </p>
              ) : (
                <RunTimeline run={detail.run} units={detail.units} now={now} />
              )}
              {detail.units
                .filter((u) => u.status === 'failed')
                .map((u) => (
                  <UnitFailure key={u.unit} unit={u} stageWord={word} />
                ))}
              {detail.units
                .filter((u) => historyUnitState(u.status, detail.run.status) === 'interrupted')
                .map((u) => (
                  <UnitInterrupted key={u.unit} unit={u} stageWord={word} />
                ))}
              {detail.units
                .filter((u) => u.status === 'completed' && u.attempts.some((a) => a.outcome === 'failed'))
                .map((u) => (
                  <UnitRecovered key={u.unit} unit={u} stageWord={word} />
                ))}
            </div>
          </div>
          <RunLogs
            records={detailLogs}
            more={detailLogsMore}
            onOpenAll={() => {
              showLogs({ runId })
            }}
          />
        </div>
      ) : null}
    </section>
  )
}
