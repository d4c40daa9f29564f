import type { KeyboardEvent } from 'react'
import type { MonthState } from '../../../src-shared/pipeline'
import { MONTH_STATUS_GLYPH, MONTH_STATUS_LABEL, MONTH_STATUSES } from '../../components/status'
import { MONTH_NAMES } from '../../lib/format'
import type { PickMode } from '../../stores/month-set'
import { monthGrid, statusCounts } from './grid-model'

export function StatusLegend({ months }: { months: readonly MonthState[] }) {
  const counts = statusCounts(months)
  return (
    <ul className="legend" aria-label="Status legend">
      {MONTH_STATUSES.map((status) => (
        <li key={status}>
          <span className={`swatch status-${status}`} aria-hidden="true">
            {MONTH_STATUS_GLYPH[status]}
          </span>
          {MONTH_STATUS_LABEL[status]} <span className="muted">{counts[status] ?? 0}</span>
        </li>
      ))}
    </ul>
  )
}

/** Arrow keys move between month buttons like a calendar: left/right a month, up/down a year. */
function moveFocus(event: KeyboardEvent<HTMLButtonElement>) {
  const delta = { ArrowLeft: -1, ArrowRight: 1, ArrowUp: -12, ArrowDown: 12 }[event.key]
  const table = event.currentTarget.closest('table')
  if (!delta || !table) return
  const year = Number(event.currentTarget.dataset.year)
  const month = Number(event.currentTarget.dataset.monthNumber)
  const target = year * 12 + month - 1 + delta
  const next = table.querySelector<HTMLButtonElement>(
    `button[data-year="${Math.floor(target / 12)}"][data-month-number="${(target % 12) + 1}"]`,
  )
  if (next) {
    event.preventDefault()
    next.focus()
  }
}

/** Years down, months across; each known month a button coloured by its status (with a glyph, not colour alone). */
/** How a pointer or key event picks: ctrl/cmd toggles one month, shift picks the span from the anchor. */
function modeOf(e: { shiftKey: boolean; ctrlKey: boolean; metaKey: boolean }): PickMode {
  return e.shiftKey ? 'span' : e.ctrlKey || e.metaKey ? 'toggle' : 'one'
}

export function MonthGrid({
  months,
  selected,
  picked = new Set<string>(),
  onSelect,
}: {
  months: readonly MonthState[]
  selected: string | null
  /** Months picked together (more than one: a month set). */
  picked?: ReadonlySet<string>
  onSelect: (monthKey: string, mode: PickMode) => void
}) {
  const grid = monthGrid(months)
  const inSet = picked.size > 1
  return (
    <table className="month-grid" aria-label="Months by status">
      <thead>
        <tr>
          <th scope="col" className="mg-head year-label">
            Year
          </th>
          {MONTH_NAMES.map((name) => (
            <th key={name} scope="col" className="mg-head">
              {name}
            </th>
          ))}
        </tr>
      </thead>
      <tbody>
        {grid.years.map((year) => (
          <tr key={year}>
            <th scope="row" className="mg-head year-label">
              {year}
            </th>
            {MONTH_NAMES.map((name, i) => {
              const state = grid.cell(year, i + 1)
              if (!state) {
                return (
                  <td key={name} className="mg-cell">
                    <span
                      className="month-cell month-cell-unknown"
                      title={`${name} ${year}: not in the data`}
                    />
                  </td>
                )
              }
              return (
                <td key={name} className="mg-cell">
                  <button
                    type="button"
                    className={[
                      'month-cell',
                      `status-${state.status}`,
                      selected === state.monthKey && !inSet ? 'selected' : '',
                      inSet && picked.has(state.monthKey) ? 'picked' : '',
                    ]
                      .filter(Boolean)
                      .join(' ')}
                    aria-pressed={inSet ? picked.has(state.monthKey) : selected === state.monthKey}
                    aria-label={`${state.monthKey}: ${MONTH_STATUS_LABEL[state.status]}`}
                    data-month={state.monthKey}
                    data-year={year}
                    data-month-number={i + 1}
                    data-status={state.status}
                    // Mouse: picked on press, so a drag across cells extends the span; keys: on click (detail 0).
                    onMouseDown={(e) => {
                      if (e.button === 0) onSelect(state.monthKey, modeOf(e))
                    }}
                    onMouseEnter={(e) => {
                      if (e.buttons === 1) onSelect(state.monthKey, 'span')
                    }}
                    onClick={(e) => {
                      if (e.detail === 0) onSelect(state.monthKey, modeOf(e))
                    }}
                    onKeyDown={moveFocus}
                  >
                    <span className="cell-name">{name}</span>
                    <span className="cell-glyph" aria-hidden="true">
                      {MONTH_STATUS_GLYPH[state.status]}
                    </span>
                  </button>
                </td>
              )
            })}
          </tr>
        ))}
      </tbody>
    </table>
  )
}
