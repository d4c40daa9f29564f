import type { EngineApi } from './api.js'
import { monthlyEngine } from './monthly/index.js'
import { activeRuns } from './ops/runs.js'
import { runReliable } from './reliable/index.js'

/** The engine every shell uses: the monthly and reliable pipelines and the run registry. */
export const engine: EngineApi = {
  ...monthlyEngine,
  runReliable,
  activeRuns,
}
