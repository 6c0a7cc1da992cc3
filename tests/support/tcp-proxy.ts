import net from 'node:net';

/**
 * A TCP proxy between a client under test and a real server (sshd), to play the network's and the host's faults without
 * touching the server itself:
 * - freeze(): nothing flows either way and nothing closes (a dead path, a frozen VM): the sockets stop being read, so
 *   the kernel buffers fill and the sender blocks, as over a real network; new connections are accepted and frozen too.
 *   thaw() lets the held bytes through, in order.
 * - kill(): every connection is destroyed and the port refuses new ones (the host went down); revive() listens again
 *   on the same port (the host is back).
 * - dropAll(): every connection reset, the port still open (a network blip, an sshd restart).
 * - blackhole(): bytes are thrown away while sockets stay open (a path that loses everything; the SSH stream is
 *   broken afterwards).
 * - batchServerOutput(ms): the server's bytes are held `ms` and delivered in one write (many packets in one TCP read).
 * `connections` counts what is open now; `accepted` every connection ever accepted.
 */
export class TcpProxy {
  private server?: net.Server;
  private readonly sockets = new Set<net.Socket>();
  private blackholed = false;
  private frozen = false;
  private batchMs = 0;
  accepted = 0;
  port = 0;

  constructor(
    private readonly targetPort: number,
    private readonly targetHost = '127.0.0.1',
  ) {}

  get connections(): number {
    return this.sockets.size / 2;
  }

  async start(port = this.port): Promise<void> {
    const server = net.createServer((client) => this.relay(client));
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, '127.0.0.1', () => resolve());
    });
    this.server = server;
    this.port = (server.address() as net.AddressInfo).port;
  }

  private relay(client: net.Socket): void {
    this.accepted++;
    const upstream = net.connect({ host: this.targetHost, port: this.targetPort });
    for (const s of [client, upstream]) {
      this.sockets.add(s);
      s.on('error', () => undefined);
      s.on('close', () => this.sockets.delete(s));
      if (this.frozen) s.pause();
    }
    client.on('data', (d) => !this.blackholed && upstream.write(d));
    let batch: Buffer[] = [];
    upstream.on('data', (d: Buffer) => {
      if (this.blackholed) return;
      if (this.batchMs === 0) return void client.write(d);
      if (batch.length === 0) setTimeout(() => client.write(Buffer.concat(batch.splice(0))), this.batchMs);
      batch.push(d);
    });
    client.on('close', () => upstream.destroy());
    upstream.on('close', () => client.destroy());
  }

  /** Stops forwarding both ways; every socket stays open. */
  freeze(): void {
    this.frozen = true;
    for (const s of this.sockets) s.pause();
  }

  /** Forwards again what was held, and what comes next. */
  thaw(): void {
    this.frozen = false;
    for (const s of this.sockets) s.resume();
  }

  /** The host goes down: every connection destroyed, new ones refused until revive(). */
  async kill(): Promise<void> {
    await this.stop();
  }

  /** The host is back, on the same port. */
  async revive(): Promise<void> {
    this.frozen = false;
    if (!this.server) await this.start(this.port);
  }

  /** Resets every relayed connection (like a network blip or an sshd restart). */
  dropAll(): void {
    for (const s of this.sockets) s.destroy();
  }

  /** Bytes stop flowing both ways and are lost, but no socket closes. */
  blackhole(on: boolean): void {
    this.blackholed = on;
  }

  /** Holds the server's bytes for `ms`, then delivers them in one write: many SSH packets in one TCP read. */
  batchServerOutput(ms: number): void {
    this.batchMs = ms;
  }

  /** No listener, no connections. */
  async stop(): Promise<void> {
    const server = this.server;
    this.server = undefined;
    this.dropAll();
    await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
  }
}
