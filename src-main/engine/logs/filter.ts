import { INSTANT_HINT, isInstant } from '../../../src-shared/instant.js'
import { LogLevel } from '../../../src-shared/pipeline.js'
import { UsageError } from '../errors.js'

/** What the Logs view (and its export) can filter ops.pipeline_logs by. Every field is optional. */
export interface LogFilter {
  level?: LogLevel
  pipeline?: string
  runId?: string
  /**
   * Case-insensitive. The message contains it as literal text (`%` and `_` are plain characters); or a metadata
   * value contains its words, consecutively, the last as a prefix ("slow di" finds "slow disk"); a search holding
   * a symbol such as an emoji matches metadata whose JSON text contains it literally instead.
   */
  search?: string
  /** Records at or after this instant (ISO-8601; without a zone it is read as UTC). */
  from?: string
  /** Records before this instant (exclusive). */
  to?: string
}

/** The most characters a search may have: longer texts are not searches, and cost trigram work for nothing. */
export const MAX_SEARCH = 200

/**
 * SQL for the tsquery that finds a search's words, given the placeholder of the search text. PostgreSQL's own
 * parser splits it (as it split the indexed values: "2011-11" is '2011' <-> '-11'), phraseto_tsquery joins the
 * words with <->, and `:*` makes the last one a prefix; appending to tsquery's canonical text keeps every
 * lexeme quoted, so the user's text is never tsquery syntax. Without words (say "%"), the query is NULL and
 * matches nothing, where `'' || ':*'` would be a syntax error.
 */
function wordsQuery(placeholder: string): string {
  return `(nullif(phraseto_tsquery('simple', ${placeholder})::text, '') || ':*')::tsquery`
}

/**
 * A search text as an ILIKE pattern that matches it literally anywhere: `\`, `%` and `_` are escaped (the
 * statement says `ESCAPE '\'`), and the text travels as a parameter, never inside the SQL.
 */
export function containsPattern(text: string): string {
  return `%${text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`
}

function checkInstant(name: string, value: string | undefined): void {
  if (value === undefined) return
  if (!isInstant(value)) throw new UsageError(`${name} must be ${INSTANT_HINT} (got "${value}")`)
}

/** Checks a filter from any caller; bad values are UsageErrors with a specific message. */
export function checkLogFilter(filter: LogFilter): void {
  if (filter.level !== undefined && !LogLevel.safeParse(filter.level).success)
    throw new UsageError(`level must be one of ${LogLevel.options.join(', ')} (got "${filter.level}")`)
  if (filter.search !== undefined && filter.search.length > MAX_SEARCH)
    throw new UsageError(`search must be at most ${MAX_SEARCH} characters`)
  // PostgreSQL text cannot hold NUL: refused here rather than failing as a database error.
  if (filter.search?.includes('\u0000')) throw new UsageError('search must not contain a NUL character')
  checkInstant('from', filter.from)
  checkInstant('to', filter.to)
}

/** A filter condition on one column; `bind` turns a value into SQL that refers to it without containing it. */
export type Bind = (value: string) => string

/** Positional parameters ($1, $2, …) for a statement built as text: `bind` appends a value and names it. */
export function positional(): { values: unknown[]; bind: (value: unknown) => string } {
  const values: unknown[] = []
  const bind = (value: unknown) => {
    values.push(value)
    return `$${values.length}`
  }
  return { values, bind }
}

/** The columns a table offers to each kind of filter; a table without one cannot be filtered that way. */
export interface FilterColumns {
  level?: string
  pipeline?: string
  runId?: string
  status?: string
  /** The timestamp `from`/`to` apply to. */
  time?: string
  /**
   * What `search` looks through, each indexed exactly as written here to be fast: text columns that contain it
   * as a literal substring (trigram indexes), and a `tsvector` expression that contains its words; `symbols`, text
   * that contains it literally when the search holds a symbol (an emoji) the words drop.
   */
  search?: { substring: readonly string[]; words?: string; symbols?: string }
}

/**
 * Non-ASCII characters that are neither letters nor digits: emoji, arrows, ©… PostgreSQL's word parser drops
 * them (on PostgreSQL with a UTF-8 locale and on PGlite alike), so a words query cannot find them.
 */
const SYMBOL = /(?![\p{L}\p{N}\p{M}])\P{ASCII}/u

/** True when a search holds a character that only a literal substring match can find (see {@link SYMBOL}). */
export function hasSymbols(search: string): boolean {
  return SYMBOL.test(search)
}

/**
 * The WHERE conditions of a filter, one per given field, so each can use its own index (no catch-all
 * `$1 IS NULL OR …`). Values only ever appear through `bind`. Throws a UsageError for a filter the table lacks.
 */
export function filterConditions(
  filter: LogFilter & { status?: string },
  columns: FilterColumns,
  bind: Bind,
  table = 'this table',
): string[] {
  const where: string[] = []
  const column = (name: keyof FilterColumns): string => {
    const c = columns[name]
    if (typeof c !== 'string') throw new UsageError(`${table} cannot be filtered by ${name}`)
    return c
  }
  if (filter.level !== undefined) where.push(`${column('level')} = ${bind(filter.level)}`)
  if (filter.pipeline !== undefined) where.push(`${column('pipeline')} = ${bind(filter.pipeline)}`)
  if (filter.runId !== undefined) where.push(`${column('runId')} = ${bind(filter.runId)}`)
  if (filter.status !== undefined) where.push(`${column('status')} = ${bind(filter.status)}`)
  if (filter.from !== undefined)
    where.push(`${column('time')} >= (${bind(filter.from)}::timestamptz AT TIME ZONE 'UTC')`)
  if (filter.to !== undefined)
    where.push(`${column('time')} < (${bind(filter.to)}::timestamptz AT TIME ZONE 'UTC')`)
  if (filter.search !== undefined && filter.search !== '') {
    if (!columns.search) throw new UsageError(`${table} cannot be searched`)
    const { substring, words } = columns.search
    const pattern = bind(containsPattern(filter.search))
    const any = substring.map((c) => `${c} ILIKE ${pattern} ESCAPE '\\'`)
    const { symbols } = columns.search
    // A search holding a symbol is matched literally there (the words would ignore the symbol): unindexed, but
    // pg_trgm skips symbols too, so the message's trigram index could not narrow such a search anyway, and the
    // page's walk finds recent matches first. Every other search keeps the indexed words.
    if (symbols && hasSymbols(filter.search)) any.push(`${symbols} ILIKE ${pattern} ESCAPE '\\'`)
    else if (words) any.push(`${words} @@ ${wordsQuery(bind(filter.search))}`)
    // An OR of indexed conditions, which a BitmapOr of their indexes answers (logs/page.ts says when to).
    where.push(`(${any.join(' OR ')})`)
  }
  return where
}

/**
 * The log table's filter columns. The search's expressions are written exactly as their indexes: the trigram
 * index on message (sql/0005) and the word index on metadata (sql/0006).
 */
export const LOG_COLUMNS: FilterColumns = {
  level: 'level',
  pipeline: 'pipeline_name',
  runId: 'run_id',
  time: 'timestamp',
  search: {
    substring: ['message'],
    words: `jsonb_to_tsvector('simple', metadata, '["string", "numeric"]')`,
    symbols: 'metadata::text',
  },
}
