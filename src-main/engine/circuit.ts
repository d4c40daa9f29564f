import { classifyError } from './db/error-class.js'
import { AssayError, CancelledError } from './errors.js'

/**
 * The circuit breaker, one per database server per process. Its rule, with default settings:
 *
 *   The 5th consecutive unit attempt that ends with a lost connection (error class `connection-lost`: refused,
 *   cut, server shut down; see db/error-class.ts) opens the circuit for 15 s, whichever units and runs of this
 *   process those attempts belonged to. While it is open every attempt fails at once with `circuit_open` (not
 *   retried). After 15 s the next attempt goes through: if it loses its connection too, the circuit opens for
 *   another 15 s; any other outcome closes it. An attempt that reaches the server (success, or any error that is
 *   not a lost connection) resets the count. A cancelled attempt counts for nothing.
 *
 * A CLI run stops at the first unit that exhausts its retries on a lost connection (default budget 4), so one
 * CLI process never reaches 5 on its own; the circuit protects long-lived processes (console, `assay serve`),
 * where runs follow one another, and runs with `--retry-attempts` of 5 or more. Tested in circuit.test.ts.
 */
export const CIRCUIT_THRESHOLD = 5
export const CIRCUIT_OPEN_MS = 15_000

export interface BreakerState {
  state: 'closed' | 'open' | 'half_open'
  /** When an open circuit will let a trial attempt through. */
  retryAt: string | null
}

export class Circuit {
  private failures = 0
  private openedAt: number | null = null

  constructor(
    private readonly threshold = CIRCUIT_THRESHOLD,
    private readonly openMs = CIRCUIT_OPEN_MS,
    private readonly now: () => number = Date.now,
  ) {}

  state(): BreakerState {
    if (this.openedAt === null) return { state: 'closed', retryAt: null }
    const retryAt = this.openedAt + this.openMs
    if (this.now() >= retryAt) return { state: 'half_open', retryAt: null }
    return { state: 'open', retryAt: new Date(retryAt).toISOString() }
  }

  /** Called before an attempt: throws `circuit_open` while the circuit is open. */
  enter(): void {
    const { state, retryAt } = this.state()
    if (state !== 'open') return
    throw new AssayError(
      'circuit_open',
      `circuit open: the database kept refusing connections; not trying again until ${retryAt}`,
    )
  }

  /** Called after an attempt with its error (undefined when it succeeded). */
  settle(error?: unknown): void {
    if (error instanceof CancelledError) return
    if (error !== undefined && classifyError(error).class === 'connection-lost') {
      this.failures++
      if (this.failures >= this.threshold) this.openedAt = this.now()
      return
    }
    this.failures = 0
    this.openedAt = null
  }
}

/** Circuits by server: a Db's label (no secrets), or the object itself when it has none. */
const circuits = new Map<unknown, Circuit>()

function keyOf(db: object): unknown {
  const label = (db as { label?: unknown }).label
  return typeof label === 'string' ? label : db
}

/** The circuit of the server `db` talks to, shared by every run of this process. */
export function circuitFor(db: object): Circuit {
  const key = keyOf(db)
  let circuit = circuits.get(key)
  if (!circuit) {
    circuit = new Circuit()
    circuits.set(key, circuit)
  }
  return circuit
}

export function breakerState(db: object): BreakerState {
  return circuitFor(db).state()
}

/** Closes the circuit by hand (the console's "reset" action). */
export function resetBreaker(db: object): void {
  circuits.delete(keyOf(db))
}
