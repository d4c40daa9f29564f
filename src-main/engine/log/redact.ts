/**
 * Keeps secrets out of every log sink. Values under secret-looking keys are replaced; passwords embedded
 * in connection URLs are masked wherever they appear in text.
 */
const SECRET_KEY = /pass(word)?|secret|token|authorization|connection_?string|database_?url|dsn|api_?key/i
const URL_PASSWORD = /([a-z][a-z0-9+.-]*:\/\/[^:/\s@]+:)([^@\s]+)(@)/gi

export function redactText(text: string): string {
  return text.replace(URL_PASSWORD, '$1***$3')
}

export function redact(value: unknown, depth = 0): unknown {
  if (depth > 6) return '[too deep]'
  if (typeof value === 'string') return redactText(value)
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
