import type { Queryable } from './db/types.js'
import { UsageError } from './errors.js'

/**
 * Fault injection for tests, the torture suite and demos of the failure views. Faults are raised as real
 * database errors (so classification, retries and checkpoints see exactly what production would), chosen by
 * ASSAY_FAULTS or set programmatically. Syntax, comma-separated:
 *   <target>:<kind>[:<n>]
 *   target = stage:<name> | month:<YYYY-MM> | month:* | stage:*
 *   kind   = permanent      raise SQLSTATE 22012 every time
 *            transient      raise SQLSTATE 40001 the first n times (default 1), then succeed
 *            disconnect     terminate the unit's own backend the first n times (PostgreSQL only; a real 57P01)
 *            delay          sleep n milliseconds inside the unit's write (default 1000); a month's write takes it
 *                           as a parameter of its one production statement (pg_sleep), so the statements that
 *                           run are the same with and without it (monthly/fault-path.test.ts)
 * Example: ASSAY_FAULTS="stage:country_sales:transient:2,month:2011-03:permanent"
 */
export interface Fault {
  target: string
  kind: 'permanent' | 'transient' | 'disconnect' | 'delay'
  n: number
}

export function parseFaults(spec: string | undefined): Fault[] {
  if (!spec?.trim()) return []
  return spec.split(',').map((part) => {
    const match = /^(stage|month):([^:]+):(permanent|transient|disconnect|delay)(?::(\d+))?$/.exec(
      part.trim(),
    )
    if (!match)
      throw new UsageError(
        `invalid ASSAY_FAULTS entry "${part}" (expected stage:<name>:<kind>[:n] or month:<YYYY-MM>:<kind>[:n])`,
      )
    const kind = match[3] as Fault['kind']
    return {
      target: `${match[1]}:${match[2]}`,
      kind,
      n: match[4] ? Number(match[4]) : kind === 'delay' ? 1000 : 1,
    }
  })
}

function matches(fault: Fault, unit: string): boolean {
  const [kind, name] = fault.target.split(':')
  return fault.target === unit || (name === '*' && unit.startsWith(`${kind}:`))
}

/** Counts how often each fault fired, so `transient:n` stops after n. One instance per process. */
export class FaultInjector {
  private fired = new Map<Fault, number>()
  private faults: Fault[] | undefined
  /** Without `faults`, ASSAY_FAULTS is read on first use, so a bad value is a UsageError there, not a crash at import. */
  constructor(faults?: Fault[]) {
    this.faults = faults
  }

  set(faults: Fault[]): void {
    this.faults = faults
    this.fired.clear()
  }

  get active(): Fault[] {
    this.faults ??= parseFaults(process.env.ASSAY_FAULTS)
    return this.faults
  }

  /** Whether any configured fault applies to `unit` (e.g. 'month:2011-03'). */
  targets(unit: string): boolean {
    return this.active.some((fault) => matches(fault, unit))
  }

  /** Whether a fault that raises or disconnects (not a delay) applies to `unit`. */
  raises(unit: string): boolean {
    return this.active.some((fault) => fault.kind !== 'delay' && matches(fault, unit))
  }

  /** The injected delay for `unit` in milliseconds (0: none), for a statement that sleeps as it works. */
  delayMs(unit: string): number {
    return this.active
      .filter((fault) => fault.kind === 'delay' && matches(fault, unit))
      .reduce((total, fault) => total + fault.n, 0)
  }

  /**
   * Called inside a unit's transaction (stage or month). Raises the configured error for this unit, if any.
   * `unit` is e.g. 'stage:country_sales' or 'month:2011-03'. `delay: false` leaves delays to the caller's
   * statement (see delayMs).
   */
  async maybeFail(tx: Queryable, unit: string, options: { delay?: boolean } = {}): Promise<void> {
    for (const fault of this.active) {
      if (!matches(fault, unit)) continue
      const count = this.fired.get(fault) ?? 0
      if (fault.kind === 'delay') {
        if (options.delay === false) continue
        await tx.query('SELECT pg_sleep($1::float8 / 1000)', [fault.n])
        continue
      }
      if (fault.kind !== 'permanent' && count >= fault.n) continue
      this.fired.set(fault, count + 1)
      if (fault.kind === 'disconnect') {
        await tx.query('SELECT pg_terminate_backend(pg_backend_pid())')
        continue
      }
      const code = fault.kind === 'permanent' ? '22012' : '40001'
      const text = fault.kind === 'permanent' ? 'injected permanent fault' : 'injected transient fault'
      await tx.exec(
        `DO $$ BEGIN RAISE EXCEPTION '${text} in ${unit.replace(/'/g, '')}' USING ERRCODE = '${code}'; END $$`,
      )
    }
  }
}

/** The process-wide injector (reads ASSAY_FAULTS once). */
export const faults = new FaultInjector()
