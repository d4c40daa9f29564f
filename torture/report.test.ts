import { describe, expect, it } from 'vitest'
import { formatFailures, formatTable, summarise } from './report.js'
import type { TrialOutcome } from './trial.js'

function outcome(family: string, extra: Partial<TrialOutcome> = {}): TrialOutcome {
  return {
    index: 0,
    family,
    variant: 'v',
    seed: 1,
    ms: 10,
    survived: true,
    mismatches: 0,
    doubleCounted: 0,
    lost: 0,
    stuck: 0,
    failures: [],
    notes: [],
    ...extra,
  }
}

describe('report', () => {
  it('sums per family and in total, and prints an aligned table', () => {
    const rows = summarise(
      [
        outcome('kill'),
        outcome('kill', { survived: false, mismatches: 2, doubleCounted: 1, lost: 1, failures: ['x'] }),
        outcome('outage', { stuck: 1, survived: false }),
      ],
      ['kill', 'outage'],
    )
    expect(rows.at(-1)).toEqual({
      fault: 'total',
      trials: 3,
      survived: 1,
      mismatches: 2,
      doubleCounted: 1,
      lost: 1,
      stuck: 1,
    })
    const table = formatTable(rows).split('\n')
    expect(table[0]).toMatch(/^fault\s+\| trials \| survived \| mismatches found \| months double-counted/)
    expect(new Set(table.map((line) => line.length)).size).toBe(1)
    expect(table[2]).toMatch(/^kill\s+\|\s+2 \|\s+1 \|\s+2 \|/)
  })

  it('lists failed trials with a replay command', () => {
    const text = formatFailures(
      [outcome('kill', { index: 7, survived: false, failures: ['gold mismatch'] }), outcome('kill')],
      (o) => `--trial ${o.index}`,
    )
    expect(text).toContain('trial 7 kill/v')
    expect(text).toContain('replay: --trial 7')
    expect(text).toContain('- gold mismatch')
  })
})
