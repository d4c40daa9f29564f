import type { Envelope, EventMessage } from '../../src-shared/contract'
import { WIRE_PATH, type WireMessage } from '../../src-shared/wire'
import type { LinkState, Transport } from './transport'

const LOST =
  'lost the connection to the Assay server — is `assay serve` still running? Reconnecting… (if you restarted it, open the new URL it printed: the token changes on every launch)'

/**
 * The browser twin's transport: one WebSocket to the server that served the page, authenticated by the
 * per-launch token. It reconnects with backoff; requests made while it is down wait for the link, and requests
 * in flight when it drops fail with a message.
 */
export function wsTransport(token: string, location: { host: string; protocol: string }): Transport {
  const url = `${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}${WIRE_PATH}?token=${encodeURIComponent(token)}`
  const listeners = new Set<(message: EventMessage) => void>()
  const linkListeners = new Set<(link: LinkState) => void>()
  const inFlight = new Map<number, (envelope: Envelope<unknown>) => void>()
  const queued: string[] = []
  let link: LinkState = { state: 'connecting', message: null }
  let socket: WebSocket | undefined
  let nextId = 1
  let delay = 250

  const setLink = (next: LinkState) => {
    link = next
    for (const listener of linkListeners) listener(link)
  }

  const connect = () => {
    const ws = new WebSocket(url)
    socket = ws
    ws.onopen = () => {
      delay = 250
      setLink({ state: 'open', message: null })
      for (const frame of queued.splice(0)) ws.send(frame)
    }
    ws.onmessage = (event) => {
      const message = JSON.parse(String(event.data)) as WireMessage
      if (message.type === 'response') {
        if (message.id === null) return
        inFlight.get(message.id)?.(message.envelope)
        inFlight.delete(message.id)
      } else {
        const { type: _, ...rest } = message
        for (const listener of listeners) listener(rest as EventMessage)
      }
    }
    ws.onclose = () => {
      for (const resolve of inFlight.values())
        resolve({ ok: false, error: { code: 'disconnected', message: LOST } })
      inFlight.clear()
      setLink({ state: 'closed', message: LOST })
      setTimeout(connect, delay)
      delay = Math.min(delay * 2, 5000)
    }
  }
  connect()

  return {
    kind: 'websocket',
    request(name, input) {
      const id = nextId++
      const frame = JSON.stringify({ id, name, input })
      return new Promise((resolve) => {
        inFlight.set(id, resolve)
        if (socket?.readyState === WebSocket.OPEN) socket.send(frame)
        else queued.push(frame)
      })
    },
    subscribe(listener) {
      listeners.add(listener)
      return () => listeners.delete(listener)
    },
    onLink(listener) {
      linkListeners.add(listener)
      listener(link)
      return () => linkListeners.delete(listener)
    },
    downloadUrl: (path) => `${location.protocol}//${location.host}${path}?token=${encodeURIComponent(token)}`,
  }
}
