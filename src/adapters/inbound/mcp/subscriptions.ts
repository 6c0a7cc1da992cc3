import type { Server } from '@modelcontextprotocol/sdk/server/index.js';
import { ErrorCode, McpError, SubscribeRequestSchema, UnsubscribeRequestSchema } from '@modelcontextprotocol/sdk/types.js';
import type { WatchDeployment } from '../../../application/deployments/watch-deployment.use-case.js';
import type { RuntimeLogSubscription } from '../../../application/logs/runtime-log-hub.js';
import type { SubscribeRuntimeLogs } from '../../../application/logs/subscribe-runtime-logs.use-case.js';
import type { RuntimeLogItem } from '../../../domain/runtime-log-item.js';
import type { Caller } from '../../../domain/caller.js';
import type { Deployment } from '../../../domain/deployment.js';
import { isDenial } from '../../../domain/access-errors.js';
import { isDomainError } from '../../../domain/domain-errors.js';
import type { Sanitizer } from '../../../domain/sanitizer.js';
import type { Logger } from '../../../ports/logger.port.js';
import { describeRedacted } from './error-mapper.js';

/** Capabilities every session declares; `resources.subscribe` is served by ResourceSubscriptions below. */
export const SERVER_CAPABILITIES = {
  logging: {},
  resources: { subscribe: true, listChanged: true },
  tools: {},
  prompts: {},
};

/** A build log can grow by hundreds of lines a second; one notification per this many ms is plenty for a reader. */
export const UPDATE_DEBOUNCE_MS = 250;

const SUBSCRIBABLE = /^dokku:\/\/deployment\/([^/]+)(\/logs)?$/;
const APP_LOGS = /^dokku:\/\/app\/([^/]+)\/logs$/;

interface Watch {
  stop(): void;
  timer?: NodeJS.Timeout;
}

/** What a read of dokku://app/{name}/logs shows to a subscribed session. */
export interface LiveLogsRead {
  /** The newest buffered lines (and the markers among them), oldest first. */
  readonly items: readonly RuntimeLogItem[];
  /** Lines that came since this session's previous read and that this read does not show (lost or out of the window). */
  readonly missed: number;
}

/** The session's live runtime-log streams, for the resource reader. */
export interface LiveLogs {
  /** Undefined when the session is not subscribed to the app's logs (the read then polls the host). */
  read(appName: string, lines: number): LiveLogsRead | undefined;
}

export interface SubscriptionDeps {
  readonly watchDeployment: WatchDeployment;
  readonly subscribeRuntimeLogs: SubscribeRuntimeLogs;
  readonly sanitizer: Sanitizer;
  /** Redacts `text` with the app's own config values too (an error joining its stream may echo them). */
  readonly redactFor?: (appName: string, text: string) => Promise<string>;
  readonly logger: Logger;
  /** The session's caller: only deployments of apps it sees can be watched. */
  readonly caller: Caller;
  readonly debounceMs?: number;
}

/**
 * One session's resource subscriptions. Subscribing to dokku://deployment/{id} or dokku://deployment/{id}/logs
 * watches the deployment; `notifications/resources/updated` follows its changes (trailing-debounced) and goes out at
 * once when it ends. Subscribing to dokku://app/{name}/logs joins the app's live log stream (RuntimeLogHub): updates
 * follow its new lines, debounced the same way, and reading the resource shows the stream's newest lines.
 * Unsubscribe and `dispose()` (session closed) stop the watchers, leave the streams and clear the timers: nothing
 * outlives the session.
 */
export class ResourceSubscriptions implements LiveLogs {
  private readonly watches = new Map<string, Watch>();
  private readonly streams = new Map<string, { subscription: RuntimeLogSubscription; watch: Watch }>();
  private readonly joining = new Map<string, Promise<void>>();
  private disposed = false;

  constructor(
    private readonly server: Server,
    private readonly deps: SubscriptionDeps,
  ) {}

  install(): void {
    this.server.setRequestHandler(SubscribeRequestSchema, async (request) => {
      await this.subscribe(request.params.uri);
      return {};
    });
    this.server.setRequestHandler(UnsubscribeRequestSchema, (request) => {
      this.unsubscribe(request.params.uri);
      return {};
    });
  }

  /** Number of live watchers and streams (for tests and diagnostics). */
  get size(): number {
    return this.watches.size + this.streams.size;
  }

  /** Resolves once the watcher is in place (a host build may first be looked up on the host). */
  async subscribe(uri: string): Promise<void> {
    if (this.disposed) throw new McpError(ErrorCode.ConnectionClosed, 'The session is closed.');
    const logs = APP_LOGS.exec(uri);
    if (logs) return this.joinStream(uri, decoded(logs[1] as string));
    const match = SUBSCRIBABLE.exec(uri);
    if (!match) {
      throw new McpError(
        ErrorCode.InvalidParams,
        `Cannot subscribe to ${uri.length > 200 ? `${uri.slice(0, 200)}…` : uri}: only dokku://deployment/{id}, dokku://deployment/{id}/logs and dokku://app/{name}/logs send update notifications. Poll other resources by reading them again.`,
      );
    }
    if (this.watches.has(uri)) return; // subscribing twice is one subscription
    const watch: Watch = { stop: () => undefined };
    // Taken at once, so that a second subscribe while the first looks the deployment up is the same subscription.
    this.watches.set(uri, watch);
    try {
      const stop = await this.deps.watchDeployment.execute(this.deps.caller, { deploymentId: decoded(match[1] as string) }, (d) =>
        this.changed(uri, watch, d),
      );
      if (this.watches.get(uri) !== watch) return stop(); // unsubscribed (or disposed) meanwhile
      watch.stop = stop;
    } catch (error) {
      if (this.watches.get(uri) === watch) this.watches.delete(uri);
      if (isDomainError(error)) {
        const code = error.code === 'HOST_UNREACHABLE' || error.code === 'STATE_STORE_UNAVAILABLE' ? ErrorCode.InternalError : ErrorCode.InvalidParams;
        throw new McpError(code, await describeRedacted(error, (text) => this.deps.sanitizer.redact(text)));
      }
      throw error;
    }
  }

  unsubscribe(uri: string): void {
    const joining = this.joining.get(uri);
    if (joining) void joining.then(() => this.unsubscribe(uri), () => undefined);
    const stream = this.streams.get(uri);
    if (stream) {
      this.streams.delete(uri);
      this.release(stream.watch);
      stream.subscription.close();
    }
    const watch = this.watches.get(uri);
    if (!watch) return;
    this.watches.delete(uri);
    this.release(watch);
  }

  read(appName: string, lines: number): LiveLogsRead | undefined {
    const stream = this.streams.get(`dokku://app/${appName}/logs`) ?? this.streams.get(`dokku://app/${encodeURIComponent(appName)}/logs`);
    if (!stream) return undefined;
    // What came since this session's last read and is not shown: lost to the buffer, or beyond the window.
    const since = stream.subscription.catchUp();
    const items = stream.subscription.latest(lines);
    const shown = Math.min(since.lines - since.dropped, items.filter((item) => item.type === 'line').length);
    return { items, missed: since.lines - shown };
  }

  /**
   * Sends resources/updated for every URI the session is subscribed to, ended deployments included: after a resumed
   * stream lost events, the client re-reads each resource instead of trusting what it last saw.
   */
  notifyAll(): void {
    for (const uri of [...this.watches.keys(), ...this.streams.keys()]) this.notify(uri);
  }

  dispose(): void {
    this.disposed = true;
    for (const watch of this.watches.values()) this.release(watch);
    this.watches.clear();
    for (const { subscription, watch } of this.streams.values()) {
      this.release(watch);
      subscription.close();
    }
    this.streams.clear();
  }

  private joinStream(uri: string, appName: string): Promise<void> {
    if (this.streams.has(uri)) return Promise.resolve(); // subscribing twice is one subscription
    const pending = this.joining.get(uri);
    if (pending) return pending;
    const watch: Watch = { stop: () => undefined };
    const joined = this.deps.subscribeRuntimeLogs
      .execute(this.deps.caller, { appName, onAvailable: () => this.debounced(uri, watch) })
      .then(
        (subscription) => {
          if (this.disposed || this.streams.has(uri)) return subscription.close();
          this.streams.set(uri, { subscription, watch });
        },
        async (error: unknown) => {
          if (!isDomainError(error)) throw error;
          // A missing or refused app has no config to read (and a refused one must not make us ask the host).
          const appValues = this.deps.redactFor && error.code !== 'APP_NOT_FOUND' && error.code !== 'ACCESS_DENIED' && !isDenial(error);
          const redact = (text: string) => (appValues ? this.deps.redactFor!(appName, text) : this.deps.sanitizer.redact(text));
          throw new McpError(ErrorCode.InvalidParams, await describeRedacted(error, redact));
        },
      )
      .finally(() => this.joining.delete(uri));
    this.joining.set(uri, joined);
    return joined;
  }

  private changed(uri: string, watch: Watch, deployment: Deployment): void {
    if (!deployment.isActive) {
      // The end is news worth sending now; nothing will change afterwards, so the watcher can go.
      if (watch.timer) clearTimeout(watch.timer);
      watch.timer = undefined;
      watch.stop();
      this.notify(uri);
      return;
    }
    this.debounced(uri, watch);
  }

  private debounced(uri: string, watch: Watch): void {
    if (watch.timer) return; // trailing debounce: the pending notification will cover this change too
    watch.timer = setTimeout(() => {
      watch.timer = undefined;
      this.notify(uri);
    }, this.deps.debounceMs ?? UPDATE_DEBOUNCE_MS);
    watch.timer.unref?.();
  }

  private notify(uri: string): void {
    if (this.disposed || (!this.watches.has(uri) && !this.streams.has(uri))) return;
    this.server.sendResourceUpdated({ uri }).catch((error: unknown) => {
      this.deps.logger.debug('could not send resources/updated', { uri, error: String(error) });
    });
  }

  private release(watch: Watch): void {
    if (watch.timer) clearTimeout(watch.timer);
    watch.timer = undefined;
    watch.stop();
  }
}

/** A malformed %-escape is just a wrong id: let the use case say so, rather than throwing URIError. */
function decoded(raw: string): string {
  try {
    return decodeURIComponent(raw);
  } catch {
    return raw;
  }
}
