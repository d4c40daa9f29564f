import { type FormEvent, useState } from 'react'
import { TextField } from '../../components/field'
import { plural } from '../../lib/format'
import { askReset, useReset } from '../../stores/reset-store'
import { type Checked, type ResetKind, toResetScope } from './run-form-model'

/** Clears processing state for a scope, after a confirmation that lists the months. */
export function ResetPanel() {
  const [kind, setKind] = useState<ResetKind>('month')
  const [year, setYear] = useState('')
  const [month, setMonth] = useState('')
  const [invalid, setInvalid] = useState<Extract<Checked<unknown>, { ok: false }> | null>(null)
  const done = useReset((s) => s.done)
  const onSubmit = (event: FormEvent) => {
    event.preventDefault()
    const checked = toResetScope(kind, year, month)
    if (!checked.ok) return setInvalid(checked)
    setInvalid(null)
    void askReset(checked.value)
  }
  return (
    <form className="reset-form" onSubmit={onSubmit} noValidate aria-label="Reset processing state">
      <div className="field">
        <label htmlFor="reset-kind">Scope</label>
        <select
          id="reset-kind"
          value={kind}
          onChange={(e) => {
            setKind(e.target.value as ResetKind)
            setInvalid(null)
          }}
        >
          <option value="month">One month</option>
          <option value="year">One year</option>
          <option value="all">All months</option>
        </select>
      </div>
      {kind === 'year' && (
        <TextField
          id="reset-year"
          label="Year"
          list="known-years"
          numeric
          placeholder="2011"
          value={year}
          error={invalid?.field === 'year' ? invalid.message : null}
          onChange={setYear}
        />
      )}
      {kind === 'month' && (
        <TextField
          id="reset-month"
          label="Month"
          list="known-months"
          placeholder="2011-03"
          value={month}
          error={invalid?.field === 'month' ? invalid.message : null}
          onChange={setMonth}
        />
      )}
      <div className="actions">
        <button type="submit" className="button button-danger-outline">
          Reset…
        </button>
      </div>
      {done ? (
        <p className="field-hint" role="status">
          Cleared {plural(done.months.length, 'month')}
          {done.months.length ? `: ${done.months.join(', ')}` : ''}.
        </p>
      ) : null}
    </form>
  )
}
