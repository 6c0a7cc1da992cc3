import type { ClientChannel } from 'ssh2';
import { HostNotUsable, HostUnreachable, LimitExceeded } from '../../../domain/domain-errors.js';
import type { Logger } from '../../../ports/logger.port.js';
import { ChannelSlots, RESERVED_FOR_DEPLOY, RESERVED_FOR_SHORT, SlotWaitTimeout, type SlotKind } from './channel-slots.js';
import { openSession, type PtyKind } from './open-session.js';

import { runExec, runStream, type Opened, type ExecOptions, type ExecResult, type StreamHandle, type StreamOptions } from './ssh-channel.js';
import { NotRetryable, openLink, Transient, type Link } from './ssh-link.js';
import { sshTarget, type SshOptions } from './ssh-options.js';

export type { ExecOptions, ExecResult, StreamEnd, StreamHandle, StreamOptions } from './ssh-channel.js';

const FIRST_RETRY_MS = 100;
const MAX_RETRY_MS = 2_000;
/** How often, and after how long, a refused channel open is tried again while the slot is kept. */
const OPEN_RETRIES = 8;
const retryDelay = (attempt: number): number => Math.min(10 * 2 ** (attempt - 1), 50);
const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));
/** What to do when Dokku does not answer in time (a busy host, or a wedged docker under it). */
const SLOW_HOST_HINT =
  'Dokku did not answer in time: the host may be overloaded or a docker command under Dokku may be stuck. Try again ' +
  'shortly; if it keeps happening, check the host (`docker ps` there) or raise ssh.command_timeout_ms.';

/**
 * The one SSH connection to the Dokku host, shared by every session and multiplexing channels. Opened on first use;
 * after a loss the next use reconnects, retrying transient failures with backoff for one connectTimeoutMs (one attempt
 * at a time: callers arriving meanwhile await the same attempt). A failed attempt is the answer to every call until
 * connectTimeoutMs after it began, so a dead or refusing host costs one handshake per period, not one per call; a
 * host key that does not match its pin is refused for the life of the process.
 */
export class SshConnection {
  readonly target: string;
  private readonly slots: ChannelSlots;
  private link?: Link;
  private connecting?: Promise<Link>;
  private generation = 0;
  private attempts = 0;
  private isClosed = false;
  /** The last failed connect, answered to every call until `until` (Infinity after a host-key mismatch). */
  private refusal?: { until: number; error: HostUnreachable };
  /** Open channels and how to end each (a stream through its handle, so it reports `closed`). */
  private readonly open = new Map<ClientChannel, () => void>();
  /** Retired connections still serving their live channels. */
  private readonly draining = new Set<Link>();
  private readonly memo = new Map<string, { generation: number; value: Promise<unknown> }>();

  constructor(
    readonly options: SshOptions,
    private readonly logger: Logger,
  ) {
    this.target = sshTarget(options);
    this.slots = new ChannelSlots(options.maxChannels);
    if (!options.strictHostKey && !options.knownHosts && !options.hostKeyFingerprint) {
      logger.warn('ssh.strict_host_key is false: the Dokku host key is NOT verified', { target: this.target });
    }
  }

  get channelsInUse(): number {
    return this.slots.channelsInUse;
  }
  get maxChannelsSeen(): number {
    return this.slots.maxChannelsSeen;
  }
  get longLivedChannelsInUse(): number {
    return this.slots.longLivedInUse;
  }
  /** Channels given up on (timed out) that sshd has not closed yet, on every connection still open. */
  get wedgedChannels(): number {
    let wedged = this.link && !this.link.lost ? this.link.wedged : 0;
    for (const link of this.draining) wedged += link.wedged;
    return wedged;
  }
  /** Channels waiting for a free slot. */
  get queued(): number {
    return this.slots.waiting;
  }
  get connected(): boolean {
    return this.link !== undefined && !this.link.lost;
  }
  /** Connections established so far (1 after the first connect, +1 per reconnect). */
  get connections(): number {
    return this.generation;
  }
  /** Handshakes attempted so far, successful or not. */
  get connectAttempts(): number {
    return this.attempts;
  }

  /**
   * Runs a short command; output is bounded (16 MB per stream). It answers within its timeout, counted from this call:
   * waiting for a slot, connecting and opening the channel included. Fails with HostUnreachable or LimitExceeded.
   */
  async exec(command: string, options: Partial<ExecOptions> = {}): Promise<ExecResult> {
    const timeoutMs = options.timeoutMs ?? this.options.commandTimeoutMs;
    const deadline = Date.now() + timeoutMs;
    // A raw pty, so that a command given up on at its deadline is hung up (SIGHUP) rather than left running on the host;
    // not with stdin to send: a tty would mangle it (line editing, ^D, a 4 KiB line limit).
    const pty = options.stdin === undefined ? 'raw' : false;
    const { opened, link } = await this.openChannel(command, 'short', pty, deadline, timeoutMs);
    return runExec(opened, link, this.target, { stdin: options.stdin, merged: pty !== false, deadline, timeoutMs, hint: SLOW_HOST_HINT });
  }

  /**
   * Opens a long-lived channel whose output goes to the callbacks as it arrives. Rejects with LimitExceeded when the
   * long-lived slots (maxChannels - 2) are all taken (for a follower: all but the one kept for a deploy),
   * HostUnreachable when the host cannot be reached.
   */
  async stream(command: string, options: StreamOptions): Promise<StreamHandle> {
    if (this.slots.longLivedFull) {
      throw new LimitExceeded(
        `All ${this.options.maxChannels - RESERVED_FOR_SHORT} long-lived SSH channels (deploys and log followers) are in use (ssh.max_channels = ${this.options.maxChannels}).`,
        'Wait for a deploy to finish or stop following a log, then try again (or raise ssh.max_channels).',
      );
    }
    if (options.follower && this.slots.followersFull) {
      throw new LimitExceeded(
        `No SSH channel is free for another log follower: ${this.longLivedChannelsInUse} of ${this.options.maxChannels - RESERVED_FOR_SHORT} long-lived channels are in use, and ${RESERVED_FOR_DEPLOY} is kept for a deploy (ssh.max_channels = ${this.options.maxChannels}).`,
        'Stop following another app\'s logs, poll with get_runtime_logs instead, or raise ssh.max_channels.',
      );
    }
    const timeoutMs = this.options.commandTimeoutMs;
    const kind: SlotKind = options.follower ? 'follower' : 'long';
    const { opened, link } = await this.openChannel(command, kind, options.pty ? 'terminal' : false, Date.now() + timeoutMs, timeoutMs);
    const handle = runStream(opened, link, options);
    // Through the handle, so close() makes it report `closed` (unless it already ended in the same tick).
    if (this.open.has(opened.channel)) this.open.set(opened.channel, () => handle.close());
    return handle;
  }

  /** A value computed once per connection (e.g. the Dokku version), recomputed after a reconnect. */
  async oncePerConnection<T>(key: string, compute: () => Promise<T>): Promise<T> {
    const { generation } = await this.ready();
    const cached = this.memo.get(key);
    if (cached && cached.generation === generation) return cached.value as Promise<T>;
    const value = compute();
    this.memo.set(key, { generation, value });
    value.catch(() => this.memo.get(key)?.value === value && this.memo.delete(key));
    return value;
  }

  /** Ends every channel and the connection; later calls fail with HostUnreachable. */
  async close(): Promise<void> {
    this.isClosed = true;
    for (const close of this.open.values()) close();
    const link = this.link ?? (await this.connecting?.catch(() => undefined));
    for (const retired of this.draining) {
      retired.closing = true;
      retired.ssh.dispose();
    }
    if (link) link.closing = true;
    link?.ssh.dispose();
    this.link = undefined;
  }

  /**
   * A slot, a connection and an open channel, all by `deadline`. A connection whose wedged channels (given up on, but
   * still held by sshd until their remote exits) would leave no room is retired: new work goes to a fresh connection.
   */
  private async openChannel(
    command: string,
    kind: SlotKind,
    pty: PtyKind,
    deadline: number,
    timeoutMs: number,
  ): Promise<{ opened: Opened; link: Link }> {
    let release: () => void;
    const busy = `one of the ${this.options.maxChannels} SSH channels, all busy with slower commands`;
    try {
      release = await this.slots.acquire(kind, deadline);
    } catch (error) {
      if (!(error instanceof SlotWaitTimeout)) throw error;
      throw new HostUnreachable(this.target, `the command got no complete answer within ${timeoutMs} ms (it waited for ${busy})`, SLOW_HOST_HINT);
    }
    // Most of its time spent queued for a slot: if no connection is ready in what is left (the slot came with a
    // connection full of channels given up on, so a fresh one is needed), the wait for the slot is what to report.
    const queuedMs = Date.now() - (deadline - timeoutMs);
    const lateConnection =
      queuedMs * 2 >= timeoutMs
        ? `the command got no complete answer within ${timeoutMs} ms (it waited ${queuedMs} ms for ${busy}, then for a fresh SSH connection)`
        : `no SSH connection within ${timeoutMs} ms`;
    for (let attempt = 1; ; ) {
      let link: Link;
      try {
        link = await this.readyBy(deadline, lateConnection);
      } catch (error) {
        release();
        throw error;
      }
      if (link.live + link.wedged >= this.options.maxChannels) {
        this.retire(link);
        continue;
      }
      link.live++; // the open counts as a session at sshd from now on
      try {
        const request = { command, pty, deadline, timeoutMs, target: this.target, hint: SLOW_HOST_HINT };
        const session = await openSession(link, request, (channel) => this.lateOpen(link, channel));
        return { opened: { ...session, abandon: this.track(link, session.channel, release) }, link };
      } catch (error) {
        link.live--;
        if (error instanceof HostUnreachable) {
          // Timed out: sshd may still open it. Until it answers, it counts against the connection, not against us.
          link.wedged++;
          release();
          this.disposeIfDrained(link);
          throw error;
        }
        // Another caller may have retired the connection while this open was pending: it may be drained now.
        this.disposeIfDrained(link);
        // The command never started, so trying once more on a fresh connection is safe.
        if (attempt++ === 1 && (link.lost || /Not connected|No response/i.test(String(error)))) continue;
        // sshd frees a closed session only on its next cleanup pass: right after a burst of closes it may refuse an
        // open ("open failed") although we hold fewer than MaxSessions. The command never started; wait a moment.
        if (/open failed|no more sessions/i.test(String(error)) && attempt <= OPEN_RETRIES + 1 && Date.now() + retryDelay(attempt - 1) < deadline) {
          await sleep(retryDelay(attempt - 1));
          continue;
        }
        release();
        throw new HostUnreachable(this.target, `could not open an SSH channel: ${(error as Error).message}`);
      }
    }
  }

  /** Ties the slot to the channel's life, and returns how to give up on it (see Opened.abandon). */
  private track(link: Link, channel: ClientChannel, release: () => void): () => void {
    let state: 'live' | 'abandoned' | 'closed' = 'live';
    this.open.set(channel, () => channel.close());
    channel.once('close', () => {
      this.open.delete(channel);
      if (state === 'live') {
        link.live--;
        release();
      } else if (state === 'abandoned') {
        link.wedged--;
      }
      state = 'closed';
      this.disposeIfDrained(link);
    });
    return () => {
      if (state !== 'live') return;
      state = 'abandoned';
      link.live--;
      link.wedged++;
      release();
      this.open.delete(channel);
      // OpenSSH refuses signals for forced-command sessions (every Dokku login), but another sshd may honour it. Closing
      // the channel hangs up a pty (the remote gets SIGHUP: every short command has one); without a pty it closes the
      // remote's pipes, and the remote ends at its next write (SIGPIPE) or when it exits by itself.
      try {
        channel.signal('TERM');
      } catch {
        // The channel may already be closing.
      }
      channel.close();
      this.disposeIfDrained(link);
    };
  }

  /** An open we had given up on was answered after all: close the channel; it stops counting once sshd agrees. */
  private lateOpen(link: Link, channel: ClientChannel | undefined): void {
    if (!channel) {
      link.wedged--;
      return this.disposeIfDrained(link);
    }
    channel.once('close', () => {
      link.wedged--;
      this.disposeIfDrained(link);
    });
    channel.close();
  }

  /** No new channel goes to `link`; it closes once its own live channels end (wedged ones go with it). */
  private retire(link: Link): void {
    if (link.retired) return;
    link.retired = true;
    this.draining.add(link);
    if (this.link === link) this.link = undefined;
    this.logger.info('SSH connection has channels that never closed; new commands go to a fresh connection', {
      target: this.target,
      connection: link.generation,
      wedged: link.wedged,
      live: link.live,
    });
    this.disposeIfDrained(link);
  }

  private disposeIfDrained(link: Link): void {
    if (!link.retired || link.live > 0 || link.lost || link.closing) return;
    this.draining.delete(link);
    link.closing = true;
    link.ssh.dispose();
  }

  /** The connection, or HostUnreachable(lateReason) once `deadline` passes (the attempt goes on for whoever waits longer). */
  private readyBy(deadline: number, lateReason: string): Promise<Link> {
    let timer: NodeJS.Timeout | undefined;
    const late = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new HostUnreachable(this.target, lateReason, SLOW_HOST_HINT)), Math.max(deadline - Date.now(), 1));
    });
    const ready = this.ready();
    ready.catch(() => undefined);
    return Promise.race([ready, late]).finally(() => clearTimeout(timer));
  }

  private ready(): Promise<Link> {
    if (this.isClosed) return Promise.reject(new HostUnreachable(this.target, 'the SSH connection was closed'));
    if (this.link && !this.link.lost) return Promise.resolve(this.link);
    if (this.refusal && Date.now() < this.refusal.until) return Promise.reject(this.refusal.error);
    this.connecting ??= this.connectWithRetry().finally(() => (this.connecting = undefined));
    return this.connecting;
  }

  private async connectWithRetry(): Promise<Link> {
    const started = Date.now();
    const deadline = started + this.options.connectTimeoutMs;
    const fail = (error: HostUnreachable, permanent = false): HostUnreachable => {
      this.refusal = { until: permanent ? Infinity : started + this.options.connectTimeoutMs, error };
      return error;
    };
    for (let delay = FIRST_RETRY_MS; ; delay = Math.min(delay * 2, MAX_RETRY_MS)) {
      this.attempts++;
      try {
        const link = await openLink(this.options, this.generation + 1, Math.max(deadline - Date.now(), 1), this.logger, (lost) =>
          this.onLost(lost),
        );
        if (this.isClosed) {
          link.ssh.dispose();
          throw new HostUnreachable(this.target, 'the SSH connection was closed');
        }
        this.generation = link.generation;
        this.link = link;
        this.refusal = undefined;
        this.logger.info('SSH connected', { target: this.target, connection: this.generation });
        return link;
      } catch (error) {
        if (error instanceof HostUnreachable) throw error;
        if (error instanceof NotRetryable) {
          this.logger.error('SSH connection refused', { target: this.target, reason: error.message });
          throw fail(new HostNotUsable(this.target, error.message, error.hint), error.permanent);
        }
        const reason = (error as Error).message;
        const hint = error instanceof Transient ? error.hint : HostUnreachable.DEFAULT_HINT;
        // Retries fill one connect timeout and no more: the last sleep is cut to the deadline, then one last try.
        const left = deadline - Date.now();
        if (this.isClosed || left <= 0) throw fail(new HostUnreachable(this.target, reason, hint));
        this.logger.info('SSH connect failed; retrying', { target: this.target, reason, inMs: Math.min(delay, left) });
        await sleep(Math.min(delay, left));
        if (Date.now() >= deadline) throw fail(new HostUnreachable(this.target, reason, hint));
      }
    }
  }

  private onLost(link: Link): void {
    this.draining.delete(link);
    if (this.link === link) this.link = undefined;
    if (!this.isClosed && !link.closing) this.logger.warn('SSH connection lost; the next command reconnects', { target: this.target });
  }
}
