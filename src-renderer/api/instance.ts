import type { ApiClient } from './client'

let current: ApiClient | null = null

/** Installs the client the stores use (the app at start, tests with a fake). */
export function setApiClient(client: ApiClient | null): void {
  current = client
}

/** The installed client. Stores call this; components never do. */
export function api(): ApiClient {
  if (!current) throw new Error('no API client installed')
  return current
}
