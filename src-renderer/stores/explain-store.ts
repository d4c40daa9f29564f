/**
 * "Explain this number": the level the URL names (#/explain?level=…&of=…), its rows a keyset page at a time and
 * its reconciliation. Every level is a link, so Back and Forward walk the drill-down.
 */
import { create } from 'zustand'
import {
  type BreakdownRow,
  type BronzeLine,
  type ExplainCursor,
  type ExplainSummary,
  ExplainTarget,
  type SilverRow,
} from '../../src-shared/explain'
import { describeIssues } from '../../src-shared/issues'
import { messageOf } from '../api/client'
import { api } from '../api/instance'
import { createPagedStore } from './paged-store'
import { hrefOf } from './view-store'

export const EXPLAIN_PAGE = 100

/** A row with its level, so rows of the previous level never render in the next level's table. */
export type ExplainRecord =
  | { level: 'breakdown'; row: BreakdownRow }
  | { level: 'silver'; row: SilverRow }
  | { level: 'bronze'; row: BronzeLine }

const ORDER = ['level', 'of', 'month', 'product', 'country', 'by', 'day'] as const

/** A target as URL params, in a fixed order (equal targets, equal links). */
export function targetParams(t: ExplainTarget): Record<string, string> {
  const out: Record<string, string> = {}
  for (const key of ORDER) if (t[key] !== undefined) out[key] = String(t[key])
  return out
}

/** The link to a level. */
export function explainHref(t: ExplainTarget): string {
  return hrefOf({ view: 'explain', params: targetParams(t) })
}

/** The level a URL names, or why it names none. */
export function targetOf(params: Readonly<Record<string, string>>): {
  target: ExplainTarget | null
  error: string | null
} {
  if (Object.keys(params).length === 0) return { target: null, error: null }
  const parsed = ExplainTarget.safeParse(params)
  return parsed.success
    ? { target: parsed.data, error: null }
    : { target: null, error: `This link does not name a level to explain: ${describeIssues(parsed.error)}` }
}

/** Equal targets, equal keys (to tell a summary of this level from the previous one's). */
export const targetKey = (t: ExplainTarget | null) => (t ? JSON.stringify(targetParams(t)) : '')

const paged = createPagedStore<{ target: ExplainTarget | null }, ExplainRecord, ExplainCursor>(
  async ({ target }, after) => {
    if (!target) return { records: [], next: null }
    const page = await api().request('explain:page', {
      target,
      after: after ?? undefined,
      limit: EXPLAIN_PAGE,
    })
    const records = page.rows.map((row) => ({ level: page.level, row }) as ExplainRecord)
    return { records, next: page.next }
  },
  { filters: { target: null } },
)

export const useExplainRows = paged.use
export const loadMoreExplain = paged.loadMore

interface SummaryState {
  summary: ExplainSummary | null
  /** The target the summary is of. */
  of: string
  error: string | null
  /** Why the URL names no level. */
  linkError: string | null
}

export const useExplainSummary = create<SummaryState>()(() => ({
  summary: null,
  of: '',
  error: null,
  linkError: null,
}))

let generation = 0

async function loadSummary(target: ExplainTarget): Promise<void> {
  const mine = ++generation
  useExplainSummary.setState({ error: null })
  try {
    const summary = await api().request('explain:summary', target)
    if (mine === generation) useExplainSummary.setState({ summary, of: targetKey(target) })
  } catch (error) {
    if (mine === generation) useExplainSummary.setState({ error: messageOf(error), summary: null })
  }
}

/** Opens the level a route names (its first page and its reconciliation), unless it is open already. */
export function showExplain(
  params: Readonly<Record<string, string>>,
  options: { reload?: boolean } = {},
): void {
  const { target, error } = targetOf(params)
  useExplainSummary.setState({ linkError: error })
  if (
    !options.reload &&
    targetKey(target) === targetKey(paged.use.getState().filters.target) &&
    paged.use.getState().loaded
  )
    return
  if (target) void loadSummary(target)
  else useExplainSummary.setState({ summary: null, of: '' })
  void paged.setFilters({ target })
}
