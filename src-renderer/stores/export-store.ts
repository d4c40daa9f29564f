import { create } from 'zustand'
import {
  EXPORT_PATH,
  type ExportFilter,
  type ExportProgress,
  type ExportStarted,
  type ExportTable,
} from '../../src-shared/export'
import { messageOf } from '../api/client'
import { api } from '../api/instance'
import { startDownload } from '../lib/download'

export type ExportScope = 'filtered' | 'all'

interface ExportState {
  /** The open export dialog: which table, the view's current filter, and what to call it. */
  request: { table: ExportTable; filter: ExportFilter; what: string } | null
  scope: ExportScope
  bom: boolean
  counts: { filtered: number | null; all: number | null }
  started: ExportStarted | null
  progress: ExportProgress | null
  starting: boolean
  error: string | null
  /** Why the current filter cannot be exported as is. */
  filterError: string | null
}

const initial = {
  request: null,
  scope: 'filtered' as ExportScope,
  // On by default: Excel on Windows needs it to read UTF-8 (accents, symbols).
  bom: true,
  counts: { filtered: null, all: null },
  started: null,
  progress: null,
  starting: false,
  error: null,
  filterError: null,
}

export const useExport = create<ExportState>()(() => ({ ...initial }))

function clean(filter: ExportFilter): ExportFilter {
  return Object.fromEntries(
    Object.entries(filter).filter(([, v]) => v !== undefined && v !== ''),
  ) as ExportFilter
}

export function isExporting(s: Pick<ExportState, 'progress' | 'started'>): boolean {
  return s.started !== null && (s.progress === null || ['waiting', 'running'].includes(s.progress.state))
}

/** Opens the export dialog for a view: its table and current filter; counts both choices. */
export async function openExport(table: ExportTable, filter: ExportFilter, what: string): Promise<void> {
  const f = clean(filter)
  const filtered = Object.keys(f).length > 0
  useExport.setState({
    ...initial,
    bom: useExport.getState().bom,
    request: { table, filter: f, what },
    scope: filtered ? 'filtered' : 'all',
  })
  if (table === 'explain') {
    // One level of "explain this number": the level is the export, there is no "everything" to offer.
    try {
      const rows = (await api().request('export:count', { table, filter: f })).rows
      useExport.setState({ counts: { filtered: rows, all: rows } })
    } catch (error) {
      useExport.setState({ error: messageOf(error) })
    }
    return
  }
  try {
    const all = (await api().request('export:count', { table, filter: {} })).rows
    useExport.setState((s) => ({ counts: { ...s.counts, all } }))
  } catch (error) {
    useExport.setState({ error: messageOf(error) })
    return
  }
  if (!filtered) {
    useExport.setState((s) => ({ counts: { ...s.counts, filtered: s.counts.all } }))
    return
  }
  try {
    const rows = (await api().request('export:count', { table, filter: f })).rows
    useExport.setState((s) => ({ counts: { ...s.counts, filtered: rows } }))
  } catch (error) {
    // A filter the export cannot apply: say so, and offer everything instead (never a wider export silently).
    useExport.setState({ filterError: messageOf(error), scope: 'all' })
  }
}

export function setExportOptions(patch: Partial<Pick<ExportState, 'scope' | 'bom'>>): void {
  useExport.setState(patch)
}

export async function startExport(): Promise<void> {
  const { request, scope, bom } = useExport.getState()
  if (!request) return
  useExport.setState({ starting: true, error: null, progress: null, started: null })
  try {
    const filter = scope === 'all' ? {} : request.filter
    const started = await api().request('export:start', { table: request.table, filter, bom })
    if (started.exportId === null) return // the save dialog was closed: nothing to do
    useExport.setState({ started, progress: early.get(started.exportId) ?? null })
    early.clear()
    if (started.destination === 'download') {
      const url = api().downloadUrl(`${EXPORT_PATH}${started.exportId}`)
      if (!url) throw new Error('this console cannot download files')
      startDownload(url, started.filename)
    }
  } catch (error) {
    useExport.setState({ error: messageOf(error) })
  } finally {
    useExport.setState({ starting: false })
  }
}

export async function cancelExport(): Promise<void> {
  const id = useExport.getState().started?.exportId
  if (!id) return
  try {
    await api().request('export:cancel', { exportId: id })
  } catch (error) {
    useExport.setState({ error: messageOf(error) })
  }
}

export function closeExport(): void {
  if (isExporting(useExport.getState())) void cancelExport()
  useExport.setState({ ...initial, bom: useExport.getState().bom })
}

/** Progress can overtake the answer to export:start (a desktop export starts writing at once). */
const early = new Map<string, ExportProgress>()

export function receiveExportProgress(progress: ExportProgress): void {
  if (useExport.getState().started?.exportId === progress.exportId) useExport.setState({ progress })
  else if (useExport.getState().starting) {
    early.set(progress.exportId, progress)
    if (early.size > 20) early.delete(early.keys().next().value!)
  }
}
