/**
 * One set of value parsers for both backends, keyed by PostgreSQL type OID,
 * so callers see the same JavaScript types whichever database they run on.
 */
export const OID = {
  int8: 20,
  numeric: 1700,
  date: 1082,
  timestamp: 1114,
  timestamptz: 1184,
} as const

/** int8 as a number: counts and ids here stay far below 2^53; beyond it we keep the exact string. */
export function parseInt8(value: string): number | string {
  const n = Number(value)
  return Number.isSafeInteger(n) ? n : value
}

/** A `timestamp` (stored as UTC by Assay) as ISO-8601 with a Z. */
export function parseTimestamp(value: string): string {
  if (value === 'infinity' || value === '-infinity') return value
  const iso = `${value.replace(' ', 'T')}Z`
  const date = new Date(iso)
  return Number.isNaN(date.getTime()) ? value : date.toISOString()
}

export function parseTimestamptz(value: string): string {
  if (value === 'infinity' || value === '-infinity') return value
  const date = new Date(value)
  return Number.isNaN(date.getTime()) ? value : date.toISOString()
}

const identity = (value: string): string => value

/** OID → parser for text-format values. */
export const parsers: Record<number, (value: string) => unknown> = {
  [OID.int8]: parseInt8,
  [OID.numeric]: identity,
  [OID.date]: identity,
  [OID.timestamp]: parseTimestamp,
  [OID.timestamptz]: parseTimestamptz,
}
