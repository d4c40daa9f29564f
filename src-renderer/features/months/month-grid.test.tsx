import { renderToStaticMarkup } from 'react-dom/server'
import { describe, expect, it } from 'vitest'
import type { MonthState } from '../../../src-shared/pipeline'
import { monthGrid, statusCounts } from './grid-model'
import { MonthGrid, StatusLegend } from './month-grid'

function month(year: number, m: number, status: MonthState['status']): MonthState {
  return {
    monthKey: `${year}-${String(m).padStart(2, '0')}`,
    year,
    month: m,
    status,
    silverRows: 10,
    processedAt: null,
    startedAt: null,
    durationMs: null,
    runId: null,
    host: null,
    attempts: null,
    error: null,
    sqlstate: null,
    fingerprint: null,
  }
}

const months = [
  month(2010, 12, 'completed'),
  month(2011, 1, 'failed'),
  month(2011, 2, 'stale'),
  month(2011, 3, 'pending'),
]

describe('months grid', () => {
  it('arranges known months by year and month', () => {
    const grid = monthGrid(months)
    expect(grid.years).toEqual([2010, 2011])
    expect(grid.cell(2011, 2)?.status).toBe('stale')
    expect(grid.cell(2010, 1)).toBeUndefined()
    expect(statusCounts(months)).toEqual({ completed: 1, failed: 1, stale: 1, pending: 1 })
  })

  it('renders one labelled, coloured button per known month and marks the selected one', () => {
    const html = renderToStaticMarkup(
      <MonthGrid months={months} selected="2011-01" onSelect={() => undefined} />,
    )
    expect(html.match(/<button/g)).toHaveLength(4)
    expect(html).toContain('aria-label="2011-01: Failed"')
    expect(html).toContain('class="month-cell status-failed selected"')
    expect(html).toContain('aria-label="2011-03: Never processed"')
    expect(html).toContain('title="Jan 2010: not in the data"')
  })

  it('labels every status in the legend with its count', () => {
    const html = renderToStaticMarkup(<StatusLegend months={months} />)
    const counts = {
      Completed: 1,
      'In progress': 0,
      Failed: 1,
      Stale: 1,
      Drifted: 0,
      Interrupted: 0,
      'Never processed': 1,
      'No data': 0,
    }
    for (const [label, count] of Object.entries(counts)) {
      expect(html).toContain(`${label} <span class="muted">${count}</span>`)
    }
    expect(html.match(/<li>/g)).toHaveLength(Object.keys(counts).length)
  })
})
