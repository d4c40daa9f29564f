import type { EventName, EventPayload, RequestIn, RequestName, RequestOut } from '../../src-shared/contract'
import type { LinkState, Transport } from './transport'

/** A failed request: the host's stable code and a message meant for the user. */
export class ApiError extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message)
    this.name = 'ApiError'
  }
}

type Args<K extends RequestName> =
  undefined extends RequestIn<K> ? [input?: RequestIn<K>] : [input: RequestIn<K>]

export interface ApiClient {
  readonly kind: Transport['kind']
  /** Sends a request; resolves with its value or rejects with an ApiError. */
  request<K extends RequestName>(name: K, ...args: Args<K>): Promise<RequestOut<K>>
  on<K extends EventName>(event: K, listener: (payload: EventPayload<K>) => void): () => void
  onLink(listener: (link: LinkState) => void): () => void
  /** An authenticated URL for a server path (browser twin downloads), or null over IPC. */
  downloadUrl(path: string): string | null
}

/** The typed client over either transport. */
export function createClient(transport: Transport): ApiClient {
  return {
    kind: transport.kind,
    async request(name, ...args) {
      const envelope = await transport.request(name, args[0])
      if (!envelope.ok) throw new ApiError(envelope.error.code, envelope.error.message)
      return envelope.value as never
    },
    on(event, listener) {
      return transport.subscribe((message) => {
        if (message.event === event) listener(message.payload as never)
      })
    },
    onLink: (listener) => transport.onLink(listener),
    downloadUrl: (path) => transport.downloadUrl?.(path) ?? null,
  }
}

/** The message to show for anything a request threw. */
export function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error)
}
