import WebSocket from 'ws'
import type { RequestName } from '../../src-shared/contract'
import type { App } from './app'

/**
 * Talks to an app's host the way the page does (WebSocket + token), for what a test needs outside the UI:
 * injecting faults mid-test (only when the app runs with `allowFaults`).
 */
export async function hostRequest(app: App, name: RequestName, input?: unknown): Promise<unknown> {
  const ws = new WebSocket(
    `ws://127.0.0.1:${app.port}/ws?token=${new URL(app.url).searchParams.get('token')}`,
  )
  await new Promise((resolve, reject) => {
    ws.once('open', resolve)
    ws.once('error', reject)
  })
  try {
    return await new Promise((resolve, reject) => {
      ws.on('message', (data) => {
        const message = JSON.parse(String(data)) as {
          type: string
          id: number
          envelope?: { ok: boolean; value?: unknown; error?: { message: string } }
        }
        if (message.type !== 'response' || message.id !== 1) return
        if (message.envelope?.ok) resolve(message.envelope.value)
        else reject(new Error(`${name}: ${message.envelope?.error?.message}`))
      })
      ws.send(JSON.stringify({ id: 1, name, input }))
    })
  } finally {
    ws.close()
  }
}

/** Sets the host's injected faults (e.g. `stage:country_sales:permanent`); '' clears them. */
export function setFaults(app: App, spec: string): Promise<unknown> {
  return hostRequest(app, 'faults:set', { spec })
}
