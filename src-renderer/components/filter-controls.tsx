import { type ReactNode, useEffect, useId, useRef, useState } from 'react'
import type { LogFacets } from '../../src-shared/contract'
import { formatTime, shortId, zoneLabel } from '../lib/format'
import { BOUND_FORMAT, type BoundEnd, formatBound, parseBound } from '../lib/local-time'

type Option = string | { value: string; label: string }

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
  options: readonly Option[]
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

const PRESETS = [
  { label: 'Last hour', ms: 3600_000 },
  { label: 'Last 24 h', ms: 86_400_000 },
  { label: 'Last 7 days', ms: 7 * 86_400_000 },
]

/** One end of a time range as typed ISO text, with its error inline; what the test renders. */
export function BoundField({
  id,
  label,
  text,
  error,
  zoneId,
  onText,
}: {
  id: string
  label: string
  text: string
  error: string | null
  /** The element that names the time zone. */
  zoneId: string
  onText: (text: string) => void
}) {
  return (
    <div className="field inline bound-field">
      <label htmlFor={id}>{label}</label>
      <input
        id={id}
        type="text"
        value={text}
        placeholder="yyyy-mm-dd HH:MM"
        spellCheck={false}
        autoComplete="off"
        aria-invalid={Boolean(error)}
        aria-describedby={error ? `${id}-error ${zoneId}` : zoneId}
        onChange={(e) => onText(e.target.value)}
      />
      {error ? (
        <p className="field-error" id={`${id}-error`} role="alert">
          {error}
        </p>
      ) : null}
    </div>
  )
}

/** Keeps what is typed until it parses; follows the filter when it changes elsewhere (URL, preset, Clear). */
function BoundInput({
  id,
  end,
  value,
  zoneId,
  onChange,
}: {
  id: string
  end: BoundEnd
  value: string | undefined
  zoneId: string
  onChange: (iso: string | undefined) => void
}) {
  const [text, setText] = useState(() => formatBound(value, end))
  const [error, setError] = useState<string | null>(null)
  const sent = useRef(value)
  useEffect(() => {
    if (value === sent.current) return
    sent.current = value
    setText(formatBound(value, end))
    setError(null)
  }, [value, end])
  return (
    <BoundField
      id={id}
      label={end === 'from' ? 'From' : 'To'}
      text={text}
      error={error}
      zoneId={zoneId}
      onText={(typed) => {
        setText(typed)
        const parsed = parseBound(typed, end)
        setError(parsed.ok ? null : parsed.error)
        if (!parsed.ok || parsed.iso === sent.current) return
        sent.current = parsed.iso
        onChange(parsed.iso)
      }}
    />
  )
}

/** From/to typed as ISO local time (the zone said beside them, sent as UTC instants) with quick ranges. */
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
      <BoundInput
        id={`${id}-from`}
        end="from"
        value={from}
        zoneId={`${id}-zone`}
        onChange={(f) => onChange({ from: f, to })}
      />
      <BoundInput
        id={`${id}-to`}
        end="to"
        value={to}
        zoneId={`${id}-zone`}
        onChange={(t) => onChange({ from, to: t })}
      />
      <span className="time-zone" id={`${id}-zone`} title={`Local time, ${BOUND_FORMAT}`}>
        {zoneLabel()}
      </span>
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

/** A select in a filter bar: which filter it sets, its label, its "no filter" text and its choices. */
export interface SelectFilter<F> {
  key: keyof F & string
  label: string
  any: string
  options: readonly Option[]
}

/**
 * The filter bar of Logs, Runs and Checkpoints: any leading controls, a select per filter, the time range and
 * Clear filters. Each change hands on the whole new filter set.
 */
export function FilterBar<F extends { from?: string; to?: string }>({
  name,
  filters,
  selects,
  onChange,
  className,
  children,
}: {
  /** What is filtered, e.g. "logs": the legend and the prefix of the controls' ids. */
  name: string
  filters: F
  selects: SelectFilter<F>[]
  onChange: (filters: F) => void
  className?: string
  children?: ReactNode
}) {
  const set = (patch: Partial<F>) => onChange({ ...filters, ...patch })
  return (
    <fieldset className={className ? `filter-bar ${className}` : 'filter-bar'}>
      <legend className="sr-only">Filter {name}</legend>
      {children}
      {selects.map((s) => (
        <FilterSelect
          key={s.key}
          id={`${name}-${s.key}`}
          label={s.label}
          any={s.any}
          value={filters[s.key] as string | undefined}
          options={s.options}
          onChange={(value) => set({ [s.key]: value } as Partial<F>)}
        />
      ))}
      <TimeRange from={filters.from} to={filters.to} onChange={(range) => set(range as Partial<F>)} />
      <ClearFilters filters={filters} onClear={() => onChange({} as F)} />
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

/** Recent runs as Run filter choices: short ID, pipeline and start time. */
export function runOptions(runs: LogFacets['runs']): Option[] {
  return runs.map((run) => ({
    value: run.runId,
    label: `${shortId(run.runId)} · ${run.pipelineName} · ${formatTime(run.startedAt)}`,
  }))
}
