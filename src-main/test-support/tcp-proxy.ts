import { connect, createServer, type Server, type Socket } from 'node:net'

/** A TCP proxy on 127.0.0.1: `down()` cuts every connection and refuses new ones; `up()` listens again. */
export class TcpProxy {
  private server: Server | undefined
  private readonly sockets = new Set<Socket>()
  port = 0

  constructor(
    private readonly targetHost: string,
    private readonly targetPort: number,
  ) {}

  async start(): Promise<void> {
    await this.listen(0)
  }

  private listen(port: number): Promise<void> {
    const server = createServer((client) => {
      const upstream = connect(this.targetPort, this.targetHost)
      for (const s of [client, upstream]) {
        this.sockets.add(s)
        s.on('error', () => s.destroy())
        s.on('close', () => this.sockets.delete(s))
      }
      client.on('close', () => upstream.destroy())
      upstream.on('close', () => client.destroy())
      client.pipe(upstream)
      upstream.pipe(client)
    })
    this.server = server
    return new Promise((resolve, reject) => {
      server.once('error', reject)
      server.listen(port, '127.0.0.1', () => {
        const address = server.address()
        if (address && typeof address === 'object') this.port = address.port
        resolve()
      })
    })
  }

  /** The database "goes away": open connections are cut, new ones refused (ECONNREFUSED). */
  down(): void {
    this.server?.close()
    this.server = undefined
    for (const s of this.sockets) s.destroy()
    this.sockets.clear()
  }

  async up(): Promise<void> {
    if (!this.server) await this.listen(this.port)
  }

  async stop(): Promise<void> {
    this.down()
  }
}
