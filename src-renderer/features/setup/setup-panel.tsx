import { useShallow } from 'zustand/react/shallow'
import type { SetupProgress } from '../../../src-shared/contract'
import { InlineError, ProgressBar } from '../../components/feedback'
import { formatCount } from '../../lib/format'
import { createSchemas, loadDemoData, useSetup } from '../../stores/setup-store'

function StepProgress({ progress }: { progress: SetupProgress | undefined }) {
  if (!progress) return null
  return (
    <div className="step-progress" data-phase={progress.phase}>
      {progress.phase === 'running' ? (
        <ProgressBar fraction={progress.fraction} label={progress.message} />
      ) : null}
      <p className={progress.phase === 'failed' ? 'inline-error' : 'muted'}>{progress.message}</p>
    </div>
  )
}

/** First run: create the schemas, then load demo data (bronze, then silver), one click each. */
export function SetupPanel() {
  const { status, busy, progress, error } = useSetup(
    useShallow(({ status, busy, progress, error }) => ({ status, busy, progress, error })),
  )
  if (!status) return null
  const initDone = status.initialised
  const dataDone = Boolean(status.silverRows)
  return (
    <section className="view setup-view" data-state="ready" aria-label="Set up">
      <div className="panel setup">
        <h2>Set up this database</h2>
        <p>
          {status.embedded
            ? 'Assay is using its embedded database, and it is empty. Two steps get you to a first completed run:'
            : 'This database does not have the warehouse layers yet. Two steps get you to a first completed run:'}
        </p>
        <ol className="steps">
          <li className={initDone ? 'step done' : 'step current'} data-step="init">
            <div className="step-text">
              <h3>Create the schemas</h3>
              <p className="muted">
                {initDone
                  ? 'bronze, silver, gold and ops are in place.'
                  : `Creates bronze, silver, gold and ops (${status.pendingMigrations.length} migration(s) to apply).`}
              </p>
              <StepProgress progress={progress.init} />
            </div>
            <button
              type="button"
              className="button button-primary"
              disabled={initDone || busy !== null}
              onClick={() => void createSchemas()}
            >
              {busy === 'init' ? 'Creating…' : initDone ? 'Done' : 'Create schemas'}
            </button>
          </li>
          <li className={dataDone ? 'step done' : initDone ? 'step current' : 'step'} data-step="demo">
            <div className="step-text">
              <h3>Load demo data</h3>
              <p className="muted">
                {status.demoAvailable || !initDone
                  ? 'Generates Online Retail–style sales (Dec 2010 – Dec 2011) into bronze, then builds silver from them.'
                  : `bronze already holds ${formatCount(status.bronzeRows)} rows${status.silverRows ? '' : ' — build silver with: assay silver'}.`}
              </p>
              <StepProgress progress={progress.demo} />
              <StepProgress progress={progress.silver} />
            </div>
            <button
              type="button"
              className="button button-primary"
              disabled={!initDone || !status.demoAvailable || busy !== null}
              onClick={() => void loadDemoData()}
            >
              {busy === 'demo' ? 'Loading…' : 'Load demo data'}
            </button>
          </li>
        </ol>
        <p className="muted">
          Already have data? Load your own file with <code>assay ingest online_retail.xlsx</code> and build
          silver with <code>assay silver</code>; this page updates when you come back.
        </p>
        <InlineError message={error} />
      </div>
    </section>
  )
}
