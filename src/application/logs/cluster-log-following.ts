import { inject, injectable, optional } from 'inversify';
import { ContainerChanges } from './container-changes.js';
import type { AppName } from '../../domain/app-name.js';
import { LimitExceeded, NotDeployed } from '../../domain/domain-errors.js';
import { compareFeedEntryIds } from '../../domain/feed-entry-id.js';
import type { RuntimeLogItem } from '../../domain/runtime-log-item.js';
import type { LogCursor } from '../../domain/log-stream.js';
import { ClusterLock, type HeldLock } from '../../ports/cluster-lock.port.js';
import { DokkuApps } from '../../ports/dokku-apps.port.js';
import { DokkuLogs } from '../../ports/dokku-logs.port.js';
import { IdGenerator } from '../../ports/id-generator.port.js';
import { Logger } from '../../ports/logger.port.js';
import { RuntimeLogFeed } from '../../ports/runtime-log-feed.port.js';
import { SessionPresence } from '../../ports/session-presence.port.js';
import { FollowerLeaseSettings, Limits } from '../../ports/settings.port.js';
import { takePresenceSeat, type PresenceSeat } from '../access/presence-seat.js';
import { AppSecrets } from '../config/app-secrets.js';
import { AppFollower } from './app-follower.js';
import { FeedChannel } from './feed-channel.js';

const TAKEN_OVER = 'the instance that followed this app\'s logs stopped; another instance follows them now, and lines written in between are missing';
const NOBODY_FOLLOWED = 'nobody followed this app\'s logs for a while; lines written meanwhile are not here';
const NOT_SHARED = 'the state store did not take these lines (unreachable or slow); they are lost';

/** This instance's follower of an app, while it holds the app's lease. */
interface Holding {
  readonly lock: HeldLock;
  readonly follower: AppFollower;
  readonly cursor: LogCursor<RuntimeLogItem>;
  /** Lines the store did not take, told as the next batch's gap. */
  unshared: number;
  flushing?: Promise<void>;
  leaving?: Promise<void>;
  stopChanges?: () => Promise<void>;
}

/** What this instance does for one app: read its feed for local subscribers, and follow it when it holds the lease. */
interface Seat {
  readonly app: AppName;
  channel?: FeedChannel;
  opening?: Promise<FeedChannel>;
  held?: Holding;
  contending?: Promise<void>;
  readonly timer: ReturnType<typeof setInterval>;
}

/**
 * Live runtime logs across instances (store.type: redis): one `logs --tail` per app for the whole cluster. Every
 * instance with subscribers of an app reads the app's feed once (a FeedChannel) and counts itself present; they contend
 * for the app's lease (ClusterLock `logs:<app>`, store.lease_ttl_ms), and the holder runs the AppFollower and appends
 * what it yields to the feed. The holder stops, and frees the lease, when no instance is present any more (each lingers
 * logs.runtime.stream_linger_ms after its last subscriber). A holder that dies stops renewing: its lease expires and a
 * present instance takes over within about 1⅓ leases, after a `gap` in the feed. Container changes signalled on any
 * instance reach the holder (RuntimeLogFeed.announceChange).
 */
@injectable()
export class ClusterLogFollowing {
  readonly shared: boolean;
  private readonly instance: string;
  private readonly seats = new Map<string, Seat>();
  private epochs = Date.now();
  private subscriptions = 0;

  constructor(
    @inject(RuntimeLogFeed) private readonly feed: RuntimeLogFeed,
    @inject(ClusterLock) private readonly lock: ClusterLock,
    @inject(SessionPresence) private readonly presence: SessionPresence,
    @inject(FollowerLeaseSettings) private readonly lease: FollowerLeaseSettings,
    @inject(DokkuLogs) private readonly logs: DokkuLogs,
    @inject(DokkuApps) private readonly apps: DokkuApps,
    @inject(AppSecrets) private readonly secrets: AppSecrets,
    @inject(Limits) private readonly limits: Limits,
    @inject(Logger) private readonly logger: Logger,
    @inject(IdGenerator) ids: IdGenerator,
    /** Told when the follower held here starts and ends (HostChangeWatch watches the app meanwhile). */
    @inject(ContainerChanges) @optional() private readonly changes?: ContainerChanges,
  ) {
    this.shared = feed.shared;
    this.instance = `instance-${ids.sortableId()}`;
  }

  /**
   * The app's channel on this instance, opened (and this instance counted present) when it has none; a resume id newer
   * than what it read is waited for briefly. Fails with StateStoreUnavailable, LimitExceeded, AppNotFound, NotDeployed.
   */
  async join(app: AppName, after?: string): Promise<FeedChannel> {
    const seat = this.seats.get(app.value) ?? this.newSeat(app);
    let channel: FeedChannel | undefined;
    try {
      channel = await this.channelOf(seat);
      channel.keep();
      // Counted present (again: a channel that just lingered out stopped counting), and the store answers — or we refuse.
      await this.presence.claim(this.group(app), this.instance, Number.MAX_SAFE_INTEGER);
    } catch (error) {
      if (channel && channel.stream.subscriberCount === 0) channel.linger();
      else if (!seat.channel && !seat.held && !seat.opening) this.leave(seat);
      throw error;
    }
    void this.contend(seat);
    await channel.caughtUp(after);
    return channel;
  }

  /**
   * One of the `max` live-log subscriptions a tenant (null: the callers without one) may hold on every instance together
   * (logs.runtime.max_streams_per_tenant), counted as presence that this instance renews while the subscription lives:
   * the share of an instance that died expires by itself. Throws StateStoreUnavailable when the store does not answer.
   */
  subscriptionSeat(tenant: string | null, max: number): Promise<PresenceSeat> {
    // Tenant names are letters, digits, ".", "_", "-": no tenant is called "*", and no group of another use collides.
    return takePresenceSeat(this.presence, `streams:${tenant ?? '*'}`, `${this.instance}:${(this.subscriptions += 1)}`, max);
  }

  /** Who must follow the app's new containers: our follower if we hold it, else the holder, wherever it is. */
  replaced(app: string, reason: string): void {
    const follower = this.seats.get(app)?.held?.follower;
    if (follower) return follower.replaced(reason);
    this.feed.announceChange(app, reason).catch((error: unknown) => {
      this.logger.warn('could not tell the follower of an app that its containers changed', { app, error: String(error) });
    });
  }

  /** The follower this instance runs for the app (it holds the lease), if any. */
  follower(app: string): AppFollower | undefined {
    return this.seats.get(app)?.held?.follower;
  }

  /** Apps this instance reads or follows. */
  followedApps(): string[] {
    return [...this.seats.keys()];
  }

  /** Stops reading and following, frees every lease (shutdown): the other instances take over at once. */
  async dispose(): Promise<void> {
    await Promise.all([...this.seats.values()].map(async (seat) => {
      seat.channel?.stop();
      if (seat.held) await this.letGo(seat, seat.held, 'shutdown');
      this.leave(seat);
    }));
  }

  private newSeat(app: AppName): Seat {
    this.makeRoom(app);
    const timer = setInterval(() => void this.tick(app.value), Math.max(10, Math.floor(this.lease.leaseMs / 3)));
    timer.unref();
    const seat: Seat = { app, timer };
    this.seats.set(app.value, seat);
    return seat;
  }

  /** At logs.runtime.max_streams apps, a lingering channel gives way; else the limit refuses. */
  private makeRoom(app: AppName): void {
    const { maxStreams } = this.limits;
    if (this.seats.size < maxStreams) return;
    const idle = [...this.seats.values()].find((seat) => seat.channel?.lingering && !seat.held);
    if (idle) return idle.channel!.stop();
    throw new LimitExceeded(
      `${maxStreams} apps are followed already; "${app.value}" would be one more (logs.runtime.max_streams = ${maxStreams}).`,
      'Poll this app with get_runtime_logs, or stop following another app first.',
    );
  }

  private channelOf(seat: Seat): Promise<FeedChannel> {
    if (seat.channel && !seat.channel.isOver) return Promise.resolve(seat.channel);
    seat.opening ??= (async () => {
      // The first subscriber here learns at once that there is nothing to follow.
      const status = await this.apps.status(seat.app);
      if (!status.deployed) throw new NotDeployed(seat.app.value);
      const channel = new FeedChannel(seat.app, this.feed, this.limits.streamBufferSize, this.limits.streamLingerMs, (over) => this.channelGone(seat, over));
      await channel.open();
      seat.channel = channel;
      return channel;
    })().finally(() => (seat.opening = undefined));
    return seat.opening;
  }

  private channelGone(seat: Seat, channel: FeedChannel): void {
    if (seat.channel !== channel) return;
    seat.channel = undefined;
    void this.presence.release(this.group(seat.app), this.instance);
    if (!seat.held && !seat.opening) this.leave(seat);
  }

  private leave(seat: Seat): void {
    clearInterval(seat.timer);
    if (this.seats.get(seat.app.value) === seat) this.seats.delete(seat.app.value);
  }

  private async tick(app: string): Promise<void> {
    const seat = this.seats.get(app);
    if (!seat) return;
    const held = seat.held;
    if (!held) {
      if (seat.channel) await this.contend(seat);
      else if (!seat.opening) this.leave(seat);
      return;
    }
    if (held.leaving) return;
    const present = await this.presence.count(this.group(seat.app)).catch(() => undefined);
    if (present === 0) await this.letGo(seat, held, 'idle');
  }

  /** Tries for the app's lease (once at a time); on it, follows the app. */
  private contend(seat: Seat): Promise<void> {
    if (seat.held || seat.contending) return seat.contending ?? Promise.resolve();
    seat.contending = (async () => {
      const lock = await this.lock.acquire(`logs:${seat.app.value}`, this.instance);
      if (!lock.acquired) return;
      if (!seat.channel || this.seats.get(seat.app.value) !== seat) return lock.release();
      await this.hold(seat, lock);
    })()
      .catch((error: unknown) => this.logger.debug('could not take the lease of an app\'s logs; retrying', { app: seat.app.value, error: String(error) }))
      .finally(() => (seat.contending = undefined));
    return seat.contending;
  }

  private async hold(seat: Seat, lock: HeldLock): Promise<void> {
    const app = seat.app.value;
    const [last] = await this.feed.latest(app, 1).catch(async (error: unknown) => {
      await lock.release();
      throw error;
    });
    // The app's stream just ended (its end still on its way to our readers): nothing to follow.
    if (last?.item.type === 'end' && compareFeedEntryIds(last.id, seat.channel?.historyEnd ?? last.id) > 0) return lock.release();
    const follower = new AppFollower(
      seat.app,
      { logs: this.logs, apps: this.apps, secrets: this.secrets, logger: this.logger, changes: this.changes },
      { bufferSize: this.limits.streamBufferSize, lingerMs: 0, epoch: (this.epochs++).toString(36) },
      () => void this.followerOver(seat),
    );
    const holding: Holding = { lock, follower, cursor: follower.stream.subscribe({ onAvailable: () => void this.flush(seat) }), unshared: 0 };
    seat.held = holding;
    lock.onLost((reason) => {
      this.logger.warn('lost the lease of an app\'s logs; another instance follows them', { app, reason });
      void this.letGo(seat, holding, 'lost');
    });
    try {
      if (last && (last.item.type === 'line' || last.item.type === 'restarted')) await this.feed.append(app, [{ type: 'gap', missed: null, reason: TAKEN_OVER }]);
      holding.stopChanges = await this.feed.onChange(app, (reason) => follower.replaced(reason));
      await follower.open();
    } catch (error) {
      await this.letGo(seat, holding, 'over');
      throw error;
    }
    this.logger.info('following runtime logs for the cluster', { app, instance: this.instance });
  }

  /** Appends what the follower yielded to the feed, in order, one batch at a time. */
  private flush(seat: Seat): Promise<void> {
    const holding = seat.held;
    if (!holding) return Promise.resolve();
    holding.flushing ??= (async () => {
      for (;;) {
        const { items, dropped } = holding.cursor.read();
        if (items.length === 0 && dropped === 0) return;
        const missed = holding.unshared + dropped;
        const batch: RuntimeLogItem[] = missed > 0 ? [{ type: 'gap', missed, reason: NOT_SHARED }, ...items] : items;
        try {
          await this.feed.append(seat.app.value, batch);
          holding.unshared = 0;
        } catch {
          holding.unshared = missed + items.filter((item) => item.type === 'line').length;
        }
      }
    })().finally(() => (holding.flushing = undefined));
    return holding.flushing;
  }

  /** The follower ended by itself (the app is gone or stopped: its `end` is in the feed) or was stopped. */
  private async followerOver(seat: Seat): Promise<void> {
    const holding = seat.held;
    if (holding && !holding.leaving) await this.letGo(seat, holding, 'over');
  }

  /**
   * Stops following and frees the lease. Unless the lease was lost (another instance writes the feed now), the last
   * lines go to the feed first; with nobody left (`idle`), a `gap` after them tells a later resume that nobody followed.
   */
  private letGo(seat: Seat, holding: Holding, why: 'idle' | 'over' | 'shutdown' | 'lost'): Promise<void> {
    holding.leaving ??= (async () => {
      holding.follower.stop();
      if (why !== 'lost') await this.flush(seat);
      holding.cursor.close();
      if (why === 'idle') await this.feed.append(seat.app.value, [{ type: 'gap', missed: null, reason: NOBODY_FOLLOWED }]).catch(() => undefined);
      await holding.stopChanges?.().catch(() => undefined);
      await holding.lock.release();
      if (seat.held === holding) seat.held = undefined;
      if (!seat.channel && !seat.opening) this.leave(seat);
      this.logger.info('stopped following runtime logs for the cluster', { app: seat.app.value, instance: this.instance });
    })();
    return holding.leaving;
  }

  private group(app: AppName): string {
    return `logs:${app.value}`;
  }
}
