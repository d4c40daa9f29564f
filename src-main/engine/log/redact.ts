/**
 * Keeps secrets out of every log sink. Values under secret-looking keys are replaced; passwords embedded
 * in connection URLs are masked wherever they appear in text.
 */
/** Words that make a key secret: `password`, `DB_PASSWORD`, `accessToken`, `api-key` (not `bypass` or `compass`). */
const SECRET_WORDS = new Set([
  'pass',
  'password',
  'passwd',
  'pwd',
  'secret',
  'token',
  'authorization',
  'dsn',
  'cookie',
])
/** Two-word secrets: `connection_string`, `databaseUrl`, `api_key`, `private_key`. */
const SECRET_PAIRS = new Set(['connection string', 'database url', 'api key', 'private key', 'sslkey'])

/** Whether a metadata key names a secret, judged word by word (snake, kebab and camel case). */
export function isSecretKey(key: string): boolean {
  const words = key
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .toLowerCase()
    .split(/[^a-z0-9]+/)
    .filter(Boolean)
  return words.some(
    (word, i) =>
      SECRET_WORDS.has(word) || SECRET_PAIRS.has(word) || SECRET_PAIRS.has(`${word} ${words[i + 1]}`),
  )
}

/** `scheme://user:password@host`: the password runs to the last `@` of the word, as URL parsers read it. */
const URL_PASSWORD = /([a-z][a-z0-9+.-]*:\/\/[^:/\s@]*:)(\S+)(@)/gi
/** `password=…`, `DB_PASSWORD: …`, `"token": "…"`, `?api_key=…` in free text (libpq strings, env dumps, JSON). */
const KEYED_SECRET =
  /(?<![a-z])(pass(?:word|wd)?|pwd|token|secret|api[_-]?key)(["']?\s*[=:]\s*)("[^"]*"|'[^']*'|[^\s,;&"'}]+)/gi
/** `Authorization: Bearer …` / `Basic …`, and a bare `Bearer …`. */
const AUTH_HEADER = /\b(Bearer|Basic)(\s+)[A-Za-z0-9._~+/=-]+/g

export function redactText(text: string): string {
  return text
    .replace(URL_PASSWORD, '$1***$3')
    .replace(KEYED_SECRET, '$1$2***')
    .replace(AUTH_HEADER, '$1$2***')
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
      out[key] = isSecretKey(key) ? '[redacted]' : redact(item, depth + 1)
    }
    return out
  }
  return value
}
