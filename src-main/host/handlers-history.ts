import type { RunOptions } from '../../src-shared/contract.js'
import { MonthlyScope, type RunRecord } from '../../src-shared/pipeline.js'
import { AssayError } from '../engine/errors.js'
import { explainPage, explainSummary } from '../engine/explain/index.js'
import { logCount, logPage } from '../engine/logs/index.js'
import {
  checkpointFacets,
  checkpointPage,
  checkpointRecord,
  logFacets,
  logRecord,
  overview,
  runDetail,
  runsList,
} from '../engine/ops/read/index.js'
import { breakerState, resetBreaker } from '../engine/retry.js'
import type { HandlerDeps, HandlerMap } from './handler-types.js'

type HistoryHandlers = Pick<
  HandlerMap,
  | 'logs:page'
  | 'logs:facets'
  | 'logs:count'
  | 'logs:record'
  | 'runs:list'
  | 'runs:detail'
  | 'runs:resume'
  | 'runs:rerun'
  | 'checkpoints:page'
  | 'checkpoints:facets'
  | 'checkpoints:record'
  | 'overview:get'
  | 'explain:page'
  | 'explain:summary'
  | 'breaker:reset'
  | 'export:count'
  | 'export:start'
  | 'export:cancel'
>

/** The options that start the same work again: the monthly scope and force it had, or the reliable pipeline. */
export function rerunOptions(run: RunRecord): RunOptions {
  if (run.pipeline === 'reliable') return { pipeline: 'reliable', scope: { kind: 'pending' }, force: false }
  const scope = MonthlyScope.safeParse(run.args.scope)
  return {
    pipeline: 'monthly',
    scope: scope.success ? scope.data : { kind: 'pending' },
    force: run.args.force === true,
  }
}

/** Logs, runs, checkpoints, the overview and exports: reading the ops tables, plus resume and re-run. */
export function historyHandlers(deps: HandlerDeps): HistoryHandlers {
  const { connection, jobs, exports } = deps
  const db = () => connection.db()
  return {
    'logs:page': (input) => logPage(db(), input),
    'logs:facets': () => logFacets(db()),
    'logs:count': (input) => logCount(db(), input),
    'logs:record': (input) => logRecord(db(), input.id),
    'runs:list': (input) => runsList(db(), input),
    'explain:page': (input) => explainPage(db(), input),
    'explain:summary': (input) => explainSummary(db(), input),
    'runs:detail': (input) => runDetail(db(), input.runId),
    'runs:resume': async (input) => {
      const { run } = await runDetail(db(), input.runId)
      if (run.pipeline !== 'reliable') {
        throw new AssayError(
          'resume_refused',
          'only reliable runs resume from their checkpoints — re-run a monthly run instead (completed months are skipped)',
        )
      }
      return jobs.start(
        { pipeline: 'reliable', scope: { kind: 'pending' }, force: false },
        { resume: run.runId },
      )
    },
    'runs:rerun': async (input) => {
      const { run } = await runDetail(db(), input.runId)
      return jobs.start(rerunOptions(run))
    },
    'checkpoints:page': (input) => checkpointPage(db(), input),
    'checkpoints:facets': () => checkpointFacets(db()),
    'checkpoints:record': (input) => checkpointRecord(db(), input.id),
    'overview:get': () => overview(db()),
    'breaker:reset': async () => {
      resetBreaker(db())
      return breakerState(db())
    },
    'export:count': async (input) => ({ rows: await exports.count(input) }),
    'export:start': (input) => exports.start(input),
    'export:cancel': async (input) => exports.cancel(input.exportId),
  }
}
