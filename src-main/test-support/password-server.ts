/**
 * TEST SUPPORT — a TCP server that speaks just enough of the PostgreSQL protocol to ask for a password and
 * refuse it (SQLSTATE 28P01), as a server with password authentication does for a wrong password. The local
 * test server trusts every connection, so a wrong password cannot be tried against it.
 */
import { createServer, type Server, type Socket } from 'node:net'

function message(type: string, body: Buffer): Buffer {
  const head = Buffer.alloc(5)
  head.write(type, 0, 'latin1')
  head.writeInt32BE(body.length + 4, 1)
  return Buffer.concat([head, body])
}

function refusal(user: string): Buffer {
  const field = (code: string, value: string) => Buffer.from(`${code}${value}\0`, 'utf8')
  return message(
    'E',
    Buffer.concat([
      field('S', 'FATAL'),
      field('V', 'FATAL'),
      field('C', '28P01'),
      field('M', `password authentication failed for user "${user}"`),
      Buffer.from([0]),
    ]),
  )
}

export interface PasswordServer {
  port: number
  /** Passwords clients sent, in order. */
  passwords: string[]
  close(): Promise<void>
}

export async function startPasswordServer(): Promise<PasswordServer> {
  const passwords: string[] = []
  const sockets = new Set<Socket>()
  const server: Server = createServer((socket) => {
    sockets.add(socket)
    socket.on('close', () => sockets.delete(socket))
    socket.on('error', () => undefined)
    let user = '?'
    let started = false
    let buffer = Buffer.alloc(0)
    socket.on('data', (chunk) => {
      buffer = Buffer.concat([buffer, chunk])
      if (!started) {
        if (buffer.length < 8) return
        const length = buffer.readInt32BE(0)
        if (buffer.length < length) return
        const code = buffer.readInt32BE(4)
        if (code === 80877103) {
          // SSLRequest: not supported here.
          buffer = buffer.subarray(length)
          socket.write('N')
          return
        }
        const params = buffer.subarray(8, length).toString('utf8').split('\0')
        user = params[params.indexOf('user') + 1] ?? '?'
        buffer = buffer.subarray(length)
        started = true
        // AuthenticationCleartextPassword
        const body = Buffer.alloc(4)
        body.writeInt32BE(3)
        socket.write(message('R', body))
        return
      }
      if (buffer.length < 5 || buffer[0] !== 0x70) return
      const length = buffer.readInt32BE(1)
      if (buffer.length < length + 1) return
      passwords.push(buffer.subarray(5, length).toString('utf8').replace(/\0$/, ''))
      socket.end(refusal(user))
    })
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()))
  return {
    port: (server.address() as { port: number }).port,
    passwords,
    async close() {
      for (const s of sockets) s.destroy()
      await new Promise<void>((resolve) => server.close(() => resolve()))
    },
  }
}
