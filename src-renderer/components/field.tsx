import type { ReactNode } from 'react'

/** A labelled control with an optional hint and a specific error underneath. */
export function Field({
  label,
  htmlFor,
  hint,
  error,
  children,
}: {
  label: string
  htmlFor: string
  hint?: string
  error?: string | null
  children: ReactNode
}) {
  return (
    <div className={`field ${error ? 'field-invalid' : ''}`}>
      <label htmlFor={htmlFor}>{label}</label>
      {children}
      {error ? (
        <p className="field-error" id={`${htmlFor}-error`} role="alert">
          {error}
        </p>
      ) : hint ? (
        <p className="field-hint" id={`${htmlFor}-hint`}>
          {hint}
        </p>
      ) : null}
    </div>
  )
}

/** A labelled text input whose error is announced and tied to it (aria-invalid, aria-describedby). */
export function TextField({
  id,
  label,
  hint,
  error,
  value,
  onChange,
  placeholder,
  list,
  numeric,
}: {
  id: string
  label: string
  hint?: string
  error?: string | null
  value: string
  onChange: (value: string) => void
  placeholder?: string
  list?: string
  numeric?: boolean
}) {
  const described = error ? `${id}-error` : hint ? `${id}-hint` : undefined
  return (
    <Field label={label} htmlFor={id} hint={hint} error={error}>
      <input
        id={id}
        list={list}
        inputMode={numeric ? 'numeric' : undefined}
        placeholder={placeholder}
        value={value}
        aria-invalid={Boolean(error)}
        aria-describedby={described}
        onChange={(event) => onChange(event.target.value)}
      />
    </Field>
  )
}
