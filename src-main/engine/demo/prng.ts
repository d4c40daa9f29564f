/**
 * A small seeded PRNG (sfc32, seeded through splitmix32) and the sampling helpers the demo needs.
 * Pure integer arithmetic on 32-bit values: the same seed gives the same sequence on every machine,
 * so demo data is byte-identical whichever database it goes into.
 */
export class Random {
  private a: number
  private b: number
  private c: number
  private d: number

  constructor(seed: number) {
    let s = seed >>> 0
    const next = (): number => {
      s = (s + 0x9e3779b9) | 0
      let z = s
      z = Math.imul(z ^ (z >>> 16), 0x85ebca6b)
      z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35)
      return (z ^ (z >>> 16)) >>> 0
    }
    this.a = next()
    this.b = next()
    this.c = next()
    this.d = next()
    for (let i = 0; i < 12; i++) this.uint32()
  }

  uint32(): number {
    const t = (((this.a + this.b) | 0) + this.d) | 0
    this.d = (this.d + 1) | 0
    this.a = this.b ^ (this.b >>> 9)
    this.b = (this.c + (this.c << 3)) | 0
    this.c = (this.c << 21) | (this.c >>> 11)
    this.c = (this.c + t) | 0
    return t >>> 0
  }

  /** Uniform in [0, 1). */
  next(): number {
    return this.uint32() / 4294967296
  }

  /** Uniform integer in [min, max]. */
  int(min: number, max: number): number {
    return min + Math.floor(this.next() * (max - min + 1))
  }

  chance(p: number): boolean {
    return this.next() < p
  }

  pick<T>(items: readonly T[]): T {
    return items[Math.floor(this.next() * items.length)]!
  }

  /** Standard normal (Box–Muller). */
  normal(): number {
    const u = 1 - this.next()
    const v = this.next()
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v)
  }

  /** A derived generator, so one part of the data does not shift when another part draws more numbers. */
  fork(salt: number): Random {
    return new Random((this.uint32() ^ Math.imul(salt, 0x27d4eb2d)) >>> 0)
  }
}

/** Samples indices in proportion to weights, in O(log n) per draw. */
export class Weighted {
  private readonly cdf: Float64Array

  constructor(weights: readonly number[]) {
    this.cdf = new Float64Array(weights.length)
    let sum = 0
    for (let i = 0; i < weights.length; i++) {
      sum += weights[i]!
      this.cdf[i] = sum
    }
    for (let i = 0; i < weights.length; i++) this.cdf[i] = this.cdf[i]! / sum
  }

  get size(): number {
    return this.cdf.length
  }

  sample(random: Random): number {
    const x = random.next()
    let lo = 0
    let hi = this.cdf.length - 1
    while (lo < hi) {
      const mid = (lo + hi) >>> 1
      if (this.cdf[mid]! > x) hi = mid
      else lo = mid + 1
    }
    return lo
  }
}

/** Zipf-like weights for ranks 1…n: popular items are much more popular, with a long tail. */
export function zipfWeights(n: number, exponent = 0.9, offset = 20): number[] {
  const weights: number[] = []
  for (let rank = 1; rank <= n; rank++) weights.push(1 / (rank + offset) ** exponent)
  return weights
}
