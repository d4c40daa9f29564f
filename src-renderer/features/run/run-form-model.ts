import { describeIssues, type RunChoice, RunOptions } from '../../../src-shared/contract'
import { parseMonthKey } from '../../../src-shared/months'
import { type MonthlyScope, ResetScope, Year } from '../../../src-shared/pipeline'

export type ScopeKind = 'pending' | 'year' | 'month' | 'range'

/** The Run form as typed: strings until validated. */
export interface RunForm {
  pipeline: RunChoice
  scope: ScopeKind
  year: string
  month: string
  from: string
  to: string
  force: boolean
}

export const EMPTY_RUN_FORM: RunForm = {
  pipeline: 'monthly',
  scope: 'pending',
  year: '',
  month: '',
  from: '',
  to: '',
  force: false,
}

export type FieldName = 'year' | 'month' | 'from' | 'to' | 'form'
export type Checked<T> = { ok: true; value: T } | { ok: false; field: FieldName; message: string }

function fail(field: FieldName, message: string): { ok: false; field: FieldName; message: string } {
  return { ok: false, field, message }
}

/** A year as typed: four digits within the supported range. */
export function checkYear(text: string): Checked<number> {
  const trimmed = text.trim()
  if (!trimmed) return fail('year', 'enter a year, e.g. 2011')
  if (!/^\d{4}$/.test(trimmed))
    return fail('year', `"${trimmed}" is not a year (expected four digits, e.g. 2011)`)
  const parsed = Year.safeParse(Number(trimmed))
  return parsed.success
    ? { ok: true, value: parsed.data }
    : fail('year', `year ${trimmed}: ${parsed.error.issues[0]?.message}`)
}

/** A month as typed, YYYY-MM, with the shared parser's messages ("month 2011-13 is not a month …"). */
export function checkMonth(
  text: string,
  field: FieldName = 'month',
): Checked<{ year: number; month: number }> {
  if (!text.trim()) return fail(field, 'enter a month as YYYY-MM, e.g. 2011-03')
  const parsed = parseMonthKey(text)
  return typeof parsed === 'string' ? fail(field, parsed) : { ok: true, value: parsed }
}

function scopeOf(form: RunForm): Checked<MonthlyScope> {
  switch (form.scope) {
    case 'pending':
      return { ok: true, value: { kind: 'pending' } }
    case 'year': {
      const year = checkYear(form.year)
      return year.ok ? { ok: true, value: { kind: 'year', year: year.value } } : year
    }
    case 'month': {
      const month = checkMonth(form.month)
      return month.ok ? { ok: true, value: { kind: 'month', ...month.value } } : month
    }
    case 'range': {
      const from = checkMonth(form.from, 'from')
      if (!from.ok) return from
      const to = checkMonth(form.to, 'to')
      if (!to.ok) return to
      return { ok: true, value: { kind: 'range', from: from.value, to: to.value } }
    }
  }
}

/** Validates the form into the request the host expects, with the same schema the host checks again. */
export function toRunOptions(form: RunForm): Checked<RunOptions> {
  const scope =
    form.pipeline === 'reliable' ? ({ ok: true, value: { kind: 'pending' } } as const) : scopeOf(form)
  if (!scope.ok) return scope
  const parsed = RunOptions.safeParse({ pipeline: form.pipeline, scope: scope.value, force: form.force })
  if (!parsed.success) return fail(form.scope === 'range' ? 'to' : 'form', describeIssues(parsed.error))
  return { ok: true, value: parsed.data }
}

export type ResetKind = 'all' | 'year' | 'month'

export function toResetScope(kind: ResetKind, year: string, month: string): Checked<ResetScope> {
  if (kind === 'all') return { ok: true, value: { kind: 'all' } }
  if (kind === 'year') {
    const y = checkYear(year)
    return y.ok ? { ok: true, value: ResetScope.parse({ kind: 'year', year: y.value }) } : y
  }
  const m = checkMonth(month)
  return m.ok ? { ok: true, value: ResetScope.parse({ kind: 'month', ...m.value }) } : m
}
