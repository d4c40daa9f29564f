/** What the Electron preload exposes on `window.assay`: one call per contract request, and the event feed. */
import type { Envelope, EventMessage, RequestName } from './contract.js'

export interface AssayBridge {
  /** Named calls for the contract's requests only; main validates the input again. */
  call: Record<RequestName, (input?: unknown) => Promise<Envelope<unknown>>>
  /** Subscribes to the host's events; returns the unsubscribe function. */
  onEvent(listener: (message: EventMessage) => void): () => void
}

/** IPC channel names (main and preload). */
export const IPC = { request: 'assay:request', event: 'assay:event' } as const
