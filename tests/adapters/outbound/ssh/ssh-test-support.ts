import net from 'node:net';
import { createSshDokkuAdapters } from '../../../../src/adapters/outbound/ssh/create-ssh-dokku-adapters.js';
import type { SshOptions } from '../../../../src/adapters/outbound/ssh/ssh-options.js';
import { Sanitizer } from '../../../../src/domain/sanitizer.js';
import type { Logger } from '../../../../src/ports/logger.port.js';
import type { SshdFixture } from '../../../support/sshd-fixture.js';

/** A logger that records, so tests can assert on warnings without printing. */
export function recordingLogger(): Logger & { entries: Array<{ level: string; msg: string; meta?: Record<string, unknown> }> } {
  const entries: Array<{ level: string; msg: string; meta?: Record<string, unknown> }> = [];
  const at = (level: string) => (msg: string, meta?: Record<string, unknown>) => void entries.push({ level, msg, meta });
  return { entries, debug: at('debug'), info: at('info'), warn: at('warn'), error: at('error') };
}

export function sshOptions(fixture: SshdFixture, overrides: Partial<SshOptions> = {}): SshOptions {
  return {
    host: fixture.host,
    port: fixture.port,
    user: fixture.user,
    keyPath: fixture.clientKeyPath,
    hostKeyFingerprint: fixture.hostKeyFingerprint,
    strictHostKey: true,
    maxChannels: 8,
    connectTimeoutMs: 5000,
    commandTimeoutMs: 15000,
    deployTimeoutMs: 60000,
    keepaliveIntervalMs: 5000,
    ...overrides,
  };
}

export function sshAdapters(fixture: SshdFixture, overrides: Partial<SshOptions> = {}, logger: Logger = recordingLogger()) {
  return createSshDokkuAdapters(sshOptions(fixture, overrides), { sanitizer: new Sanitizer(), logger });
}

/**
 * A TCP relay in front of the fixture's sshd, so a test can cut connections, take the "host" down and bring it back
 * on the same port, or black-hole traffic, without touching sshd itself.
 */
export class TcpRelay {
  private server?: net.Server;
  private readonly sockets = new Set<net.Socket>();
  private blackholed = false;
  private batchMs = 0;
  port = 0;

  constructor(private readonly targetPort: number) {}

  async start(port = this.port): Promise<void> {
    this.server = net.createServer((client) => {
      const upstream = net.connect({ host: '127.0.0.1', port: this.targetPort });
      for (const s of [client, upstream]) {
        this.sockets.add(s);
        s.on('error', () => undefined);
        s.on('close', () => this.sockets.delete(s));
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
    });
    await new Promise<void>((resolve, reject) => {
      this.server!.once('error', reject);
      this.server!.listen(port, '127.0.0.1', () => resolve());
    });
    this.port = (this.server.address() as net.AddressInfo).port;
  }

  /** Resets every relayed connection (like a network blip or an sshd restart). */
  dropAll(): void {
    for (const s of this.sockets) s.destroy();
  }

  /** Bytes stop flowing both ways, but no socket closes: a dead network path. */
  blackhole(on: boolean): void {
    this.blackholed = on;
  }

  /** Holds the server's bytes for `ms`, then delivers them in one write: many SSH packets in one TCP read. */
  batchServerOutput(ms: number): void {
    this.batchMs = ms;
  }

  /** The host goes away: no listener, no connections. */
  async stop(): Promise<void> {
    this.dropAll();
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
    this.server = undefined;
  }
}
