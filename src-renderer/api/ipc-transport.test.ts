import { describe, expect, it } from 'vitest'
import type { AssayBridge } from '../../src-shared/bridge'
import { type Envelope, type EventMessage, requestNames } from '../../src-shared/contract'
import { ipcTransport } from './ipc-transport'

/**
 * A bridge shaped as the preload builds it (one named call per contract request, an event feed), answering as
 * main's handler would: the request's name and input echoed back in an envelope.
 */
function bridge() {
  const calls: { name: string; input: unknown }[] = []
  const listeners = new Set<(message: EventMessage) => void>()
  const call = Object.fromEntries(
    requestNames.map((name) => [
      name,
      async (input?: unknown): Promise<Envelope<unknown>> => {
        calls.push({ name, input })
        return { ok: true, value: { name, input } }
      },
    ]),
  ) as AssayBridge['call']
  const assay: AssayBridge = {
    call,
    onEvent(listener) {
      listeners.add(listener)
      return () => listeners.delete(listener)
    },
  }
  const emit = (message: EventMessage) => {
    for (const listener of listeners) listener(message)
  }
  return { assay, calls, emit, listeners }
}

describe('ipcTransport', () => {
  it('sends a contract request through its named call and answers with main envelope', async () => {
    const { assay, calls } = bridge()
    const transport = ipcTransport(assay)
    expect(transport.kind).toBe('ipc')
    const input = { limit: 5, level: 'ERROR' }
    expect(await transport.request('logs:page', input)).toEqual({
      ok: true,
      value: { name: 'logs:page', input },
    })
    expect(calls).toEqual([{ name: 'logs:page', input }])
  })

  it('answers unknown_request for names outside the contract, never reaching main', async () => {
    const { assay, calls } = bridge()
    const transport = ipcTransport(assay)
    for (const name of ['fs:read', 'toString', '__proto__', 'constructor']) {
      expect(await transport.request(name, {})).toEqual({
        ok: false,
        error: { code: 'unknown_request', message: `unknown request ${name}` },
      })
    }
    expect(calls).toEqual([])
  })

  it('delivers host events to subscribers until they unsubscribe', () => {
    const { assay, emit, listeners } = bridge()
    const transport = ipcTransport(assay)
    const seen: EventMessage[] = []
    const stop = transport.subscribe((message) => seen.push(message))
    const message = { event: 'months:changed', payload: [] } as EventMessage
    emit(message)
    stop()
    emit(message)
    expect(seen).toEqual([message])
    expect(listeners.size).toBe(0)
  })

  it('reports the link open at once: IPC has no connection to lose', () => {
    const links: unknown[] = []
    ipcTransport(bridge().assay).onLink((link) => links.push(link))
    expect(links).toEqual([{ state: 'open', message: null }])
  })
})
