/**
 * Counts the channels open on the one SSH connection. sshd refuses sessions beyond MaxSessions (10 by default), so at
 * most `max` are open; further requests wait in FIFO order. Long-lived channels (deploys, log followers) hold a slot
 * for minutes, so they may never occupy the last two: a short command always finds a slot soon.
 */
export const RESERVED_FOR_SHORT = 2;

interface Waiter {
  readonly longLived: boolean;
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

  /**
   * Resolves with a release function once a slot is free. The release is idempotent. With a `deadline` (epoch ms), a
   * caller still queued then is removed and rejected with SlotWaitTimeout: queue time counts against its deadline.
   */
  acquire(longLived: boolean, deadline?: number): Promise<() => void> {
    return new Promise((resolve, reject) => {
      const started = Date.now();
      let timer: NodeJS.Timeout | undefined;
      const waiter: Waiter = {
        longLived,
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

  private fits(longLived: boolean): boolean {
    return this.inUse < this.max && (!longLived || !this.longLivedFull);
  }

  /** FIFO, except that a long-lived waiter that cannot fit never blocks the short commands queued behind it. */
  private drain(): void {
    for (let i = 0; i < this.queue.length && this.inUse < this.max; ) {
      const waiter = this.queue[i]!;
      if (!this.fits(waiter.longLived)) {
        i++;
        continue;
      }
      this.queue.splice(i, 1);
      this.inUse++;
      if (waiter.longLived) this.longInUse++;
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
