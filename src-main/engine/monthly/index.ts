/**
 * The idempotent monthly pipeline: silver.fact_sales_daily → gold.fact_sales_monthly, one month at a time,
 * tracked in ops.processed_months. The EngineApi's monthly half.
 */
import type { EngineApi } from '../api.js'
import { planMonthly } from './plan.js'
import { resetMonths } from './reset.js'
import { runMonthly } from './run.js'
import { monthStates } from './states.js'

export { parseRetrySettings } from '../retry.js'
export { planMonthly } from './plan.js'
export { resetMonths } from './reset.js'
export { runMonthly } from './run.js'
export { describeScope, PIPELINE_NAME, parseMonthlyScope, parseResetScope, STAGE } from './scope.js'
export { monthStates } from './states.js'

export const monthlyEngine = {
  planMonthly,
  runMonthly,
  resetMonths,
  monthStates,
} satisfies Pick<EngineApi, 'planMonthly' | 'runMonthly' | 'resetMonths' | 'monthStates'>
