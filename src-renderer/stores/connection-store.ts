import { create } from 'zustand'
import type { DbConnection, DbInfo } from '../../src-shared/contract'
import { messageOf } from '../api/client'
import { api } from '../api/instance'
import type { LinkState } from '../api/transport'

interface ConnectionState {
  /** The renderer's link to the host (the WebSocket in the browser twin). */
  link: LinkState
  db: DbInfo | null
  /** The host's link to the database. */
  dbConnection: DbConnection
}

export const useConnection = create<ConnectionState>()(() => ({
  link: { state: 'connecting', message: null },
  db: null,
  dbConnection: { ok: true, message: null },
}))

export function setLink(link: LinkState): void {
  useConnection.setState({ link })
}

export function setDbConnection(dbConnection: DbConnection): void {
  useConnection.setState((s) => ({
    dbConnection,
    db: s.db ? { ...s.db, connected: dbConnection.ok, message: dbConnection.message } : s.db,
  }))
}

export async function loadDbInfo(): Promise<void> {
  try {
    const db = await api().request('db:info')
    useConnection.setState({ db, dbConnection: { ok: db.connected, message: db.message } })
  } catch (error) {
    useConnection.setState({ dbConnection: { ok: false, message: messageOf(error) } })
  }
}

/** One line for the banner, or null when everything is reachable. */
export function selectProblem(s: ConnectionState): string | null {
  if (s.link.state === 'closed') return s.link.message
  if (!s.dbConnection.ok) return s.dbConnection.message ?? 'the database is unreachable'
  return null
}
