import { droppedLinesMarker, gapMarker, type BuildLog, type BuildLogRead } from '../../../domain/build-log.js';
import { Deployment, type DeploymentRecord } from '../../../domain/deployment.js';
import { StateStoreUnavailable } from '../../../domain/domain-errors.js';
import type { DeploymentFilter, DeploymentStore } from '../../../ports/deployment-store.port.js';
import type { Logger } from '../../../ports/logger.port.js';
import type { RedisConnection } from './redis-connection.js';

export interface RedisDeploymentStoreOptions {
  /** logs.build.retention_minutes: a finished deployment's keys expire this long after it finished. */
  readonly retentionMs: number;
  /** logs.build.max_deployments, for the whole cluster. */
  readonly maxDeployments: number;
  /** logs.build.max_size_mb per deployment, in bytes. */
  readonly maxLogBytes: number;
  /** An active deployment's keys expire this long after its last write (a cluster gone entirely leaves nothing for long). */
  readonly activeTtlMs?: number;
  /** How often a writer tries again while the store does not answer. */
  readonly retryMs?: number;
}

type Listener = (deployment: Deployment) => void;
type WriteMode = 'add' | 'create' | 'append' | 'record';

/** A deployment this instance writes: its log, and how much of it Redis holds. */
interface Writer {
  readonly deployment: Deployment;
  readonly log: BuildLog;
  /** Offset up to which the log was handed to Redis. */
  shipped: number;
  /** False once Redis answered that it lost the deployment (restarted empty): it is created again from the log. */
  synced: boolean;
  dirty: boolean;
  waiters: Array<() => void>;
  draining?: Promise<void>;
  unreachable?: boolean;
}

interface Watched {
  readonly listeners: Set<Listener>;
  readonly unsubscribe: Promise<() => Promise<void>>;
}

const BLOCK_BYTES = 16 * 1024;
const DAY_MS = 24 * 60 * 60_000;
const NEWLINE = 0x0a;
const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms).unref());

/**
 * Deployments and their build logs in Redis, for every instance (store.type: redis); see redis-deployment-scripts.ts
 * for the keys. The instance running a deploy writes it: each change hands the log's new whole lines over as blocks
 * at their byte offsets, with the record, in one script that also publishes the change. While Redis does not answer,
 * the writer's own BuildLog (capped at logs.build.max_size_mb) is the buffer: it retries until Redis answers, and
 * what its cap dropped meanwhile is a gap that readers are told about. Readers on every instance read records and
 * logs by offset from Redis, and watch a deployment over pub/sub.
 */
export class RedisDeploymentStore implements DeploymentStore {
  private readonly writers = new Map<string, Writer>();
  private readonly watched = new Map<string, Watched>();
  private readonly activeTtlMs: number;
  private readonly retryMs: number;
  private closed = false;

  constructor(
    private readonly redis: RedisConnection,
    private readonly options: RedisDeploymentStoreOptions,
    private readonly logger: Logger,
  ) {
    this.activeTtlMs = options.activeTtlMs ?? DAY_MS;
    this.retryMs = options.retryMs ?? 250;
  }

  async add(deployment: Deployment, log: BuildLog): Promise<boolean> {
    const { start, text } = log.slice(0);
    const [status, end] = await this.write(deployment, 'add', start, log.droppedLines, text);
    if (status !== 1) return false;
    deployment.logGrew(Number(end));
    if (deployment.isActive) {
      this.writers.set(deployment.key, { deployment, log, shipped: start + Buffer.byteLength(text), synced: true, dirty: false, waiters: [] });
    }
    return true;
  }

  async get(id: string): Promise<Deployment | undefined> {
    const reply = await this.redis.run((client) => client.deploymentGet(this.redis.key(''), id));
    return reply ? this.parse(reply[0], reply[1], reply[2]) : undefined;
  }

  async list(filter: DeploymentFilter = {}): Promise<Deployment[]> {
    const reply = await this.redis.run((client) => client.deploymentList(this.redis.key('deps'), this.redis.key('')));
    const found: Deployment[] = [];
    for (let i = 0; i + 2 < reply.length; i += 3) {
      const d = this.parse(reply[i] as string, reply[i + 1] as string, reply[i + 2] as string);
      if (d && (filter.app === undefined || d.app.value === filter.app) && (!filter.activeOnly || d.isActive)) found.push(d);
    }
    return found;
  }

  changed(deployment: Deployment): Promise<void> {
    const writer = this.writers.get(deployment.key);
    if (writer?.deployment !== deployment) return this.recordOnly(deployment);
    writer.dirty = true;
    return new Promise((resolve) => {
      writer.waiters.push(resolve);
      writer.draining ??= this.drain(writer);
    });
  }

  async requestCancel(id: string, requested: boolean): Promise<void> {
    const key = (await this.get(id))?.key ?? id;
    await this.redis.run((client) => client.deploymentCancel(this.hash(key), requested));
  }

  async watch(id: string, listener: Listener): Promise<() => void> {
    const key = (await this.get(id))?.key ?? id;
    let watched = this.watched.get(key);
    if (!watched) {
      const entry: Watched = {
        listeners: new Set(),
        unsubscribe: this.redis.subscribe(this.channel(key), (message) => this.dispatch(key, message), () => void this.resync(key)),
      };
      entry.unsubscribe.catch(() => {
        if (this.watched.get(key) === entry) this.watched.delete(key);
      });
      this.watched.set(key, (watched = entry));
    }
    const entry = watched;
    await entry.unsubscribe;
    entry.listeners.add(listener);
    return () => {
      entry.listeners.delete(listener);
      if (entry.listeners.size > 0 || this.watched.get(key) !== entry) return;
      this.watched.delete(key);
      void entry.unsubscribe.then((unsubscribe) => unsubscribe(), () => undefined);
    };
  }

  async readLog(id: string, sinceOffset: number): Promise<BuildLogRead> {
    const since = Math.max(0, Math.floor(sinceOffset));
    const reply = await this.logReply(id, (key) => this.redis.run((client) => client.logRead([this.hash(key), this.stream(key)], since)));
    const end = Number(reply[0] ?? 0);
    if (reply.length === 0 || since >= end) return { text: '', nextOffset: Math.max(since, end), skippedBytes: 0 };
    const first = Number(reply[1]);
    const droppedLines = Number(reply[2]);
    const gapBytes = Number(reply[3]);
    const blocks: Array<{ start: number; text: string }> = [];
    for (let i = 4; i + 1 < reply.length; i += 2) blocks.push({ start: Number.parseInt(reply[i] as string, 10), text: reply[i + 1] as string });
    if (since < first) {
      const kept = joined(blocks, first);
      // A hole older than what the cap keeps is gone with it, but the reader is still told that output was lost.
      const older = gapBytes - kept.skipped;
      const marker = (older > 0 ? gapMarker(older) : '') + (droppedLines > 0 ? droppedLinesMarker(droppedLines, first, this.options.maxLogBytes) : '');
      return { text: marker + kept.text, nextOffset: end, skippedBytes: first - since + kept.skipped };
    }
    const { text, skipped } = joined(blocks, since);
    return { text, nextOffset: end, skippedBytes: skipped };
  }

  async tailLog(id: string, lines: number): Promise<string> {
    const want = Math.max(0, Math.floor(lines));
    if (want === 0) return '';
    const newestFirst = await this.logReply(id, (key) => this.redis.run((client) => client.logTail(this.stream(key), want)));
    const all = newestFirst.reverse().join('').split('\n').slice(0, -1);
    const kept = all.slice(Math.max(0, all.length - want));
    return kept.length ? `${kept.join('\n')}\n` : '';
  }

  /** Stops writing: waits a moment for writes in flight (a deploy's last words), then drops what could not be written. */
  async close(): Promise<void> {
    const pending = [...this.writers.values()].flatMap((w) => (w.draining ? [w.draining] : []));
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([Promise.all(pending), new Promise((resolve) => { timer = setTimeout(resolve, 1_000); })]);
    clearTimeout(timer);
    this.closed = true;
    for (const writer of this.writers.values()) for (const resolve of writer.waiters.splice(0)) resolve();
    for (const entry of this.watched.values()) void entry.unsubscribe.then((unsubscribe) => unsubscribe(), () => undefined);
    this.watched.clear();
  }

  /** Hands the writer's changes over until none are left; while Redis does not answer, tries again every retryMs. */
  private async drain(writer: Writer): Promise<void> {
    while (writer.dirty && !this.closed) {
      writer.dirty = false;
      const waiters = writer.waiters.splice(0);
      if (await this.flush(writer)) {
        for (const resolve of waiters) resolve();
        continue;
      }
      writer.dirty = true;
      writer.waiters.unshift(...waiters);
      await sleep(this.retryMs);
    }
    if (this.closed) for (const resolve of writer.waiters.splice(0)) resolve();
    writer.draining = undefined; // no await since the loop's last check: a change from now on starts a new drain
  }

  /** One write of what Redis lacks; false when Redis does not answer (nothing lost: the log still holds it). */
  private async flush(writer: Writer): Promise<boolean> {
    const d = writer.deployment;
    for (let attempt = 0; attempt < 2; attempt++) {
      const { start, text } = writer.log.slice(writer.synced ? writer.shipped : 0);
      let reply;
      try {
        reply = await this.write(d, writer.synced ? 'append' : 'create', start, writer.log.droppedLines, text);
      } catch (error) {
        if (!(error instanceof StateStoreUnavailable)) {
          this.logger.error('could not store a deployment', { deployment: d.id, error: String(error) });
          return true;
        }
        if (!writer.unreachable) {
          this.logger.warn('state store unreachable: keeping the deploy\'s output here and writing it when the store answers', { deployment: d.id, error: error.message });
        }
        writer.unreachable = true;
        return false;
      }
      if (writer.unreachable) this.logger.info('deployment written to the state store again', { deployment: d.id, gap: start > writer.shipped });
      writer.unreachable = false;
      const [status, end] = reply;
      if (status === -1) {
        writer.synced = false; // Redis lost it (restarted empty): create it again from what the log holds
        continue;
      }
      if (status === -2) {
        this.writers.delete(d.key);
        this.logger.warn('another instance settled this deployment while it was unreachable; its end here is not stored', { deployment: d.id, status: d.status });
        return true;
      }
      writer.synced = true;
      writer.shipped = start + Buffer.byteLength(text);
      d.logGrew(Number(end));
      if (!d.isActive) this.writers.delete(d.key);
      return true;
    }
    return true;
  }

  /** A change by an instance that does not write the deployment (it settles one whose writer is gone): once, never rejecting. */
  private async recordOnly(deployment: Deployment): Promise<void> {
    try {
      await this.write(deployment, 'record', 0, 0, '');
    } catch (error) {
      this.logger.warn('could not store a deployment', { deployment: deployment.id, error: String(error) });
    }
  }

  private write(d: Deployment, mode: WriteMode, start: number, droppedLines: number, text: string): Promise<Array<string | number | null>> {
    const key = d.key;
    const args = [
      this.redis.key(''), mode, key, d.id, JSON.stringify(d.toRecord()), d.isActive ? '1' : '0',
      String(d.isActive ? this.activeTtlMs : this.options.retentionMs), String(this.options.maxDeployments), String(this.options.maxLogBytes),
      String(start), String(droppedLines), this.channel(key), ...blocksOf(text, start),
    ];
    return this.redis.run((client) => client.deploymentWrite([this.hash(key), this.stream(key), this.redis.key('deps')], args));
  }

  /** The reply for the deployment's key; for an id that is not a key, for the key it names. */
  private async logReply(id: string, read: (key: string) => Promise<string[]>): Promise<string[]> {
    const reply = await read(id);
    if (reply.length > 0) return reply;
    const key = await this.redis.run((client) => client.get(this.redis.key('dep-id', id)));
    return key ? read(key) : reply;
  }

  private dispatch(key: string, message: string): void {
    const entry = this.watched.get(key);
    if (!entry) return;
    let deployment: Deployment | undefined;
    try {
      const { r, e, c } = JSON.parse(message) as { r: DeploymentRecord; e: number; c: number };
      deployment = Deployment.fromRecord(r, { cancelRequested: c === 1, logSize: e });
    } catch (error) {
      this.logger.warn('ignored a deployment change that does not parse', { deployment: key, error: String(error) });
      return;
    }
    this.tell(entry, deployment);
  }

  /** Back after the subscription was lost: changes may have been missed, so watchers are told how it stands now. */
  private async resync(key: string): Promise<void> {
    const entry = this.watched.get(key);
    const deployment = entry && (await this.get(key).catch(() => undefined));
    if (entry && deployment) this.tell(entry, deployment);
  }

  private tell(entry: Watched, deployment: Deployment): void {
    for (const listener of [...entry.listeners]) {
      try {
        listener(deployment);
      } catch {
        // One broken watcher must not stop the others.
      }
    }
  }

  private parse(record: string, end: string, cancel: string): Deployment | undefined {
    try {
      return Deployment.fromRecord(JSON.parse(record) as DeploymentRecord, { cancelRequested: cancel === '1', logSize: Number(end) });
    } catch (error) {
      this.logger.warn('ignored a stored deployment that does not parse', { error: String(error) });
      return undefined;
    }
  }

  private hash(key: string): string {
    return this.redis.key('dep', key);
  }
  private stream(key: string): string {
    return `${this.hash(key)}:log`;
  }
  private channel(key: string): string {
    return `${this.hash(key)}:changes`;
  }
}

/** Whole lines as blocks of at most BLOCK_BYTES (a longer line is a block of its own): start, lines, text for each. */
function blocksOf(text: string, start: number): string[] {
  if (text.length === 0) return [];
  const bytes = Buffer.from(text);
  const out: string[] = [];
  for (let at = 0; at < bytes.length; ) {
    let cut = bytes.length;
    if (bytes.length - at > BLOCK_BYTES) {
      const last = bytes.lastIndexOf(NEWLINE, at + BLOCK_BYTES - 1);
      cut = last >= at ? last + 1 : bytes.indexOf(NEWLINE, at + BLOCK_BYTES) + 1 || bytes.length;
    }
    const piece = bytes.subarray(at, cut);
    let lines = 0;
    for (let i = piece.indexOf(NEWLINE); i !== -1; i = piece.indexOf(NEWLINE, i + 1)) lines++;
    out.push(String(start + at), String(lines), piece.toString());
    at = cut;
  }
  return out;
}

/**
 * The text of the blocks from offset `from` on: a block holding `from` starts at its next whole line (or at `from`
 * when a line starts there), and a hole between blocks reads as the gap marker. `skipped`: the bytes of those holes.
 */
function joined(blocks: ReadonlyArray<{ start: number; text: string }>, from: number): { text: string; skipped: number } {
  const parts: string[] = [];
  let at = from;
  let skipped = 0;
  for (const block of blocks) {
    const bytes = Buffer.from(block.text);
    const end = block.start + bytes.length;
    if (end <= at) continue;
    if (block.start > at) {
      skipped += block.start - at;
      parts.push(gapMarker(block.start - at));
      at = block.start;
    }
    if (block.start < at) {
      const relative = at - block.start;
      const cut = bytes[relative - 1] === NEWLINE ? relative : bytes.indexOf(NEWLINE, relative) + 1 || bytes.length;
      parts.push(bytes.subarray(cut).toString());
    } else {
      parts.push(block.text);
    }
    at = end;
  }
  return { text: parts.join(''), skipped };
}
