/** Test fixtures of the logs store: records, and a fresh store behind a fake client. */
import type { StoredLogRecord } from '../../src-shared/contract'
import { type FakeClient, fakeClient } from '../api/fake-client'
import { setApiClient } from '../api/instance'
import { useLogs } from './logs-store'

export function logRecord(id: number, patch: Partial<StoredLogRecord> = {}): StoredLogRecord {
  return {
    id,
    timestamp: '2024-05-01T10:00:00.000Z',
    level: 'INFO',
    message: `record ${id}`,
    logger: 'assay',
    pipeline_name: 'idempotent_gold_pipeline',
    run_id: 'r1',
    module: null,
    function: null,
    line: null,
    metadata: {},
    ...patch,
  }
}

/** A fake client as the api, and the logs store as it starts. */
export function freshLogs(): FakeClient {
  const client = fakeClient()
  setApiClient(client)
  useLogs.setState(useLogs.getInitialState())
  return client
}

/** The page requests alone (each first page is asked for beside a count). */
export function pageCalls(client: FakeClient) {
  return client.calls.filter((c) => c.name === 'logs:page')
}
