import type { Logger } from '../../../ports/logger.port.js';
import type { PresenceClaim, SessionPresence } from '../../../ports/session-presence.port.js';
import type { RedisConnection } from './redis-connection.js';

/**
 * Live sessions per group in Redis: a sorted set `<prefix>sessions:<group>` of session id -> expiry (server ms). This
 * instance renews its own entries every third of the lease (store.lease_ttl_ms); the entries of an instance that died
 * stop being renewed and no longer count once the lease passes. Claims are one Lua script: two instances admitting the
 * last place at once admit one session.
 */
export class RedisSessionPresence implements SessionPresence {
  /** group -> the ids this instance holds there. */
  private readonly own = new Map<string, Set<string>>();
  private readonly timer: NodeJS.Timeout;
  private renewFailing = false;

  constructor(
    private readonly redis: RedisConnection,
    private readonly leaseMs: number,
    private readonly logger: Logger,
  ) {
    this.timer = setInterval(() => void this.renew(), Math.max(10, Math.floor(leaseMs / 3)));
    this.timer.unref();
  }

  async claim(group: string, id: string, max: number): Promise<PresenceClaim> {
    const [ok, held] = await this.redis.run((client) => client.presenceClaim(this.key(group), id, max, this.leaseMs));
    if (Number(ok) !== 1) return { ok: false, held: Number(held) };
    const ids = this.own.get(group) ?? new Set<string>();
    ids.add(id);
    this.own.set(group, ids);
    return { ok: true };
  }

  async release(group: string, id: string): Promise<void> {
    const ids = this.own.get(group);
    ids?.delete(id);
    if (ids?.size === 0) this.own.delete(group);
    // Not renewed from now on: if Redis does not take the removal, the entry expires within the lease.
    await this.redis.run((client) => client.zRem(this.key(group), id)).catch(() => undefined);
  }

  count(group: string): Promise<number> {
    return this.redis.run((client) => client.presenceCount(this.key(group)));
  }

  /** Stops renewing (shutdown; tests use it as an instance that died): the entries left expire within the lease. */
  stop(): void {
    clearInterval(this.timer);
  }

  private key(group: string): string {
    return this.redis.key('sessions', group);
  }

  private async renew(): Promise<void> {
    const groups = [...this.own].filter(([, ids]) => ids.size > 0);
    if (groups.length === 0) return;
    try {
      await Promise.all(groups.map(([group, ids]) => this.redis.run((client) => client.presenceRenew(this.key(group), this.leaseMs, [...ids]))));
      if (this.renewFailing) this.logger.info('session presence renewed again');
      this.renewFailing = false;
    } catch (error) {
      // The connection logs the outage; say once that the cap may count these sessions out meanwhile.
      if (!this.renewFailing) this.logger.warn('could not renew session presence; the sessions are re-counted when the state store is back', { error: String(error) });
      this.renewFailing = true;
    }
  }
}
