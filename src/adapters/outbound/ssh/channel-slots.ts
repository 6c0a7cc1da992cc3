/**
 * Counts the channels open on the one SSH connection. sshd refuses sessions beyond MaxSessions (10 by default), so at
 * most `max` are open; further requests wait in FIFO order. Long-lived channels (deploys, log followers) hold a slot
 * for minutes, so they may never occupy the last two: a short command always finds a slot soon.
 */
export const RESERVED_FOR_SHORT = 2;
/**
 * Log followers run for as long as someone watches: they must not be what keeps a deploy from starting. A follower is
 * admitted only while one more long-lived slot stays free after it, so a deploy always finds one.
 */
export const RESERVED_FOR_DEPLOY = 1;

/** short: a command that answers in seconds; long: a deploy; follower: a log follower (long-lived too). */
export type SlotKind = 'short' | 'long' | 'follower';

interface Waiter {
  readonly kind: SlotKind;
  readonly grant: () => void;
}

/** No slot became free before the caller's deadline; the caller was taken out of the queue. */
export class SlotWaitTimeout extends Error {
  constructor(readonly waitedMs: number) {
    super(`no SSH channel became free within ${waitedMs} ms`);
    this.name = 'SlotWaitTimeout';
  }
}

export class ChannelSlots {
  private inUse = 0;
  private longInUse = 0;
  private seen = 0;
  private readonly queue: Waiter[] = [];

  constructor(readonly max: number) {
    if (!Number.isInteger(max) || max < RESERVED_FOR_SHORT + 1) {
      throw new RangeError(`maxChannels must be an integer >= ${RESERVED_FOR_SHORT + 1}, got ${max}`);
    }
  }

  get channelsInUse(): number {
    return this.inUse;
  }
  get longLivedInUse(): number {
    return this.longInUse;
  }
  get maxChannelsSeen(): number {
    return this.seen;
  }
  get waiting(): number {
    return this.queue.length;
  }
  /** Long-lived slots are all taken by other long-lived channels (they free up only when a deploy or follower ends). */
  get longLivedFull(): boolean {
    return this.longInUse >= this.max - RESERVED_FOR_SHORT;
  }
  /** No follower may start now: it would take the last long-lived slot a deploy could use (or there is none). */
  get followersFull(): boolean {
    return this.longInUse >= this.max - RESERVED_FOR_SHORT - RESERVED_FOR_DEPLOY;
  }
  /** How many log followers could hold a slot at once when no deploy runs. */
  get maxFollowers(): number {
    return Math.max(0, this.max - RESERVED_FOR_SHORT - RESERVED_FOR_DEPLOY);
  }

  /**
   * Resolves with a release function once a slot is free. The release is idempotent. With a `deadline` (epoch ms), a
   * caller still queued then is removed and rejected with SlotWaitTimeout: queue time counts against its deadline.
   */
  acquire(kind: SlotKind, deadline?: number): Promise<() => void> {
    const longLived = kind !== 'short';
    return new Promise((resolve, reject) => {
      const started = Date.now();
      let timer: NodeJS.Timeout | undefined;
      const waiter: Waiter = {
        kind,
        grant: () => {
          clearTimeout(timer);
          resolve(this.releaser(longLived));
        },
      };
      this.queue.push(waiter);
      this.drain();
      if (deadline === undefined || !this.queue.includes(waiter)) return;
      timer = setTimeout(() => {
        const at = this.queue.indexOf(waiter);
        if (at === -1) return; // granted in the same tick
        this.queue.splice(at, 1);
        reject(new SlotWaitTimeout(Date.now() - started));
      }, Math.max(deadline - Date.now(), 0));
    });
  }

  private fits(kind: SlotKind): boolean {
    if (this.inUse >= this.max) return false;
    return kind === 'short' || (kind === 'long' ? !this.longLivedFull : !this.followersFull);
  }

  /** FIFO, except that a long-lived waiter that cannot fit never blocks the short commands queued behind it. */
  private drain(): void {
    for (let i = 0; i < this.queue.length && this.inUse < this.max; ) {
      const waiter = this.queue[i]!;
      if (!this.fits(waiter.kind)) {
        i++;
        continue;
      }
      this.queue.splice(i, 1);
      this.inUse++;
      if (waiter.kind !== 'short') this.longInUse++;
      this.seen = Math.max(this.seen, this.inUse);
      waiter.grant();
    }
  }

  private releaser(longLived: boolean): () => void {
    let released = false;
    return () => {
      if (released) return;
      released = true;
      this.inUse--;
      if (longLived) this.longInUse--;
      this.drain();
    };
  }
}
