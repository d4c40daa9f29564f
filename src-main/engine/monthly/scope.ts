import { describeIssues } from '../../../src-shared/issues.js'
import { MAX_YEAR, MIN_YEAR, type YearMonth, yyyymm } from '../../../src-shared/months.js'
import { MonthlyScope, ResetScope } from '../../../src-shared/pipeline.js'
import { UsageError } from '../errors.js'

/** The monthly pipeline's names in ops tables (the reliable pipeline uses `reliable_gold_pipeline`). */
export const PIPELINE_NAME = 'idempotent_gold_pipeline'
export const STAGE = 'monthly_aggregate'

/** The yyyymm bounds a scope covers, inclusive. */
export interface ScopeBounds {
  from: number
  to: number
  /** Set when the scope names exactly one month: it is reported even if nothing is known about it. */
  single?: YearMonth
  /** Set for a month set: only these yyyymm within the bounds. */
  only?: ReadonlySet<number>
}

/** Validates a scope from any caller (CLI, console): bad input is a UsageError with a specific message. */
export function parseMonthlyScope(input: unknown): MonthlyScope {
  const parsed = MonthlyScope.safeParse(input)
  if (!parsed.success) throw new UsageError(describeIssues(parsed.error))
  return parsed.data
}

export function parseResetScope(input: unknown): ResetScope {
  const parsed = ResetScope.safeParse(input)
  if (!parsed.success) throw new UsageError(describeIssues(parsed.error))
  return parsed.data
}

export function scopeBounds(scope: MonthlyScope | ResetScope): ScopeBounds {
  switch (scope.kind) {
    case 'pending':
    case 'all':
      return { from: MIN_YEAR * 100 + 1, to: MAX_YEAR * 100 + 12 }
    case 'year':
      return { from: scope.year * 100 + 1, to: scope.year * 100 + 12 }
    case 'month':
      return { from: yyyymm(scope), to: yyyymm(scope), single: { year: scope.year, month: scope.month } }
    case 'range':
      return { from: yyyymm(scope.from), to: yyyymm(scope.to) }
    case 'months': {
      const only = new Set(scope.months.map(yyyymm))
      const single = scope.months.length === 1 ? scope.months[0] : undefined
      return { from: Math.min(...only), to: Math.max(...only), only, ...(single ? { single } : {}) }
    }
  }
}

export { describeScope } from '../../../src-shared/scope.js'
