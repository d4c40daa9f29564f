import { describe, expect, it } from 'vitest'
import { UsageError } from '../../engine/errors.js'
import { parseRetryOptions } from '../run-options.js'
import { parseMonthlyOptions } from './monthly-args.js'

const noEnv = {}
const parse = (options: Record<string, unknown>, env: Record<string, string> = noEnv) =>
  parseMonthlyOptions(options, env)

describe('assay monthly flags', () => {
  it('maps the seed flags and the additions to scopes', () => {
    expect(parse({})).toMatchObject({ mode: 'run', scope: { kind: 'pending' }, force: false })
    expect(parse({ year: '2010', month: '12' })).toMatchObject({
      scope: { kind: 'month', year: 2010, month: 12 },
    })
    expect(parse({ year: '2011', month: '03' })).toMatchObject({
      scope: { kind: 'month', year: 2011, month: 3 },
    })
    expect(parse({ year: '2010' })).toMatchObject({ scope: { kind: 'year', year: 2010 } })
    expect(parse({ from: '2010-12', to: '2011-02' })).toMatchObject({
      scope: { kind: 'range', from: { year: 2010, month: 12 }, to: { year: 2011, month: 2 } },
    })
    expect(parse({ force: true })).toMatchObject({ mode: 'run', force: true })
    expect(parse({ dryRun: true })).toMatchObject({ mode: 'dry-run' })
    expect(parse({ dryRun: true, force: true, year: '2011' })).toMatchObject({ mode: 'dry-run', force: true })
    expect(parse({ reset: true })).toEqual({
      mode: 'reset',
      scope: { kind: 'all' },
      output: { format: 'pretty', verbose: false },
    })
    expect(parse({ reset: true, year: '2011', month: '4' })).toMatchObject({
      mode: 'reset',
      scope: { kind: 'month', year: 2011, month: 4 },
    })
    expect(parse({ logFormat: 'json', verbose: true })).toMatchObject({
      output: { format: 'json', verbose: true },
    })
  })

  const usage: [string, Record<string, unknown>, string | RegExp][] = [
    ['--month without --year', { month: '3' }, '--month needs --year (e.g. --year 2011 --month 3)'],
    ['--year abc', { year: 'abc' }, '--year must be a four-digit year such as 2011 (got "abc")'],
    ['--year 11', { year: '11' }, '--year must be a four-digit year such as 2011 (got "11")'],
    ['--year 20111', { year: '20111' }, '--year must be a four-digit year such as 2011 (got "20111")'],
    ['--year 1066', { year: '1066' }, '--year 1066 is out of range (1990–2100)'],
    ['--month 13', { year: '2011', month: '13' }, '--month must be a month number 1–12 (got "13")'],
    ['--month 0', { year: '2011', month: '0' }, '--month must be a month number 1–12 (got "0")'],
    ['--month x', { year: '2011', month: 'x' }, '--month must be a month number 1–12 (got "x")'],
    ['--month 2.5', { year: '2011', month: '2.5' }, '--month must be a month number 1–12 (got "2.5")'],
    [
      'backwards range',
      { from: '2011-06', to: '2011-01' },
      'the range is backwards: --from 2011-06 is after --to 2011-01',
    ],
    ['--from alone', { from: '2011-01' }, '--from and --to go together (e.g. --from 2011-01 --to 2011-06)'],
    ['--to alone', { to: '2011-01' }, '--from and --to go together (e.g. --from 2011-01 --to 2011-06)'],
    ['bad --from', { from: '2011/01', to: '2011-02' }, /^--from: "2011\/01" is not a month/],
    ['bad --to month', { from: '2011-01', to: '2011-13' }, /^--to: month 2011-13 is not a month/],
    [
      '--year with a range',
      { year: '2011', from: '2011-01', to: '2011-02' },
      'choose either --year [--month] or --from/--to, not both',
    ],
    [
      '--reset --dry-run',
      { reset: true, dryRun: true },
      /^conflicting flags: --reset clears processing state and --dry-run writes nothing/,
    ],
    [
      '--reset --force',
      { reset: true, force: true },
      'conflicting flags: --reset and --force; use one of them',
    ],
    [
      '--reset with a range',
      { reset: true, from: '2011-01', to: '2011-02' },
      '--reset takes --year [--month], not --from/--to',
    ],
    ['--log-format xml', { logFormat: 'xml' }, '--log-format must be "pretty" or "json" (got "xml")'],
    [
      '--retry-attempts 0',
      { retryAttempts: '0' },
      '--retry-attempts must be a whole number from 1 to 20 (got "0")',
    ],
    [
      '--retry-attempts x',
      { retryAttempts: 'x' },
      '--retry-attempts must be a whole number from 1 to 20 (got "x")',
    ],
    [
      '--retry-base-ms -1',
      { retryBaseMs: '-1' },
      '--retry-base-ms must be a whole number from 0 to 600,000 (got "-1")',
    ],
    [
      '--retry-max-ms 1e9',
      { retryMaxMs: '1e9' },
      '--retry-max-ms must be a whole number from 0 to 3,600,000 (got "1e9")',
    ],
  ]
  it.each(usage)('%s is a usage error with a specific message', (_name, options, message) => {
    let error: unknown
    try {
      parse(options)
    } catch (caught) {
      error = caught
    }
    expect(error).toBeInstanceOf(UsageError)
    expect((error as UsageError).exitCode).toBe(2)
    if (typeof message === 'string') expect((error as Error).message).toBe(message)
    else expect((error as Error).message).toMatch(message)
  })

  it('takes retry settings from flags, then ASSAY_RETRY_*, then the seed defaults, and validates the environment', () => {
    expect(parseRetryOptions({}, {})).toEqual({ maxAttempts: 4, baseDelayMs: 1000, maxDelayMs: 30000 })
    expect(
      parseRetryOptions(
        {},
        { ASSAY_RETRY_ATTEMPTS: '6', ASSAY_RETRY_BASE_MS: '20', ASSAY_RETRY_MAX_MS: '500' },
      ),
    ).toEqual({ maxAttempts: 6, baseDelayMs: 20, maxDelayMs: 500 })
    expect(parseRetryOptions({ retryAttempts: '2' }, { ASSAY_RETRY_ATTEMPTS: '6' }).maxAttempts).toBe(2)
    expect(() => parseRetryOptions({}, { ASSAY_RETRY_ATTEMPTS: 'many' })).toThrow(
      'ASSAY_RETRY_ATTEMPTS must be a whole number from 1 to 20 (got "many")',
    )
  })
})
