/**
 * Bounds on what one client of `assay serve` can make the server hold. A request frame is checked before it is
 * parsed, let alone posted to the host worker: structured cloning of 5,000 nested arrays overflowed the stack and
 * took the process (and any run in it) down. Downloads get their own small budget, so unread CSV streams cannot
 * hold every pooled connection.
 */

/** Largest request frame; no contract input comes near it (ws closes a bigger frame with 1009). */
export const MAX_FRAME_BYTES = 256 * 1024
/** Deepest nesting of arrays and objects in a request; contract inputs are 3 or 4 levels deep. */
export const MAX_JSON_DEPTH = 32
/** Downloads streaming at once, across all clients: each holds a database connection for its COPY. */
export const MAX_DOWNLOADS = 2
/** A download whose reader takes nothing for this long is ended, releasing its connection. */
export const DOWNLOAD_IDLE_MS = 30_000

/**
 * The deepest nesting of `[` and `{` in JSON text, counted without parsing (strings are skipped), stopping early
 * once `limit` is passed.
 */
export function jsonDepth(text: string, limit = MAX_JSON_DEPTH): number {
  let depth = 0
  let deepest = 0
  let inString = false
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i)
    if (inString) {
      if (c === 92)
        i++ // backslash: skip the escaped character
      else if (c === 34) inString = false
    } else if (c === 34) inString = true
    else if (c === 91 || c === 123) {
      depth++
      if (depth > deepest) {
        deepest = depth
        if (deepest > limit) return deepest
      }
    } else if (c === 93 || c === 125) depth--
  }
  return deepest
}

/** Why a request frame is refused before parsing, or undefined when it may be parsed. */
export function frameProblem(text: string): string | undefined {
  if (text.length > MAX_FRAME_BYTES) return `the request is larger than ${MAX_FRAME_BYTES / 1024} KiB`
  if (jsonDepth(text) > MAX_JSON_DEPTH) return `the request nests deeper than ${MAX_JSON_DEPTH} levels`
  return undefined
}

/** A counting semaphore without a queue: a download over budget is refused at once (HTTP 429). */
export class Budget {
  private used = 0
  constructor(readonly size: number) {}

  tryTake(): (() => void) | undefined {
    if (this.used >= this.size) return undefined
    this.used++
    let given = false
    return () => {
      if (given) return
      given = true
      this.used--
    }
  }

  get inUse(): number {
    return this.used
  }
}
