import type { FormEvent } from 'react'
import { useShallow } from 'zustand/react/shallow'
import type { RunChoice } from '../../../src-shared/contract'
import { InlineError } from '../../components/feedback'
import { TextField } from '../../components/field'
import { useMonths } from '../../stores/months-store'
import { editRunForm, submitRunForm, useRunForm } from '../../stores/run-form-store'
import { selectRunActive, useRuns } from '../../stores/runs-store'
import type { ScopeKind } from './run-form-model'

const PIPELINES: { value: RunChoice; label: string; hint: string }[] = [
  { value: 'monthly', label: 'Monthly', hint: 'gold.fact_sales_monthly, month by month' },
  { value: 'reliable', label: 'Reliable', hint: 'product performance and country sales' },
  { value: 'both', label: 'Both', hint: 'monthly, then reliable' },
]

const SCOPES: { value: ScopeKind; label: string }[] = [
  { value: 'pending', label: 'All months that need work' },
  { value: 'year', label: 'One year' },
  { value: 'month', label: 'One month' },
  { value: 'range', label: 'A range of months' },
]

/** Suggestions for the year and month fields: the months the database knows. */
function KnownMonths() {
  const months = useMonths((s) => s.months)
  const years = [...new Set(months.map((m) => m.year))]
  return (
    <>
      <datalist id="known-months">
        {months.map((m) => (
          <option key={m.monthKey} value={m.monthKey} />
        ))}
      </datalist>
      <datalist id="known-years">
        {years.map((y) => (
          <option key={y} value={y} />
        ))}
      </datalist>
    </>
  )
}

export function RunFormPanel() {
  const { form, invalid } = useRunForm(useShallow(({ form, invalid }) => ({ form, invalid })))
  const pending = useRuns((s) => s.pending)
  const error = useRuns((s) => s.error)
  const active = useRuns((s) => s.job?.status === 'running')
  const anyActive = useRuns(selectRunActive)
  const fieldError = (field: string) => (invalid?.field === field ? invalid.message : null)
  const onSubmit = (event: FormEvent) => {
    event.preventDefault()
    void submitRunForm('run')
  }
  return (
    <form className="run-form" onSubmit={onSubmit} noValidate aria-label="Start a run">
      <KnownMonths />
      <fieldset className="segmented">
        <legend>Pipeline</legend>
        {PIPELINES.map((p) => (
          <label key={p.value} className={form.pipeline === p.value ? 'checked' : ''} title={p.hint}>
            <input
              type="radio"
              name="pipeline"
              value={p.value}
              checked={form.pipeline === p.value}
              onChange={() => editRunForm({ pipeline: p.value })}
            />
            {p.label}
          </label>
        ))}
      </fieldset>
      <p className="field-hint">{PIPELINES.find((p) => p.value === form.pipeline)?.hint}</p>

      <fieldset className="scope" disabled={form.pipeline === 'reliable'}>
        <legend>
          Months {form.pipeline === 'reliable' ? '(the reliable pipeline covers all of silver)' : ''}
        </legend>
        {SCOPES.map((s) => (
          <label key={s.value} className="radio">
            <input
              type="radio"
              name="scope"
              value={s.value}
              checked={form.scope === s.value}
              onChange={() => editRunForm({ scope: s.value })}
            />
            {s.label}
          </label>
        ))}
        {form.scope === 'year' && (
          <TextField
            id="run-year"
            label="Year"
            list="known-years"
            numeric
            placeholder="2011"
            value={form.year}
            error={fieldError('year')}
            onChange={(year) => editRunForm({ year })}
          />
        )}
        {form.scope === 'month' && (
          <TextField
            id="run-month"
            label="Month"
            hint="YYYY-MM"
            list="known-months"
            placeholder="2011-03"
            value={form.month}
            error={fieldError('month')}
            onChange={(month) => editRunForm({ month })}
          />
        )}
        {form.scope === 'range' && (
          <div className="field-row">
            <TextField
              id="run-from"
              label="From"
              list="known-months"
              placeholder="2011-01"
              value={form.from}
              error={fieldError('from')}
              onChange={(from) => editRunForm({ from })}
            />
            <TextField
              id="run-to"
              label="To"
              list="known-months"
              placeholder="2011-06"
              value={form.to}
              error={fieldError('to')}
              onChange={(to) => editRunForm({ to })}
            />
          </div>
        )}
      </fieldset>

      <label className="checkbox">
        <input
          type="checkbox"
          checked={form.force}
          onChange={(e) => editRunForm({ force: e.target.checked })}
        />
        Force: process completed months again
      </label>

      <InlineError message={fieldError('form') ?? error} />
      <div className="actions">
        <button
          type="button"
          className="button"
          disabled={pending !== null}
          onClick={() => void submitRunForm('dry-run')}
        >
          {pending === 'plan' ? 'Planning…' : 'Dry run'}
        </button>
        <button type="submit" className="button button-primary" disabled={pending !== null || active}>
          {pending === 'start' ? 'Starting…' : 'Run'}
        </button>
      </div>
      {anyActive && !active ? (
        <p className="field-hint">A run started elsewhere is active; months it holds are skipped.</p>
      ) : null}
    </form>
  )
}
