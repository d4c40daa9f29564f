import type { Results } from './results.js'

/** What every scenario gets from the harness. */
export interface BenchContext {
  results: Results
  /** Repetitions of each timing (heavy steps at scale ≥ 10 use fewer, see `heavyReps`). */
  reps: number
  tiny: boolean
  /** Keep (and reuse) template databases between runs, keyed by the migrations' checksum. */
  keep: boolean
  /** A private folder for this run's files (CSV, exports), removed at the end. */
  tmp: string
  log: (message: string) => void
}

/** Repetitions for steps that take minutes at large scales (ingest, silver build). */
export function heavyReps(ctx: BenchContext, scale: number): number {
  return scale >= 5 ? Math.min(ctx.reps, 3) : ctx.reps
}

/** Pairs for an interleaved comparison: more where a pair is cheap, within a time budget. */
export function pairs(ctx: BenchContext, budgetMs: number): { min: number; max: number; budgetMs: number } {
  return { min: ctx.reps, max: ctx.tiny ? ctx.reps : ctx.reps * 3, budgetMs }
}
