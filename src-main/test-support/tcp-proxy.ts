import net from 'node:net'

/**
 * How the proxy misbehaves during an outage:
 * - refuse: the port stops listening (ECONNREFUSED) and open connections are reset — a server restart.
 * - reset: connections are accepted and reset at once; open ones are reset — a crashing server.
 * - stall: nothing is forwarded, in either direction, on open or new connections; data is held and
 *   delivered when the outage ends — a network partition that heals.
 * - blackhole: open connections go silent for ever (the server side is closed, so PostgreSQL rolls back
 *   and releases their locks, but the client is never told); new connections are held silent until the
 *   outage ends — a partition in which the server gave up on the client.
 */
export type OutageKind = 'refuse' | 'reset' | 'stall' | 'blackhole'
export const OUTAGE_KINDS: readonly OutageKind[] = ['refuse', 'reset', 'stall', 'blackhole']

type Mode = 'pass' | OutageKind

interface Pair {
  client: net.Socket
  upstream: net.Socket | undefined
  /** Chunks held while stalled, per direction. */
  toUpstream: Buffer[]
  toClient: Buffer[]
  frozen: boolean
  /** Cut from the server but kept open and silent towards the client. */
  silenced: boolean
}

/**
 * A loopback TCP proxy in front of PostgreSQL that can refuse, reset, stall or blackhole connections on
 * demand, so a "server restart" can be simulated without touching the shared server.
 */
export class TcpProxy {
  private readonly pairs = new Set<Pair>()
  private server: net.Server | undefined
  private mode: Mode = 'pass'
  private closed = false
  /** Connections accepted since start (held ones included). */
  accepted = 0
  port = 0

  private constructor(private readonly target: { host: string; port: number }) {}

  /** Starts listening on an ephemeral loopback port. */
  static async start(target: { host: string; port: number }): Promise<TcpProxy> {
    const proxy = new TcpProxy(target)
    await proxy.listen(0)
    return proxy
  }

  /** Open client connections (forwarding or held). */
  get connections(): number {
    return this.pairs.size
  }

  get current(): Mode {
    return this.mode
  }

  private listen(port: number): Promise<void> {
    const server = net.createServer((socket) => this.accept(socket))
    server.on('error', () => undefined)
    this.server = server
    return new Promise((resolve, reject) => {
      server.once('error', reject)
      server.listen({ port, host: '127.0.0.1', exclusive: true }, () => {
        server.off('error', reject)
        this.port = (server.address() as net.AddressInfo).port
        resolve()
      })
    })
  }

  private stopListening(): void {
    this.server?.close()
    this.server = undefined
  }

  private accept(client: net.Socket): void {
    this.accepted++
    client.setNoDelay(true)
    client.on('error', () => undefined)
    if (this.closed || this.mode === 'reset' || this.mode === 'refuse') {
      client.resetAndDestroy()
      return
    }
    const pair: Pair = {
      client,
      upstream: undefined,
      toUpstream: [],
      toClient: [],
      frozen: false,
      silenced: false,
    }
    this.pairs.add(pair)
    client.on('close', () => {
      pair.upstream?.destroy()
      this.pairs.delete(pair)
    })
    client.on('data', (chunk: Buffer) => {
      if (pair.silenced) return
      if (pair.frozen || !pair.upstream) pair.toUpstream.push(chunk)
      else pair.upstream.write(chunk)
    })
    if (this.mode === 'stall') {
      pair.frozen = true
      return
    }
    if (this.mode === 'blackhole') {
      pair.frozen = true
      return
    }
    this.connectUpstream(pair)
  }

  private connectUpstream(pair: Pair): void {
    const upstream = net.connect({ host: this.target.host, port: this.target.port })
    upstream.setNoDelay(true)
    pair.upstream = upstream
    upstream.on('error', () => undefined)
    upstream.on('connect', () => this.flush(pair))
    upstream.on('data', (chunk: Buffer) => {
      if (pair.silenced) return
      if (pair.frozen) pair.toClient.push(chunk)
      else pair.client.write(chunk)
    })
    upstream.on('close', () => {
      if (!pair.silenced) pair.client.destroy()
    })
  }

  private flush(pair: Pair): void {
    if (pair.frozen || pair.silenced) return
    if (pair.upstream && !pair.upstream.connecting) {
      for (const chunk of pair.toUpstream.splice(0)) pair.upstream.write(chunk)
    }
    for (const chunk of pair.toClient.splice(0)) pair.client.write(chunk)
  }

  /** Resets every open connection now (the client sees ECONNRESET / "Connection terminated"). */
  dropAll(): number {
    const count = this.pairs.size
    for (const pair of [...this.pairs]) {
      pair.upstream?.destroy()
      pair.client.resetAndDestroy()
      this.pairs.delete(pair)
    }
    return count
  }

  /** Starts an outage of the given kind; it lasts until {@link end}. */
  async begin(kind: OutageKind): Promise<void> {
    if (this.mode !== 'pass') await this.end()
    this.mode = kind
    if (kind === 'refuse') {
      this.stopListening()
      this.dropAll()
    } else if (kind === 'reset') {
      this.dropAll()
    } else if (kind === 'stall') {
      for (const pair of this.pairs) pair.frozen = true
    } else {
      for (const pair of this.pairs) {
        if (pair.upstream) {
          // The server sees its client vanish; the client is left waiting on a socket that never answers.
          pair.silenced = true
          pair.upstream.destroy()
        } else pair.frozen = true
      }
    }
  }

  /** Ends the outage: listens again, and forwards what was held (blackholed connections stay silent). */
  async end(): Promise<void> {
    const was = this.mode
    this.mode = 'pass'
    if (this.closed) return
    if (was === 'refuse') await this.listen(this.port)
    for (const pair of this.pairs) {
      if (pair.silenced || !pair.frozen) continue
      pair.frozen = false
      if (pair.upstream) this.flush(pair)
      else this.connectUpstream(pair)
    }
  }

  /** An outage of `ms` milliseconds; resolves when it is over. */
  async outage(kind: OutageKind, ms: number): Promise<void> {
    await this.begin(kind)
    await new Promise((resolve) => setTimeout(resolve, ms))
    await this.end()
  }

  /** Stops listening and resets every connection, silenced ones included. */
  async close(): Promise<void> {
    this.closed = true
    this.stopListening()
    this.dropAll()
  }
}
