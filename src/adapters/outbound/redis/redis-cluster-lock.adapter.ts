import { randomBytes } from 'node:crypto';
import type { BusyLock, ClusterLock, HeldLock } from '../../../ports/cluster-lock.port.js';
import type { RedisConnection } from './redis-connection.js';

/**
 * Locks in Redis: key `<prefix>lock:<name>` holds "<nonce> <holder>" with an expiry of store.lease_ttl_ms, renewed every
 * third of it while held. Renewal and release compare the nonce first (a Lua script), so a holder whose lease ran out
 * can neither extend nor delete the lock someone else took since. A holder that dies frees the lock within the lease.
 */
export class RedisClusterLock implements ClusterLock {
  private readonly held = new Set<{ stop(): void }>();

  constructor(
    private readonly redis: RedisConnection,
    private readonly leaseMs: number,
  ) {}

  async acquire(name: string, holder: string): Promise<HeldLock | BusyLock> {
    const key = this.redis.key('lock', name);
    const value = `${randomBytes(16).toString('hex')} ${holder}`;
    const [taken, current] = await this.redis.run((client) => client.lockAcquire(key, value, this.leaseMs));
    if (Number(taken) !== 1) return { acquired: false, holder: holderOf(current) ?? '(unknown)' };
    return this.hold(key, value);
  }

  async holder(name: string): Promise<string | null> {
    return holderOf(await this.redis.run((client) => client.get(this.redis.key('lock', name))));
  }

  /** Stops renewing every lock this instance holds, without releasing them (shutdown; a dead instance, in tests). */
  stop(): void {
    for (const lock of [...this.held]) lock.stop();
  }

  private hold(key: string, value: string): HeldLock {
    const listeners: Array<(reason: string) => void> = [];
    let lostBecause: string | undefined;
    let renewedAt = Date.now();
    let done = false;
    const entry = { stop: () => { done = true; clearInterval(timer); this.held.delete(entry); } };
    const lose = (reason: string) => {
      if (done) return;
      entry.stop();
      lostBecause = reason;
      for (const listener of listeners.splice(0)) listener(reason);
    };
    const timer = setInterval(async () => {
      const startedAt = Date.now();
      try {
        const renewed = await this.redis.run((client) => client.lockRenew(key, value, this.leaseMs));
        if (done) return;
        if (renewed === 1) renewedAt = startedAt;
        else lose('the lock expired and was taken over or removed (was the state store unreachable, or restarted?)');
      } catch (error) {
        if (Date.now() - renewedAt >= this.leaseMs) lose(`its lease ran out while the state store was unreachable: ${String(error)}`);
      }
    }, Math.max(10, Math.floor(this.leaseMs / 3)));
    timer.unref();
    this.held.add(entry);
    return {
      acquired: true,
      release: async () => {
        if (done) return;
        entry.stop();
        await this.redis.run((client) => client.lockRelease(key, value)).catch(() => undefined); // else it expires
      },
      onLost: (listener) => {
        if (lostBecause !== undefined) listener(lostBecause);
        else if (!done) listeners.push(listener);
      },
    };
  }
}

function holderOf(value: unknown): string | null {
  if (typeof value !== 'string') return null;
  const space = value.indexOf(' ');
  return space < 0 ? value : value.slice(space + 1);
}
