/** `npm run bench -- …` options. */
import { parseArgs } from 'node:util'

/** The areas measured once per scale (the rest run once: logs, the live feed, the embedded database). */
export const PER_SCALE_AREAS = [
  'cli',
  'ingest',
  'silver',
  'monthly',
  'reliable',
  'verify',
  'explain',
  'sink',
] as const
export const AREAS = [...PER_SCALE_AREAS, 'logs', 'live', 'embedded'] as const
export type Area = (typeof AREAS)[number]

export interface BenchOptions {
  scales: number[]
  embedded: boolean
  json?: string
  tiny: boolean
  reps: number
  keep: boolean
  areas: Set<Area>
  logRows: number
  sinkRecords: number
  liveEvents: number
  /** Write bench/RESULTS.md (default: yes, except with --tiny). */
  markdown: boolean
  /** The block of RESULTS.md the table replaces (`<!-- bench:NAME:start -->`), when not the area's own. */
  block?: string
}

export const USAGE = `usage: npm run bench -- [--scale S[,S…]] [--embedded] [--json FILE] [--tiny] [--reps N] [--keep]
                         [--only ${AREAS.join(',')}] [--log-rows N]
  --scale      demo data scale(s) on PostgreSQL, side by side (default 1; 1 ≈ 540,000 bronze lines)
  --embedded   also run the pipeline on PGlite at scale 1 (at 0.01 with --tiny) and report its ratio to PostgreSQL
  --json FILE  write the results as JSON (default bench/results/<date>.json)
  --tiny       a quick check that the harness works: scale 0.01, 1 repetition, 20,000 log rows (CI)
  --reps N     repetitions per timing, medians reported (default 5)
  --keep       keep the template databases for the next run (rebuilt when the migrations change)
  --only A,B   run only these areas
  --block NAME write the table into RESULTS.md's block NAME (added at the end if missing), not the full run's
  --log-rows N rows in ops.pipeline_logs for the logs view and export (default 1,000,000)
The PostgreSQL server is ASSAY_TEST_PG (a maintenance-database URL), else postgres@127.0.0.1:5432, as for the tests.`

export class UsageProblem extends Error {}

function positive(name: string, text: string | undefined, fallback: number, integer = true): number {
  if (text === undefined) return fallback
  const n = Number(text)
  if (!Number.isFinite(n) || n <= 0 || (integer && !Number.isInteger(n)))
    throw new UsageProblem(`--${name} must be a positive ${integer ? 'whole ' : ''}number (got "${text}")`)
  return n
}

export function parseOptions(argv: string[]): BenchOptions | 'help' {
  const { values } = parseArgs({
    args: argv,
    options: {
      scale: { type: 'string' },
      embedded: { type: 'boolean', default: false },
      json: { type: 'string' },
      tiny: { type: 'boolean', default: false },
      reps: { type: 'string' },
      keep: { type: 'boolean', default: false },
      only: { type: 'string' },
      'log-rows': { type: 'string' },
      block: { type: 'string' },
      help: { type: 'boolean', short: 'h', default: false },
    },
    strict: true,
  })
  if (values.help) return 'help'
  const tiny = Boolean(values.tiny)
  const scales = (values.scale ?? (tiny ? '0.01' : '1'))
    .split(',')
    .map((s) => positive('scale', s.trim(), 1, false))
  for (const s of scales)
    if (s < 0.01 || s > 10) throw new UsageProblem(`--scale must be from 0.01 to 10 (got ${s})`)
  if (values.block !== undefined && !/^[a-z0-9-]+$/.test(values.block))
    throw new UsageProblem(`--block takes lower-case letters, digits and dashes (got "${values.block}")`)
  const only = values.only?.split(',').map((a) => a.trim())
  for (const a of only ?? [])
    if (!AREAS.includes(a as Area)) throw new UsageProblem(`unknown area "${a}" (${AREAS.join(', ')})`)
  const areas = new Set<Area>((only as Area[] | undefined) ?? AREAS.filter((a) => a !== 'embedded'))
  if (values.embedded) areas.add('embedded')
  return {
    scales: [...new Set(scales)].sort((a, b) => a - b),
    embedded: areas.has('embedded'),
    json: values.json,
    tiny,
    reps: positive('reps', values.reps, tiny ? 1 : 5),
    keep: Boolean(values.keep),
    areas,
    logRows: positive('log-rows', values['log-rows'], tiny ? 20_000 : 1_000_000),
    sinkRecords: tiny ? 20_000 : 200_000,
    liveEvents: tiny ? 20 : 200,
    markdown: !tiny,
    block: values.block,
  }
}
