import { injectable } from 'inversify';
import type { AppName } from '../../domain/app-name.js';

export type ContainerChangeListener = (app: string, reason: string) => void;
export type FollowListener = (app: string) => void;

/**
 * Tells whoever follows an app's logs that the app's containers may have changed: Dokku's `logs --tail` keeps
 * following the containers that existed when it started, so after a deploy, restart, rebuild, scale, start, stop or
 * destroy the follower must start again to see what runs now. Our own operations report here when they end
 * (DeploymentRunner, StopApp, DestroyApp), and say when one begins (`begin`); HostChangeWatch reports the changes
 * made outside this server the same way. Followers say here when they start following an app's current containers
 * and when they stop, so that the watch knows what to compare with and when to stop.
 */
@injectable()
export class ContainerChanges {
  private readonly listeners = new Set<ContainerChangeListener>();
  private readonly followStartListeners = new Set<FollowListener>();
  private readonly followEndListeners = new Set<FollowListener>();
  /** Our own operations under way, per app (each reports `replaced` when it ends). */
  private readonly underway = new Map<string, number>();

  /** The app's containers were (or may have been) replaced; `reason` says by what, e.g. "restart succeeded". */
  replaced(app: AppName, reason: string): void {
    notify(this.listeners, (listener) => listener(app.value, reason));
  }

  /** Returns the function that removes the listener. */
  onReplaced(listener: ContainerChangeListener): () => void {
    return add(this.listeners, listener);
  }

  /**
   * An operation of ours that may replace the app's containers begins (it reports `replaced` when it ends): until the
   * returned function is called, a change seen on the host is its own, not one made outside this server. Idempotent.
   */
  begin(app: AppName): () => void {
    this.underway.set(app.value, (this.underway.get(app.value) ?? 0) + 1);
    let ended = false;
    return () => {
      if (ended) return;
      ended = true;
      const left = (this.underway.get(app.value) ?? 1) - 1;
      if (left > 0) this.underway.set(app.value, left);
      else this.underway.delete(app.value);
    };
  }

  /** Whether an operation of ours on the app is under way (between `begin` and its end). */
  changing(app: string): boolean {
    return this.underway.has(app);
  }

  /** A follower started following the app's current containers (its first follow, or again after a restart). */
  followStarted(app: AppName): void {
    notify(this.followStartListeners, (listener) => listener(app.value));
  }

  /** The app's follower is over: nobody follows the app now. */
  followEnded(app: AppName): void {
    notify(this.followEndListeners, (listener) => listener(app.value));
  }

  onFollowStarted(listener: FollowListener): () => void {
    return add(this.followStartListeners, listener);
  }

  onFollowEnded(listener: FollowListener): () => void {
    return add(this.followEndListeners, listener);
  }
}

function add<T>(set: Set<T>, listener: T): () => void {
  set.add(listener);
  return () => void set.delete(listener);
}

function notify<T>(set: ReadonlySet<T>, call: (listener: T) => void): void {
  for (const listener of [...set]) {
    try {
      call(listener);
    } catch {
      // A listener's failure is its own; whoever reported the change is done.
    }
  }
}
