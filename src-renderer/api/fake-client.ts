/** TEST SUPPORT — an in-memory ApiClient: canned answers per request, and events pushed by the test. */
import type { EventMessage, EventName, EventPayload, RequestName } from '../../src-shared/contract'
import { type ApiClient, ApiError } from './client'
import type { LinkState } from './transport'

type Answer = unknown | ((input: unknown) => unknown)

export interface FakeClient extends ApiClient {
  calls: { name: RequestName; input: unknown }[]
  answer(name: RequestName, answer: Answer): void
  fail(name: RequestName, code: string, message: string): void
  push<K extends EventName>(event: K, payload: EventPayload<K>): void
}

export function fakeClient(): FakeClient {
  const answers = new Map<RequestName, Answer>()
  const failures = new Map<RequestName, ApiError>()
  const listeners = new Set<(m: EventMessage) => void>()
  const client: FakeClient = {
    kind: 'websocket',
    calls: [],
    answer: (name, answer) => answers.set(name, answer),
    fail: (name, code, message) => failures.set(name, new ApiError(code, message)),
    push: (event, payload) => {
      for (const l of listeners) l({ event, payload } as EventMessage)
    },
    async request(name, ...args) {
      client.calls.push({ name, input: args[0] })
      const failure = failures.get(name)
      if (failure) throw failure
      const answer = answers.get(name)
      return (typeof answer === 'function' ? (answer as (i: unknown) => unknown)(args[0]) : answer) as never
    },
    on(event, listener) {
      const l = (m: EventMessage) => m.event === event && listener(m.payload as never)
      listeners.add(l)
      return () => listeners.delete(l)
    },
    downloadUrl: (path) => `http://127.0.0.1:1${path}?token=test`,
    onLink(listener: (link: LinkState) => void) {
      listener({ state: 'open', message: null })
      return () => undefined
    },
  }
  return client
}
