import { beforeEach, describe, expect, it, vi } from 'vitest'
import { type FakeClient, fakeClient } from '../api/fake-client'
import { setApiClient } from '../api/instance'
import { openExport, receiveExportProgress, startExport, useExport } from './export-store'

vi.mock('../lib/download', () => ({ startDownload: vi.fn() }))
const { startDownload } = await import('../lib/download')

describe('export store', () => {
  let client: FakeClient
  beforeEach(() => {
    client = fakeClient()
    setApiClient(client)
    useExport.setState(useExport.getInitialState())
    client.answer('export:count', (input: unknown) => ({
      rows: Object.keys((input as { filter: object }).filter).length ? 3 : 40,
    }))
  })

  it('counts the filtered rows and everything, then downloads exactly the filter from the twin', async () => {
    await openExport('logs', { level: 'ERROR', search: '', runId: undefined }, 'logs')
    expect(useExport.getState()).toMatchObject({ scope: 'filtered', counts: { filtered: 3, all: 40 } })
    expect(useExport.getState().request?.filter).toEqual({ level: 'ERROR' })
    client.answer('export:start', {
      exportId: 'e1',
      filename: 'assay-logs-filtered.csv',
      destination: 'download',
      path: null,
      totalRows: 3,
    })
    useExport.setState({ bom: true })
    await startExport()
    expect(client.calls.at(-1)).toEqual({
      name: 'export:start',
      input: { table: 'logs', filter: { level: 'ERROR' }, bom: true },
    })
    expect(startDownload).toHaveBeenCalledWith(
      'http://127.0.0.1:1/export/e1?token=test',
      'assay-logs-filtered.csv',
    )
    receiveExportProgress({
      exportId: 'other',
      state: 'done',
      bytes: 1,
      rows: 1,
      totalRows: 1,
      message: null,
      path: null,
    })
    expect(useExport.getState().progress).toBeNull()
    receiveExportProgress({
      exportId: 'e1',
      state: 'running',
      bytes: 10,
      rows: 2,
      totalRows: 3,
      message: null,
      path: null,
    })
    expect(useExport.getState().progress).toMatchObject({ rows: 2 })
  })

  it('exports everything when asked, and does nothing when the desktop save dialog was closed', async () => {
    await openExport('checkpoints', {}, 'checkpoints')
    expect(useExport.getState().scope).toBe('all')
    client.answer('export:start', {
      exportId: null,
      filename: 'x.csv',
      destination: 'file',
      path: null,
      totalRows: 40,
    })
    await startExport()
    expect(useExport.getState()).toMatchObject({ started: null, error: null })
  })

  it('offers only everything when the export cannot apply the view’s filter, and says why', async () => {
    client.answer('export:count', (input: unknown) => {
      if (Object.keys((input as { filter: object }).filter).length)
        throw new Error('cannot be filtered by stage yet')
      return { rows: 40 }
    })
    await openExport('checkpoints', { stage: 'country_sales' }, 'checkpoints')
    expect(useExport.getState()).toMatchObject({
      scope: 'all',
      counts: { all: 40, filtered: null },
      filterError: 'cannot be filtered by stage yet',
      error: null,
    })
  })

  it('starts with the byte order mark on (Excel on Windows needs it)', () => {
    expect(useExport.getInitialState().bom).toBe(true)
  })
})
