export interface LogCursorOptions {
  /** A skipped id is asked for again this long; a log INSERT never stays uncommitted that long. */
  holeMs: number
  /** Most skipped ids remembered; beyond it the oldest are forgotten. */
  maxHoles: number
  now: () => number
}

/**
 * Where the live log feed stands. Ids are taken at INSERT but become visible at COMMIT, so a read can see id
 * 300 while 200–299 are still in flight (another process's batch). The ids a read skipped are kept as holes
 * and asked for again until they arrive or are too old to be in flight: a rolled-back insert leaves its ids
 * unused for good.
 */
export class LogCursor {
  /** Skipped id → when it was first skipped. Map order is age order (and id order). */
  private readonly holes = new Map<number, number>()

  constructor(
    private after: number,
    private readonly options: LogCursorOptions,
  ) {}

  /** What the next read asks for: ids above `after`, and the holes still young enough to be filled. */
  next(): { after: number; missing: number[] } {
    const now = this.options.now()
    for (const [id, at] of this.holes) {
      if (now - at <= this.options.holeMs) break
      this.holes.delete(id)
    }
    return { after: this.after, missing: [...this.holes.keys()] }
  }

  /** Takes in the ids a read returned, ascending: holes filled, and the ids it skipped become holes. */
  saw(ids: readonly number[]): void {
    const at = this.options.now()
    for (const id of ids) {
      if (id <= this.after) {
        this.holes.delete(id)
        continue
      }
      // Ids up to the highest returned were all readable unless uncommitted (or rolled back).
      for (let hole = Math.max(this.after + 1, id - this.options.maxHoles); hole < id; hole++)
        this.holes.set(hole, at)
      this.after = id
    }
    // A huge rolled-back batch must not grow memory: the oldest holes go first.
    for (const id of this.holes.keys()) {
      if (this.holes.size <= this.options.maxHoles) break
      this.holes.delete(id)
    }
  }

  /** Skips to `id` (a backlog the consoles reload instead); holes below stay asked for. */
  jump(id: number): void {
    this.after = Math.max(this.after, id)
  }
}
