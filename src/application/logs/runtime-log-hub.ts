import { inject, injectable, optional } from 'inversify';
import type { AppName } from '../../domain/app-name.js';
import type { Caller } from '../../domain/caller.js';
import { LimitExceeded, NotDeployed } from '../../domain/domain-errors.js';
import type { LogLine } from '../../domain/log-line.js';
import type { ProcessType } from '../../domain/dokku-values.js';
import type { RuntimeLogItem } from '../../domain/runtime-log-item.js';
import { DokkuApps } from '../../ports/dokku-apps.port.js';
import { DokkuLogs } from '../../ports/dokku-logs.port.js';
import { Logger } from '../../ports/logger.port.js';
import { Limits } from '../../ports/settings.port.js';
import { AppSecrets } from '../config/app-secrets.js';
import { AppFollower } from './app-follower.js';
import { ClusterLogFollowing } from './cluster-log-following.js';
import { ContainerChanges } from './container-changes.js';
import { HubSubscription, type RuntimeLogSubscription } from './runtime-log-subscription.js';

export type { RuntimeLogEvent, RuntimeLogSubscription } from './runtime-log-subscription.js';

export interface JoinOptions {
  /** Only lines of this process type (markers always come). */
  readonly processType?: ProcessType;
  /** An event id read before (e.g. SSE's Last-Event-ID): resume right after it, or learn by a `gap` what was lost. */
  readonly after?: string;
  /** Deliver up to this many of the newest buffered items first (ignored with `after`). */
  readonly backlog?: number;
  /** Called whenever something new may be read (often; must be cheap; never called after close). */
  readonly onAvailable?: () => void;
}

export interface HubStats {
  /** Apps followed now (a follower each, lingering ones included). */
  readonly followedApps: readonly string[];
  readonly subscriptions: number;
}

/**
 * Live runtime logs for every transport. One AppFollower per app, started by its first subscriber and stopped
 * `logs.runtime.stream_linger_ms` after its last one left; each subscription has its own cursor into the app's
 * LogStream (bounded: a slow one loses its oldest unread lines and is told how many). Limits: followers in total
 * (logs.runtime.max_streams), subscriptions per tenant and per session. Who may follow which app is the use cases'
 * check (SubscribeRuntimeLogs); the hub trusts the app it is given. With a shared store (store.type: redis) the
 * subscriptions read this instance's FeedChannel of the app instead, and one instance of the cluster follows the app
 * (ClusterLogFollowing); the per-tenant limit then counts the tenant's subscriptions on every instance (presence in the
 * store, renewed while each lives, expiring with an instance that died), the per-session one this instance's (a
 * session lives on one instance).
 */
@injectable()
export class RuntimeLogHub {
  private readonly followers = new Map<string, AppFollower>();
  private readonly opening = new Map<string, Promise<AppFollower>>();
  /** Joined and joining subscriptions, for the per-tenant and per-session limits. */
  private readonly members = new Set<{ readonly caller: Caller }>();
  private epochs = Date.now();

  constructor(
    @inject(DokkuLogs) private readonly logs: DokkuLogs,
    @inject(DokkuApps) private readonly apps: DokkuApps,
    @inject(AppSecrets) private readonly secrets: AppSecrets,
    @inject(Limits) private readonly limits: Limits,
    @inject(Logger) private readonly logger: Logger,
    @inject(ContainerChanges) private readonly changes: ContainerChanges,
    /** With a shared store (store.type: redis); absent or not shared, this process follows its apps itself. */
    @inject(ClusterLogFollowing) @optional() private readonly cluster?: ClusterLogFollowing,
  ) {
    changes.onReplaced((app, reason) => (this.cluster?.shared ? this.cluster.replaced(app, reason) : this.followers.get(app)?.replaced(reason)));
  }

  /**
   * A subscription to the app's live logs, starting its follower if it has none. Fails with LimitExceeded (naming the
   * limit), AppNotFound or NotDeployed (first subscriber only: later ones join a running follower), HostUnreachable.
   */
  async join(caller: Caller, app: AppName, options: JoinOptions = {}): Promise<RuntimeLogSubscription> {
    this.checkMemberLimits(caller);
    const member = { caller };
    this.members.add(member); // counted from now: concurrent joins of one session cannot all pass the check
    let release = (): void => undefined;
    try {
      if (this.cluster?.shared) release = await this.clusterSeat(caller);
      // Shared store: this instance's reader of the app's feed (one follower for the cluster, wherever it runs).
      const source = this.cluster?.shared ? await this.cluster.join(app, options.after) : await this.followerFor(app);
      source.keep();
      const subscription = new HubSubscription(source, caller, options, source.start(options), () => {
        this.members.delete(member);
        release();
        if (source.stream.subscriberCount === 0) source.linger();
      });
      return subscription;
    } catch (error) {
      this.members.delete(member);
      release();
      throw error;
    }
  }

  /** See AppFollower.recentLines: the buffer's answer to a `logs --num` poll, only when provably the same. */
  recentLines(app: AppName, count: number, processType?: ProcessType): LogLine[] | undefined {
    return (this.followers.get(app.value) ?? this.cluster?.follower(app.value))?.recentLines(count, processType?.value);
  }

  stats(): HubStats {
    const followed = this.cluster?.shared ? this.cluster.followedApps() : [...this.followers.keys()];
    return { followedApps: followed.sort(), subscriptions: this.members.size };
  }

  /** Stops every follower (server shutdown); with a shared store, frees their leases for the other instances. */
  async dispose(): Promise<void> {
    for (const follower of [...this.followers.values()]) follower.stop();
    await this.cluster?.dispose();
  }

  private checkMemberLimits(caller: Caller): void {
    const { maxStreamsPerSession, maxStreamsPerTenant } = this.limits;
    const members = [...this.members];
    if (members.filter((m) => m.caller.sessionId === caller.sessionId).length >= maxStreamsPerSession) {
      throw new LimitExceeded(
        `This session already follows ${maxStreamsPerSession} live log streams (logs.runtime.max_streams_per_session = ${maxStreamsPerSession}).`,
        'Stop following one (unsubscribe, or let follow_runtime_logs end), or poll with get_runtime_logs.',
      );
    }
    // This instance's share is part of the cluster's: refused here, it would be refused there too.
    const local = members.filter((m) => m.caller.tenant === caller.tenant).length;
    if (local >= maxStreamsPerTenant) throw tenantLimit(caller, local, maxStreamsPerTenant);
  }

  /** With a shared store: a place among the tenant's subscriptions on every instance, or LimitExceeded. */
  private async clusterSeat(caller: Caller): Promise<() => void> {
    const max = this.limits.maxStreamsPerTenant;
    const seat = await this.cluster!.subscriptionSeat(caller.tenant, max);
    if (!seat.ok) throw tenantLimit(caller, seat.held, max, ' on the instances of this server together');
    return seat.release;
  }

  private followerFor(app: AppName): Promise<AppFollower> {
    const running = this.followers.get(app.value);
    if (running && !running.isOver) return Promise.resolve(running);
    const pending = this.opening.get(app.value);
    if (pending) return pending;
    this.makeRoom(app);
    const opened = this.open(app).finally(() => this.opening.delete(app.value));
    this.opening.set(app.value, opened);
    return opened;
  }

  /** At the followers limit, a lingering follower (nobody subscribed) gives way; else the limit refuses. */
  private makeRoom(app: AppName): void {
    const { maxStreams } = this.limits;
    if (this.followers.size + this.opening.size < maxStreams) return;
    const idle = [...this.followers.values()].find((follower) => follower.lingering);
    if (idle) return idle.stop();
    throw new LimitExceeded(
      `${maxStreams} apps are followed already; "${app.value}" would be one more (logs.runtime.max_streams = ${maxStreams}).`,
      'Poll this app with get_runtime_logs, or stop following another app first.',
    );
  }

  private async open(app: AppName): Promise<AppFollower> {
    // Refused here, not as an `end` marker later: the first subscriber learns at once that there is nothing to follow.
    const status = await this.apps.status(app);
    if (!status.deployed) throw new NotDeployed(app.value);
    const epoch = (this.epochs++).toString(36);
    const follower = new AppFollower(
      app,
      { logs: this.logs, apps: this.apps, secrets: this.secrets, logger: this.logger, changes: this.changes },
      { bufferSize: this.limits.streamBufferSize, lingerMs: this.limits.streamLingerMs, epoch },
      (over) => {
        if (this.followers.get(app.value) === over) this.followers.delete(app.value);
        this.logger.info('stopped following runtime logs', { app: app.value, followers: this.followers.size });
      },
    );
    await follower.open();
    if (!follower.isOver) this.followers.set(app.value, follower);
    this.logger.info('following runtime logs', { app: app.value, followers: this.followers.size });
    return follower;
  }
}

function tenantLimit(caller: Caller, held: number, max: number, where = ''): LimitExceeded {
  const who = caller.tenant === null ? 'This server\'s sessions' : `Tenant "${caller.tenant}"`;
  return new LimitExceeded(
    `${who} already hold ${held} live log subscriptions${where} (logs.runtime.max_streams_per_tenant = ${max}).`,
    'Stop following in another session, or poll with get_runtime_logs.',
  );
}

export type { RuntimeLogItem };
