import type { EventMessage, EventName, EventPayload } from '../../src-shared/contract.js'

export type EventListener = (message: EventMessage) => void

/** The host's outbound events: every shell (IPC, WebSocket, worker port) subscribes the same way. */
export class EventBus {
  private readonly listeners = new Set<EventListener>()

  emit<K extends EventName>(event: K, payload: EventPayload<K>): void {
    const message = { event, payload } as EventMessage
    for (const listener of this.listeners) {
      try {
        listener(message)
      } catch {
        // One broken subscriber must not stop the others.
      }
    }
  }

  subscribe(listener: EventListener): () => void {
    this.listeners.add(listener)
    return () => this.listeners.delete(listener)
  }
}

/**
 * Collects items and hands them over at most once per `intervalMs` (the first item starts the clock), so a
 * fast run sends ~10 batches a second and nothing is dropped: the last item always goes out.
 */
export class Batcher<T> {
  private items: T[] = []
  private timer: ReturnType<typeof setTimeout> | undefined

  constructor(
    private readonly intervalMs: number,
    private readonly send: (items: T[]) => void,
  ) {}

  push(item: T): void {
    this.items.push(item)
    this.timer ??= setTimeout(() => this.flush(), this.intervalMs)
  }

  /** Sends what is waiting now (e.g. before a run's final status, so the order holds). */
  flush(): void {
    if (this.timer) clearTimeout(this.timer)
    this.timer = undefined
    if (this.items.length === 0) return
    const items = this.items
    this.items = []
    this.send(items)
  }
}
