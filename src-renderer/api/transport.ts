import type { Envelope, EventMessage } from '../../src-shared/contract'

/** How the renderer reaches the host: Electron IPC or the browser twin's WebSocket. */
export type LinkState = { state: 'connecting' | 'open' | 'closed'; message: string | null }

export interface Transport {
  readonly kind: 'ipc' | 'websocket'
  request(name: string, input: unknown): Promise<Envelope<unknown>>
  subscribe(listener: (message: EventMessage) => void): () => void
  /** The link's state; IPC is always open, a WebSocket can drop and come back. */
  onLink(listener: (link: LinkState) => void): () => void
  /** The browser twin's authenticated URL for a server path (downloads); IPC has none. */
  downloadUrl?(path: string): string
}
