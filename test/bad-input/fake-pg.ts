import net from 'node:net'

/**
 * A stand-in for a PostgreSQL server that asks for a password and rejects it, exactly as a server with
 * password authentication does (ErrorResponse, SQLSTATE 28P01). The shared test server trusts loopback, so a
 * wrong password can only be seen this way.
 */
export async function passwordRejectingServer(): Promise<{ port: number; close: () => Promise<void> }> {
  const sockets = new Set<net.Socket>()
  const server = net.createServer((socket) => {
    sockets.add(socket)
    socket.on('close', () => sockets.delete(socket))
    socket.on('error', () => undefined)
    let stage: 'startup' | 'password' = 'startup'
    socket.on('data', (data) => {
      if (stage === 'startup') {
        // SSLRequest: say no, and wait for the real startup message.
        if (data.length === 8 && data.readInt32BE(4) === 80877103) {
          socket.write('N')
          return
        }
        stage = 'password'
        const auth = Buffer.alloc(9)
        auth.write('R', 0)
        auth.writeInt32BE(8, 1)
        auth.writeInt32BE(3, 5) // AuthenticationCleartextPassword
        socket.write(auth)
        return
      }
      const fields = [
        'SFATAL',
        'VFATAL',
        'C28P01',
        'Mpassword authentication failed for user "postgres"',
        'Fauth.c',
        'L326',
        'Rauth_failed',
      ]
      const body = Buffer.concat([...fields.map((f) => Buffer.from(`${f}\0`)), Buffer.from([0])])
      const head = Buffer.alloc(5)
      head.write('E', 0)
      head.writeInt32BE(body.length + 4, 1)
      socket.end(Buffer.concat([head, body]))
    })
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  return {
    port: (server.address() as net.AddressInfo).port,
    close: async () => {
      for (const socket of sockets) socket.destroy()
      await new Promise<void>((resolve) => server.close(() => resolve()))
    },
  }
}
