import { MAX_YEAR, MIN_YEAR, parseMonthKey, yyyymm } from '../../../src-shared/months.js'
import type { MonthlyScope, ResetScope, RetrySettings } from '../../../src-shared/pipeline.js'
import { UsageError } from '../../engine/errors.js'
import { parseRetryOptions } from '../run-options.js'

/** What `assay monthly` was asked to do, validated. */
export type MonthlyCommand = RunCommand | ResetCommand

export interface RunCommand {
  mode: 'run' | 'dry-run'
  scope: MonthlyScope
  force: boolean
  retry: RetrySettings
  output: Output
}

export interface ResetCommand {
  mode: 'reset'
  scope: ResetScope
  output: Output
}

export interface Output {
  format: 'pretty' | 'json'
  verbose: boolean
}

type Env = Record<string, string | undefined>

function parseYear(text: string): number {
  if (!/^\d{4}$/.test(text.trim()))
    throw new UsageError(`--year must be a four-digit year such as 2011 (got "${text}")`)
  const year = Number(text)
  if (year < MIN_YEAR || year > MAX_YEAR)
    throw new UsageError(`--year ${year} is out of range (${MIN_YEAR}–${MAX_YEAR})`)
  return year
}

function parseMonth(text: string): number {
  const month = /^\d{1,2}$/.test(text.trim()) ? Number(text) : Number.NaN
  if (!(month >= 1 && month <= 12))
    throw new UsageError(`--month must be a month number 1–12 (got "${text}")`)
  return month
}

function parseKey(flag: string, text: string) {
  const parsed = parseMonthKey(text)
  if (typeof parsed === 'string') throw new UsageError(`${flag}: ${parsed}`)
  return parsed
}

/**
 * The month scope of --year [--month] or --from/--to (pending when none), validated: --month without --year, a year
 * that is not four digits, a month outside 1–12, both forms at once, or a backwards range are UsageErrors (exit 2).
 */
export function parseScopeOptions(options: Record<string, unknown>): MonthlyScope {
  const year = options.year as string | undefined
  const month = options.month as string | undefined
  const from = options.from as string | undefined
  const to = options.to as string | undefined
  if (month !== undefined && year === undefined)
    throw new UsageError('--month needs --year (e.g. --year 2011 --month 3)')
  if ((from !== undefined || to !== undefined) && (year !== undefined || month !== undefined))
    throw new UsageError('choose either --year [--month] or --from/--to, not both')
  if ((from === undefined) !== (to === undefined))
    throw new UsageError('--from and --to go together (e.g. --from 2011-01 --to 2011-06)')

  let scope: MonthlyScope = { kind: 'pending' }
  if (year !== undefined) {
    const y = parseYear(year)
    scope =
      month !== undefined ? { kind: 'month', year: y, month: parseMonth(month) } : { kind: 'year', year: y }
  } else if (from !== undefined && to !== undefined) {
    const a = parseKey('--from', from)
    const b = parseKey('--to', to)
    if (yyyymm(a) > yyyymm(b))
      throw new UsageError(`the range is backwards: --from ${from} is after --to ${to}`)
    scope = { kind: 'range', from: a, to: b }
  }
  return scope
}

/**
 * Validates the flags of `assay monthly`. Bad values and conflicting flags are UsageErrors (exit 2) naming the flag:
 * --month without --year, a year that is not four digits, a month outside 1–12, a range that ends before it
 * starts, --reset with --dry-run, --force or a range.
 */
export function parseMonthlyOptions(options: Record<string, unknown>, env?: Env): MonthlyCommand {
  const format = (options.logFormat as string | undefined) ?? 'pretty'
  if (format !== 'pretty' && format !== 'json')
    throw new UsageError(`--log-format must be "pretty" or "json" (got "${format}")`)
  const output: Output = { format, verbose: Boolean(options.verbose) }

  if (options.reset) {
    if (options.dryRun)
      throw new UsageError(
        'conflicting flags: --reset clears processing state and --dry-run writes nothing; use one of them',
      )
    if (options.force) throw new UsageError('conflicting flags: --reset and --force; use one of them')
  }
  const scope = parseScopeOptions(options)
  if (options.reset && scope.kind === 'range')
    throw new UsageError('--reset takes --year [--month], not --from/--to')

  if (options.reset) {
    const resetScope: ResetScope = scope.kind === 'pending' ? { kind: 'all' } : (scope as ResetScope)
    return { mode: 'reset', scope: resetScope, output }
  }
  return {
    mode: options.dryRun ? 'dry-run' : 'run',
    scope,
    force: Boolean(options.force),
    retry: parseRetryOptions(options, env),
    output,
  }
}
