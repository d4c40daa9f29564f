import { useId } from 'react'

/** A labelled select for a filter bar; the empty option means "no filter". */
export function FilterSelect({
  id,
  label,
  value,
  any,
  options,
  onChange,
}: {
  id: string
  label: string
  value: string | undefined
  /** The text of the empty option, e.g. "All levels". */
  any: string
  options: readonly (string | { value: string; label: string })[]
  onChange: (value: string | undefined) => void
}) {
  const list = options.map((o) => (typeof o === 'string' ? { value: o, label: o } : o))
  if (value && !list.some((o) => o.value === value)) list.unshift({ value, label: value })
  return (
    <div className="field inline">
      <label htmlFor={id}>{label}</label>
      <select id={id} value={value ?? ''} onChange={(e) => onChange(e.target.value || undefined)}>
        <option value="">{any}</option>
        {list.map((o) => (
          <option key={o.value} value={o.value}>
            {o.label}
          </option>
        ))}
      </select>
    </div>
  )
}

/** "2024-05-01T10:30" in local time, as a datetime-local input shows an ISO instant. */
export function toLocalInput(iso: string | undefined): string {
  if (!iso) return ''
  const d = new Date(iso)
  if (Number.isNaN(d.getTime())) return ''
  const pad = (n: number) => String(n).padStart(2, '0')
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T${pad(d.getHours())}:${pad(d.getMinutes())}`
}

function fromLocalInput(value: string): string | undefined {
  if (!value) return undefined
  const d = new Date(value)
  return Number.isNaN(d.getTime()) ? undefined : d.toISOString()
}

const PRESETS = [
  { label: 'Last hour', ms: 3600_000 },
  { label: 'Last 24 h', ms: 86_400_000 },
  { label: 'Last 7 days', ms: 7 * 86_400_000 },
]

/** From/to (local time, sent as UTC instants) with quick ranges; either end may stay open. */
export function TimeRange({
  from,
  to,
  onChange,
}: {
  from: string | undefined
  to: string | undefined
  onChange: (range: { from?: string; to?: string }) => void
}) {
  const id = useId()
  const preset = PRESETS.find((p) => from && !to && Math.abs(Date.now() - Date.parse(from) - p.ms) < 120_000)
  return (
    <fieldset className="time-range">
      <legend className="sr-only">Time range</legend>
      <div className="field inline">
        <label htmlFor={`${id}-from`}>From</label>
        <input
          id={`${id}-from`}
          type="datetime-local"
          value={toLocalInput(from)}
          onChange={(e) => onChange({ from: fromLocalInput(e.target.value), to })}
        />
      </div>
      <div className="field inline">
        <label htmlFor={`${id}-to`}>To</label>
        <input
          id={`${id}-to`}
          type="datetime-local"
          value={toLocalInput(to)}
          onChange={(e) => onChange({ from, to: fromLocalInput(e.target.value) })}
        />
      </div>
      <div className="field inline">
        <label htmlFor={`${id}-preset`} className="sr-only">
          Quick range
        </label>
        <select
          id={`${id}-preset`}
          value={preset?.label ?? ''}
          onChange={(e) => {
            const chosen = PRESETS.find((p) => p.label === e.target.value)
            onChange(chosen ? { from: new Date(Date.now() - chosen.ms).toISOString() } : {})
          }}
        >
          <option value="">{from || to ? 'Custom range' : 'Any time'}</option>
          {PRESETS.map((p) => (
            <option key={p.label} value={p.label}>
              {p.label}
            </option>
          ))}
        </select>
      </div>
    </fieldset>
  )
}

/** "Clear filters", shown only while some filter is set. */
export function ClearFilters({ filters, onClear }: { filters: object; onClear: () => void }) {
  if (!Object.values(filters).some(Boolean)) return null
  return (
    <button type="button" className="button button-small" onClick={onClear}>
      Clear filters
    </button>
  )
}
