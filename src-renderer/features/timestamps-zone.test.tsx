import { renderToStaticMarkup } from 'react-dom/server'
import { describe, expect, it } from 'vitest'
import type { JobSnapshot, StoredLogRecord } from '../../src-shared/contract'
import type { RunDetail, RunUnit } from '../../src-shared/history'
import type { MonthState } from '../../src-shared/pipeline'
import { zoneLabel } from '../lib/format'
import { MonthDetail } from './months/month-detail'
import { JobProgress } from './run/job-progress'
import { RunLogs } from './runs/run-logs'
import { RunTimeline } from './runs/run-timeline'
import { UnitFailure } from './runs/unit-attempts'

// Issue #14: timestamps showed no time zone. Every place that shows a local time names the zone once.
const at = '2026-01-01T10:00:00.000Z'
const unit: RunUnit = {
  unit: '2011-09',
  stage: 'monthly',
  status: 'failed',
  startTime: at,
  endTime: at,
  durationMs: 5,
  rows: null,
  error: 'boom',
  sqlstate: '22012',
  transient: false,
  errorKind: 'permanent',
  attempts: [{ attempt: 1, at, outcome: 'failed', error: 'boom', code: '22012', delayMs: null }],
  note: null,
}
const run = {
  runId: 'r1',
  pipelineName: 'monthly',
  pipeline: 'monthly',
  trigger: 'console',
  args: {},
  host: 'h',
  pid: 1,
  status: 'failed',
  startedAt: at,
  endedAt: at,
  durationMs: 5,
  planned: ['2011-09'],
  done: [],
  skipped: [],
  failed: ['2011-09'],
  retries: 0,
  error: 'boom',
  sqlstate: '22012',
  resumedFrom: null,
} satisfies RunDetail['run']
const record: StoredLogRecord = {
  id: 1,
  timestamp: at,
  level: 'INFO',
  message: 'hello',
  logger: 'assay',
  pipeline_name: 'monthly',
  run_id: 'r1',
  module: null,
  function: null,
  line: null,
  metadata: {},
}
const month: MonthState = {
  monthKey: '2011-09',
  year: 2011,
  month: 9,
  status: 'completed',
  silverRows: 10,
  processedAt: at,
  startedAt: at,
  durationMs: 5,
  runId: 'r1',
  host: 'h',
  attempts: 1,
  error: null,
  sqlstate: null,
  fingerprint: null,
}
const job: JobSnapshot = {
  jobId: 'j1',
  options: { pipeline: 'monthly', scope: { kind: 'pending' }, force: false },
  status: 'completed',
  cancelRequested: false,
  startedAt: at,
  endedAt: at,
  error: null,
  runs: [],
}

describe('timestamps name their time zone', () => {
  const zone = zoneLabel()
  it.each([
    ['a failed unit’s attempts', <UnitFailure key="a" unit={unit} stageWord="Month" />],
    ['a run’s logs', <RunLogs key="b" records={[record]} more={false} onOpenAll={() => undefined} />],
    ['a run’s timeline', <RunTimeline key="c" run={run} units={[unit]} now={Date.parse(at)} />],
    ['the Run view’s job', <JobProgress key="d" job={job} onCancel={() => undefined} cancelling={false} />],
    [
      'a month’s detail',
      <MonthDetail
        key="e"
        month={month}
        busy={false}
        runActive={false}
        message={null}
        error={null}
        onProcess={() => undefined}
        onReset={() => undefined}
      />,
    ],
  ])('%s', (_what, element) => {
    expect(renderToStaticMarkup(element)).toContain(zone)
  })
})
