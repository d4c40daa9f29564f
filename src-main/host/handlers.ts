import type { SetupProgress } from '../../src-shared/contract.js'
import { AssayError } from '../engine/errors.js'
import { runsOverview } from '../engine/ops/read/index.js'
import { STAGES } from '../engine/reliable/index.js'
import { setupStatus } from '../engine/status/setup-status.js'
import type { HandlerDeps, HandlerMap } from './handler-types.js'
import { historyHandlers } from './handlers-history.js'
import { settingsHandlers } from './handlers-settings.js'
import { DEMO_SCALE, runDemo, runInit, runSilver } from './setup.js'

export type { HandlerDeps, HandlerMap } from './handler-types.js'

/** What the reliable pipeline rebuilds; it has no per-month plan to preview. */
export const RELIABLE_TABLES = STAGES.map((stage) => stage.table)

export function createHandlers(deps: HandlerDeps): HandlerMap {
  const { connection, engine, jobs, bus, live } = deps
  const db = () => connection.db()
  let setupBusy = false

  /** Setup steps write whole layers; one at a time, and never under a run. */
  async function exclusiveSetup<T>(fn: () => Promise<T>): Promise<T> {
    if (setupBusy) throw new AssayError('setup_busy', 'a setup step is already running')
    if (jobs.isRunning())
      throw new AssayError('run_active', 'a run is active in this console — wait for it to finish')
    setupBusy = true
    try {
      return await fn()
    } finally {
      setupBusy = false
      for (const table of ['processed_months', 'pipeline_runs', 'pipeline_logs']) live.notify(table)
    }
  }
  const progress = (p: SetupProgress) => bus.emit('setup:progress', p)

  return {
    'db:info': async () => connection.info(),
    'status:get': async () => setupStatus(db()),
    'setup:init': () => exclusiveSetup(() => runInit(db(), progress)),
    'setup:demo': (input) =>
      exclusiveSetup(() => runDemo(db(), deps.setup, input.scale ?? DEMO_SCALE, progress)),
    'setup:silver': () => exclusiveSetup(() => runSilver(db(), deps.setup, progress)),
    'months:list': async () => engine.monthStates(db()),
    'months:plan': async (input) => ({
      monthly:
        input.pipeline === 'reliable'
          ? null
          : await engine.planMonthly(db(), { scope: input.scope, force: input.force, withDiff: true }),
      reliable: input.pipeline === 'monthly' ? null : { tables: RELIABLE_TABLES },
    }),
    'months:reset': async (input) => {
      if (!input.dryRun && jobs.isRunning()) {
        throw new AssayError(
          'run_active',
          'a run is active in this console — cancel it or wait before resetting',
        )
      }
      const report = await engine.resetMonths(db(), input.scope, { dryRun: input.dryRun })
      if (!input.dryRun) live.notify('processed_months')
      return report
    },
    'runs:start': (input) => jobs.start(input),
    'runs:cancel': async (input) => jobs.cancel(input.jobId),
    'runs:snapshot': async () => jobs.snapshot(),
    'runs:active': async () => {
      // engine.activeRuns marks runs whose runner died as interrupted, then we read the overview.
      await engine.activeRuns(db())
      return runsOverview(db())
    },
    ...historyHandlers(deps),
    ...settingsHandlers(deps),
  }
}
