import type { KeyboardEvent } from 'react'
import type { MonthState } from '../../../src-shared/pipeline'
import { MONTH_STATUS_GLYPH, MONTH_STATUS_LABEL, MONTH_STATUSES } from '../../components/status'
import { MONTH_NAMES } from '../../lib/format'
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
export function MonthGrid({
  months,
  selected,
  onSelect,
}: {
  months: readonly MonthState[]
  selected: string | null
  onSelect: (monthKey: string) => void
}) {
  const grid = monthGrid(months)
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
                    className={`month-cell status-${state.status} ${selected === state.monthKey ? 'selected' : ''}`}
                    aria-pressed={selected === state.monthKey}
                    aria-label={`${state.monthKey}: ${MONTH_STATUS_LABEL[state.status]}`}
                    data-month={state.monthKey}
                    data-year={year}
                    data-month-number={i + 1}
                    data-status={state.status}
                    onClick={() => onSelect(state.monthKey)}
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
