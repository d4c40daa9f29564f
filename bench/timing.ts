/** Repeating measurements and summarising them: medians for timings, percentiles for latencies. */

export interface Sampled {
  median: number
  samples: number[]
}

/** The median (mean of the middle two for an even count). */
export function median(values: readonly number[]): number {
  if (values.length === 0) return Number.NaN
  const sorted = [...values].sort((a, b) => a - b)
  const mid = Math.floor(sorted.length / 2)
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2
}

/** The p-th percentile (0–100), nearest-rank. */
export function percentile(values: readonly number[], p: number): number {
  if (values.length === 0) return Number.NaN
  const sorted = [...values].sort((a, b) => a - b)
  const rank = Math.ceil((p / 100) * sorted.length)
  return sorted[Math.min(sorted.length, Math.max(1, rank)) - 1]!
}

export function sampled(samples: number[]): Sampled {
  return { median: median(samples), samples }
}

/** Milliseconds `fn` takes. */
export async function timeMs(fn: () => Promise<unknown>): Promise<number> {
  const t0 = performance.now()
  await fn()
  return performance.now() - t0
}

/**
 * Runs `measure` `times` times (with `before` untimed ahead of each) and returns the median of what it
 * returns: a duration, or a rate.
 */
export async function repeat(
  times: number,
  measure: (rep: number) => Promise<number>,
  before?: (rep: number) => Promise<void>,
): Promise<Sampled> {
  const samples: number[] = []
  for (let rep = 0; rep < times; rep++) {
    await before?.(rep)
    samples.push(await measure(rep))
  }
  return sampled(samples)
}

export interface Paired {
  a: Sampled
  b: Sampled
  /** a ÷ b of each pair (measured back to back), so slow drifts in machine load cancel out. */
  ratio: Sampled
}

export interface Side {
  before: () => Promise<void>
  measure: () => Promise<number>
}

/**
 * Interleaves two measurements (A B, B A, A B … each after its own reset) so drift in machine load hits both
 * alike: the fair way to get a ratio on a shared machine. One untimed run of each warms caches first (a fresh
 * clone of a database starts cold). Cheap measurements get more pairs: as many as fit in `budgetMs`, between
 * `minReps` and `maxReps`.
 */
export async function interleave(
  a: Side,
  b: Side,
  reps: { min: number; max: number; budgetMs: number },
): Promise<Paired> {
  await a.before()
  const warmA = await a.measure()
  await b.before()
  const warmB = await b.measure()
  const count = Math.max(reps.min, Math.min(reps.max, Math.round(reps.budgetMs / Math.max(1, warmA + warmB))))
  const as: number[] = []
  const bs: number[] = []
  for (let rep = 0; rep < count; rep++) {
    const aFirst = rep % 2 === 0
    for (const side of aFirst ? [a, b] : [b, a]) {
      await side.before()
      const value = await side.measure()
      ;(side === a ? as : bs).push(value)
    }
  }
  return { a: sampled(as), b: sampled(bs), ratio: sampled(as.map((x, i) => x / bs[i]!)) }
}
