/**
 * What `assay verify` costs beside a normal run: verify (every month and both reliable tables recomputed and
 * compared, nothing marked) against the monthly pipeline processing every month from scratch, alternated on the
 * same database; and the cheap drift check every monthly run makes before planning.
 */

import type { Db } from '../../src-main/engine/db/types.js'
import { runMonthly } from '../../src-main/engine/monthly/index.js'
import { runReliable } from '../../src-main/engine/reliable/index.js'
import { markGoldDrift } from '../../src-main/engine/verify/drift-check.js'
import { verifyGold } from '../../src-main/engine/verify/verify.js'
import { type BenchContext, pairs } from '../context.js'
import { interleave, repeat, timeMs } from '../timing.js'
import { cliHooks, ratioCell, resetMonthly } from './pipeline-common.js'

export async function verifyScenario(ctx: BenchContext, db: Db, col: string): Promise<void> {
  const { results } = ctx
  const hooks = cliHooks(ctx)
  const fill = async () => {
    const summary = await runMonthly(db, { scope: { kind: 'pending' }, force: false }, hooks)
    if (summary.status !== 'completed') throw new Error(`monthly run ${summary.status}: ${summary.error}`)
    return summary.done.length
  }
  await resetMonthly(db)
  const months = await fill()
  if ((await runReliable(db, {}, hooks)).status !== 'completed') throw new Error('reliable run failed')

  let clean = true
  const paired = await interleave(
    {
      before: async () => {},
      measure: () =>
        timeMs(async () => {
          clean &&= (await verifyGold(db, { kind: 'pending' }, { mark: false })).clean
        }),
    },
    { before: () => resetMonthly(db), measure: () => timeMs(fill) },
    pairs(ctx, 30_000),
  )
  if (!clean) throw new Error('verify found drift on gold the pipelines had just written')
  const spec = { area: 'verify', scales: true } as const
  results.record(
    'verify.all',
    { ...spec, label: 'assay verify: every month and both reliable tables recomputed', unit: 's' },
    col,
    { value: paired.a.median / 1000, samples: paired.a.samples, detail: `${months} months` },
  )
  results.record(
    'verify.ratio',
    { area: 'verify', label: 'verify ÷ monthly pipeline (all months from scratch)', unit: '×' },
    col,
    ratioCell(paired, months, 'month'),
  )
  const check = await repeat(Math.max(ctx.reps, 5), () => timeMs(() => markGoldDrift(db)))
  results.record(
    'verify.drift-check',
    { area: 'verify', label: "the monthly run's drift check (gold vs the run ledger)", unit: 'ms' },
    col,
    { value: check.median, samples: check.samples, detail: `${months} months, never reads silver` },
  )
}
