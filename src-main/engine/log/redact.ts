/**
 * Keeps secrets out of every log sink. Values under secret-looking keys are replaced; passwords embedded
 * in connection URLs are masked wherever they appear in text.
 */
const SECRET_KEY = /pass(word)?|secret|token|authorization|connection_?string|database_?url|dsn|api_?key/i
const URL_PASSWORD = /([a-z][a-z0-9+.-]*:\/\/[^:/\s@]*:)([^@\s]+)(@)/gi
/** `password=…`, `DB_PASSWORD: …`, `"password": "…"` and `?password=…` in free text (libpq strings, env dumps, JSON). */
const KEYED_PASSWORD = /(pass(?:word|wd)?|pwd)(["']?\s*[=:]\s*)("[^"]*"|'[^']*'|[^\s,;&"'}]+)/gi

export function redactText(text: string): string {
  return text.replace(URL_PASSWORD, '$1***$3').replace(KEYED_PASSWORD, '$1$2***')
}

export function redact(value: unknown, depth = 0): unknown {
  if (depth > 6) return '[too deep]'
  if (typeof value === 'string') return redactText(value)
  // JSON sinks cannot serialise BigInt, and an Error's fields are not enumerable.
  if (typeof value === 'bigint') return value.toString()
  if (value instanceof Error) {
    const code = (value as { code?: unknown }).code
    return redact({ name: value.name, message: value.message, ...(code ? { code } : {}) }, depth + 1)
  }
  if (Array.isArray(value)) return value.map((item) => redact(item, depth + 1))
  if (value && typeof value === 'object') {
    const out: Record<string, unknown> = {}
    for (const [key, item] of Object.entries(value)) {
      out[key] = SECRET_KEY.test(key) ? '[redacted]' : redact(item, depth + 1)
    }
    return out
  }
  return value
}
