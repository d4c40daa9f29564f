import type pg from 'pg'
import { TcpProxy } from '../src-main/test-support/tcp-proxy.js'
import type { GoldSnapshot, GoldTable } from './checks.js'
import { databaseUrl, type Sql, server } from './db.js'
import type { Rng } from './rng.js'
import { type Child, type ChildResult, hasStackTrace, type SpawnOptions, spawnAssay } from './runner.js'

/** Children give up on a silent connection after this long (the engine's default is minutes). */
export const QUERY_TIMEOUT_MS = 4000

/** Settings every trial shares. */
export interface Suite {
  seed: number
  scale: number
  /** The template database trials are copied from (silver built, gold and ops empty). */
  template: string
  /** Retry flags passed to every runner: a small budget keeps trials short. */
  retry: { attempts: number; baseMs: number; maxMs: number }
  /** Gold tables compared with the reference (product/country when the reliable pipeline is exercised). */
  tables: GoldTable[]
  /** The clean reference of the template's silver. */
  reference: GoldSnapshot
  /** Month keys with silver rows in the template. */
  months: string[]
  /** Whether `assay reliable` exists, so families can exercise it too. */
  reliable: boolean
  /** `--variant`: every family that has this variant uses it (to replay or focus on one). */
  variant?: string
}

/** What one trial found; `failures` are broken expectations (exit codes, messages, hangs…). */
export interface TrialOutcome {
  index: number
  family: string
  variant: string
  seed: number
  ms: number
  survived: boolean
  mismatches: number
  doubleCounted: number
  lost: number
  stuck: number
  failures: string[]
  notes: string[]
}

/** Everything a fault family needs inside one trial. */
export class Trial {
  readonly notes: string[] = []
  readonly failures: string[] = []
  readonly children: Child[] = []
  /** Extra completions of the monthly stage that the trial legitimately caused, per month key. */
  readonly extraCompletions = new Map<string, number>()
  /** A reference other than the suite's (a trial that changed silver computes its own). */
  reference: GoldSnapshot | undefined
  /** Set by families that do their own final rerun and checks of run records. */
  skipFinalRerun = false
  /** Gold tables this trial compares: monthly, or product and country for the reliable variants. */
  tables: GoldTable[] = ['gold.fact_sales_monthly']
  /** Which pipelines the trial exercised: the final rerun runs those, the checks judge those. */
  monthlyPipeline = true
  reliable = false

  /** Makes this a trial of `assay reliable` instead of `assay monthly`. */
  reliableOnly(): void {
    this.monthlyPipeline = false
    this.reliable = true
    this.tables = ['gold.fact_product_performance', 'gold.fact_country_sales']
  }

  variant = ''
  private proxies: TcpProxy[] = []

  constructor(
    readonly suite: Suite,
    readonly index: number,
    readonly rng: Rng,
    readonly database: string,
    readonly pool: pg.Pool,
    readonly sql: Sql,
  ) {}

  /** The URL for children: straight to the server, or through `proxy`. */
  url(proxy?: TcpProxy): string {
    return databaseUrl(this.database, proxy?.port)
  }

  async proxy(): Promise<TcpProxy> {
    const proxy = await TcpProxy.start({ host: server.host, port: server.port })
    this.proxies.push(proxy)
    return proxy
  }

  get retryArgs(): string[] {
    const r = this.suite.retry
    return [
      '--retry-attempts',
      String(r.attempts),
      '--retry-base-ms',
      String(r.baseMs),
      '--retry-max-ms',
      String(r.maxMs),
    ]
  }

  /** Starts `assay …args` against this trial's database (or `options.databaseUrl`). */
  spawn(args: string[], options: SpawnOptions = {}): Child {
    const child = spawnAssay(args, {
      databaseUrl: this.url(),
      timeoutMs: 90_000,
      ...options,
      // A connection that goes silent (blackhole) must be given up on well within a trial.
      env: { ASSAY_QUERY_TIMEOUT_MS: String(QUERY_TIMEOUT_MS), ...options.env },
    })
    this.children.push(child)
    return child
  }

  /** A random variant, or the suite's `--variant` when this family has it. The choice is recorded. */
  pickVariant<T extends string>(variants: readonly T[]): T {
    const drawn = this.rng.pick(variants)
    const forced = variants.find((v) => v === this.suite.variant)
    this.variant = forced ?? drawn
    return this.variant as T
  }

  /** `assay reliable` with the trial's retry settings and JSON logs. */
  reliableRun(extra: string[] = [], options: SpawnOptions = {}): Child {
    return this.spawn(['reliable', ...extra, ...this.retryArgs, '--log-format', 'json'], options)
  }

  /** `assay monthly` with the trial's retry settings and JSON logs. */
  monthly(extra: string[] = [], options: SpawnOptions = {}): Child {
    return this.spawn(['monthly', ...extra, ...this.retryArgs, '--log-format', 'json'], options)
  }

  note(message: string): void {
    this.notes.push(message)
  }

  fail(message: string): void {
    this.failures.push(message)
  }

  expect(condition: boolean, message: string): void {
    if (!condition) this.fail(message)
  }

  allowExtra(month: string, count = 1): void {
    this.extraCompletions.set(month, (this.extraCompletions.get(month) ?? 0) + count)
  }

  /**
   * A process that should have finished normally: exit code as expected, no hang, no stack trace.
   * `codes` lists the acceptable exit codes.
   */
  expectExit(label: string, result: ChildResult, codes: number[]): void {
    if (result.hung) {
      this.fail(`${label} hung (killed after ${result.ms} ms)`)
      return
    }
    if (result.code === null || !codes.includes(result.code)) {
      this.fail(
        `${label} exited ${result.code ?? result.signal}, expected ${codes.join(' or ')}: ${lastLines(result.stderr)}`,
      )
    }
    if (hasStackTrace(result.stderr) || hasStackTrace(result.stdout))
      this.fail(`${label} printed a stack trace: ${lastLines(result.stderr, 6)}`)
  }

  /** Kills every child still running and closes the proxies. */
  async cleanup(): Promise<void> {
    for (const child of this.children) child.kill9()
    await Promise.all(this.children.map((child) => child.done))
    for (const proxy of this.proxies) await proxy.close()
  }
}

export function lastLines(text: string, count = 3): string {
  return text.trim().split('\n').slice(-count).join(' | ').slice(0, 600)
}

/** One family of faults (kill -9, terminate, outage…): picks a variant and injects it into a trial. */
export interface FaultFamily {
  name: string
  /** One line for the report. */
  title: string
  /** Injects the fault; the harness then reruns `assay monthly` normally (unless skipped) and checks. */
  run(trial: Trial): Promise<void>
}
