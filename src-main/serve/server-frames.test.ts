import { connect } from 'node:net'
import { describe, expect, it } from 'vitest'
import type { Host } from '../host/host.js'
import { waitFor } from '../test-support/wait.js'
import { openSocket, suiteServer } from './test-server.js'

/**
 * Regression (bad-input catalogue, "oversized strings"): a WebSocket frame over the 1 MB limit raised an
 * unhandled 'error' event on the server's socket and crashed `assay serve` for every client. The offending
 * socket must be closed with 1009 and the server keep answering the others.
 */
/** Only request/subscribe are reached by these frames; the rest of the host is not involved. */
const host = {
  request: async (name: unknown) => ({ ok: true, value: { echo: name } }),
  subscribe: () => () => undefined,
  close: async () => undefined,
} as unknown as Host

describe('server: malformed WebSocket frames', () => {
  const server = suiteServer(host)

  it('closes a socket that sends an oversized frame (1009) and keeps serving the others', async () => {
    const bystander = await openSocket(server)
    const offender = await openSocket(server)
    offender.on('error', () => undefined)
    const closed = new Promise<number>((resolve) => offender.once('close', (code) => resolve(code)))
    offender.send('x'.repeat(2 * 1024 * 1024))
    expect(await closed).toBe(1009)
    const answer = new Promise<string>((resolve) =>
      bystander.once('message', (data) => resolve(String(data))),
    )
    bystander.send(JSON.stringify({ id: 7, name: 'logs:facets' }))
    expect(JSON.parse(await answer)).toEqual({
      type: 'response',
      id: 7,
      envelope: { ok: true, value: { echo: 'logs:facets' } },
    })
    bystander.close()
  })

  it('closes a socket that sends a text frame that is not UTF-8 (1007) and keeps serving', async () => {
    // By hand: the ws client refuses to send invalid UTF-8 itself.
    const socket = connect({ host: '127.0.0.1', port: server.port })
    socket.on('error', () => undefined)
    await new Promise((resolve) => socket.once('connect', resolve))
    socket.write(
      `GET /ws?token=${server.token} HTTP/1.1\r\nHost: 127.0.0.1:${server.port}\r\nUpgrade: websocket\r\n` +
        'Connection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n',
    )
    let received = Buffer.alloc(0)
    socket.on('data', (chunk: Buffer) => {
      received = Buffer.concat([received, chunk])
    })
    // The whole upgrade response (it ends with a blank line), however the network splits it.
    await waitFor('the upgrade response', () => received.includes('\r\n\r\n'))
    expect(received.toString('latin1')).toMatch(/^HTTP\/1\.1 101/)
    received = Buffer.alloc(0)
    // FIN + text, masked, 3 bytes; a zero mask leaves the payload as is.
    socket.write(Buffer.from([0x81, 0x83, 0, 0, 0, 0, 0xff, 0xfe, 0xfd]))
    await new Promise((resolve) => socket.once('close', resolve))
    expect(received[0]).toBe(0x88)
    expect(received.readUInt16BE(2)).toBe(1007)
    const again = await openSocket(server)
    again.close()
  })
})
