import { createClient, ErrorReply } from '@redis/client';
import { StateStoreUnavailable } from '../../../domain/domain-errors.js';
import type { Logger } from '../../../ports/logger.port.js';
import type { StateStore, StateStoreHealth } from '../../../ports/state-store.port.js';
import { displayRedisUrl } from '../../../config/store-config.js';
import { SCRIPTS } from './redis-scripts.js';

export interface RedisConnectionOptions {
  /** store.redis_url: redis[s]://[[user]:password@]host[:port][/db] */
  readonly url: string;
  /** store.key_prefix: put before every key, so that one Redis can hold several installations. */
  readonly keyPrefix: string;
  /** How long one command may take before it fails as unreachable (a hung server, a dead link). */
  readonly commandTimeoutMs?: number;
  /** How long one connection attempt may take. */
  readonly connectTimeoutMs?: number;
}

const COMMAND_TIMEOUT_MS = 2_000;
const CONNECT_TIMEOUT_MS = 3_000;
/** Waits between reconnection attempts: 100 ms doubling to at most 2 s, for as long as it takes. */
const reconnectDelay = (retries: number): number => Math.min(100 * 2 ** Math.min(retries, 5), 2_000);

/** Error replies that say the server cannot serve now (loading, out of memory, a replica...), not that we erred. */
const SERVER_UNAVAILABLE = /^(LOADING|BUSY|OOM|READONLY|MASTERDOWN|MISCONF|NOAUTH|WRONGPASS|NOPERM|CLUSTERDOWN|TRYAGAIN)\b/;

function createRedisClient(options: RedisConnectionOptions) {
  return createClient({
    url: options.url,
    scripts: SCRIPTS,
    // Fail fast: a command while the connection is down is refused at once, never queued until Redis returns.
    disableOfflineQueue: true,
    socket: { connectTimeout: options.connectTimeoutMs ?? CONNECT_TIMEOUT_MS, reconnectStrategy: reconnectDelay },
    // A PING on an idle connection finds a dead link before a caller does.
    pingInterval: 5_000,
  }).withCommandOptions({ timeout: options.commandTimeoutMs ?? COMMAND_TIMEOUT_MS }); // until written; run() bounds the rest
}
export type RedisClient = ReturnType<typeof createRedisClient>;

const messageOf = (error: unknown): string => {
  if (error instanceof AggregateError && error.errors.length) return messageOf(error.errors[0]);
  if (error instanceof Error) return error.message || error.name;
  return String(error);
};

/**
 * The one Redis connection of the process (store.type: redis), shared by the Redis adapters. It connects in the
 * background and reconnects by itself, for as long as it takes; meanwhile every command fails at once with
 * StateStoreUnavailable (never queued), so a call that needs the store answers instead of hanging.
 */
export class RedisConnection implements StateStore {
  readonly kind = 'redis' as const;
  private readonly client: RedisClient;
  private readonly where: string;
  private lastProblem = 'not connected yet';
  private started = false;
  private closed = false;
  private lostAt: number | undefined;
  private everReady = false;
  private firstOutcome: Promise<void> | undefined;
  private readonly commandTimeoutMs: number;
  /** The second connection that pub/sub needs (a subscribed connection runs no other commands); made on first use. */
  private subscriber: RedisClient | undefined;
  private subscriberUp: Promise<RedisClient> | undefined;
  private readonly resubscribed = new Set<() => void>();

  constructor(
    private readonly options: RedisConnectionOptions,
    private readonly logger: Logger,
  ) {
    this.commandTimeoutMs = options.commandTimeoutMs ?? COMMAND_TIMEOUT_MS;
    this.where = `Redis at ${displayRedisUrl(options.url)} (store.redis_url)`;
    this.client = createRedisClient(options);
    this.client.on('error', (error: unknown) => this.problem(error));
    this.client.on('ready', () => {
      if (!this.everReady && this.started) this.logger.info('state store reachable', { store: displayRedisUrl(this.options.url) });
      this.everReady = true;
      if (this.lostAt !== undefined) this.logger.info('state store reachable again', { store: displayRedisUrl(this.options.url), downMs: Date.now() - this.lostAt });
      this.lostAt = undefined;
    });
  }

  /** `prefix` + parts joined by ":" (store.key_prefix names the installation). */
  key(...parts: string[]): string {
    return this.options.keyPrefix + parts.join(':');
  }

  /**
   * Starts connecting (once). Resolves when the first connection is up; rejects with StateStoreUnavailable at the first
   * failure — the connection keeps trying in the background either way, so a caller that does not wait (stdio) is
   * served as soon as Redis answers.
   */
  connect(): Promise<void> {
    if (!this.firstOutcome) {
      this.started = true;
      this.firstOutcome = new Promise<void>((resolve, reject) => {
        const onReady = () => { this.client.off('error', onError); resolve(); };
        const onError = (error: unknown) => { this.client.off('ready', onReady); reject(this.unavailable(error)); };
        this.client.once('ready', onReady);
        this.client.once('error', onError);
      });
      this.firstOutcome.catch(() => undefined);
      this.client.connect().catch(() => undefined); // failures arrive as 'error' events; it retries until closed
    }
    return this.firstOutcome;
  }

  /** Runs `command` on the client; any failure to reach Redis becomes StateStoreUnavailable. */
  async run<T>(command: (client: RedisClient) => Promise<T>): Promise<T> {
    if (!this.client.isReady) {
      if (!this.started && !this.closed) void this.connect();
      throw new StateStoreUnavailable(`${this.where}: ${this.closed ? 'the connection is closed (shutting down)' : this.lastProblem}`);
    }
    try {
      return await this.bounded(command(this.client));
    } catch (error) {
      if (error instanceof ErrorReply && !SERVER_UNAVAILABLE.test(error.message)) throw error; // our bug, not an outage
      throw this.unavailable(error);
    }
  }

  /**
   * Calls `listener` with every message published on `channel` (a key-like name under store.key_prefix) until the
   * returned function is called; `resubscribed` is called when the subscription is back after the connection was lost
   * (messages published meanwhile were missed). StateStoreUnavailable when Redis does not answer.
   */
  async subscribe(channel: string, listener: (message: string) => void, resubscribed?: () => void): Promise<() => Promise<void>> {
    const subscriber = await this.subscriberClient();
    const onMessage = (message: string) => listener(message);
    await this.bounded(subscriber.subscribe(channel, onMessage)).catch((error: unknown) => {
      throw this.unavailable(error);
    });
    if (resubscribed) this.resubscribed.add(resubscribed);
    return async () => {
      if (resubscribed) this.resubscribed.delete(resubscribed);
      if (subscriber.isReady) await this.bounded(subscriber.unsubscribe(channel, onMessage)).catch(() => undefined);
    };
  }

  /** Publishes `message` on `channel`; StateStoreUnavailable when Redis does not answer. */
  async publish(channel: string, message: string): Promise<void> {
    await this.run((client) => client.publish(channel, message));
  }

  /**
   * A connection of its own, connected, for a blocking read (XREAD BLOCK holds its connection until it answers); the
   * caller destroys it. It reconnects by itself like the main one. StateStoreUnavailable when Redis does not answer.
   */
  async dedicated(): Promise<RedisClient> {
    if (!this.client.isReady || this.closed) await this.run(async () => undefined); // refuses with the reason
    const client = this.client.duplicate();
    client.on('error', () => undefined); // the main connection reports outages
    try {
      await this.bounded(client.connect());
      return client;
    } catch (error) {
      client.destroy();
      throw this.unavailable(error);
    }
  }

  private subscriberClient(): Promise<RedisClient> {
    if (!this.client.isReady) return this.run(async () => this.client); // refuses with the reason
    if (this.subscriber?.isReady) return Promise.resolve(this.subscriber);
    if (!this.subscriberUp) {
      const subscriber = this.client.duplicate();
      this.subscriber = subscriber;
      let wasReady = false;
      subscriber.on('error', () => undefined); // the main connection reports outages
      subscriber.on('ready', () => {
        if (wasReady) for (const callback of [...this.resubscribed]) callback();
        wasReady = true;
      });
      this.subscriberUp = this.bounded(subscriber.connect()).then(
        () => subscriber,
        (error: unknown) => {
          this.subscriberUp = undefined;
          this.subscriber = undefined;
          subscriber.destroy();
          throw this.unavailable(error);
        },
      );
    }
    return this.subscriberUp;
  }

  /**
   * Waits for `promise` at most the command timeout: node-redis times a command out only until it is written, and a
   * server that takes it and never answers (hung, or a link gone silent) would hold the caller forever.
   */
  async bounded<T>(promise: Promise<T>, extraMs = 0): Promise<T> {
    let timer: NodeJS.Timeout | undefined;
    const ms = this.commandTimeoutMs + extraMs; // extraMs: what a blocking command may wait on purpose
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`no answer within ${ms} ms`)), ms);
    });
    try {
      return await Promise.race([promise, timeout]);
    } finally {
      clearTimeout(timer);
    }
  }

  async health(): Promise<StateStoreHealth> {
    try {
      await this.run((client) => client.ping());
      return { ok: true };
    } catch (error) {
      if (error instanceof StateStoreUnavailable) return { ok: false, reason: error.message };
      return { ok: false, reason: `state store check failed: ${messageOf(error)}` };
    }
  }

  /** Ends the connection: pending replies are awaited briefly, then it is cut. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    if (this.subscriber?.isOpen) this.subscriber.destroy();
    if (!this.client.isOpen) return;
    if (!this.client.isReady) {
      this.client.destroy(); // reconnecting: nothing pending to wait for
      return;
    }
    let timer: NodeJS.Timeout | undefined;
    const cut = new Promise<void>((resolve) => { timer = setTimeout(resolve, 1_000); });
    await Promise.race([this.client.close().catch(() => undefined), cut]);
    clearTimeout(timer);
    if (this.client.isOpen) this.client.destroy();
  }

  private unavailable(error: unknown): StateStoreUnavailable {
    this.lastProblem = messageOf(error);
    return new StateStoreUnavailable(`${this.where}: ${this.lastProblem}`);
  }

  /**
   * Every failed attempt emits an error: the first one of an outage is a warning, the retries are debug noise. Before
   * the first connection the caller of connect() says what it makes of a failure (HTTP refuses to start).
   */
  private problem(error: unknown): void {
    this.lastProblem = messageOf(error);
    if (this.closed) return;
    if (!this.everReady) {
      this.logger.debug('state store not reachable yet', { error: this.lastProblem });
    } else if (this.lostAt === undefined) {
      this.lostAt = Date.now();
      this.logger.warn('state store unreachable; retrying in the background', { store: displayRedisUrl(this.options.url), error: this.lastProblem });
    } else {
      this.logger.debug('state store still unreachable', { error: this.lastProblem });
    }
  }
}
