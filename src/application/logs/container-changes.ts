import { injectable } from 'inversify';
import type { AppName } from '../../domain/app-name.js';

export type ContainerChangeListener = (app: string, reason: string) => void;

/**
 * Tells whoever follows an app's logs that the app's containers may have changed: Dokku's `logs --tail` keeps
 * following the containers that existed when it started, so after a deploy, restart, rebuild, scale, start, stop or
 * destroy the follower must start again to see what runs now. Our own operations report here when they end
 * (DeploymentRunner, StopApp, DestroyApp); a watcher of the host's build records can call `replaced` the same way for
 * deploys made on the host itself.
 */
@injectable()
export class ContainerChanges {
  private readonly listeners = new Set<ContainerChangeListener>();

  /** The app's containers were (or may have been) replaced; `reason` says by what, e.g. "restart succeeded". */
  replaced(app: AppName, reason: string): void {
    for (const listener of [...this.listeners]) {
      try {
        listener(app.value, reason);
      } catch {
        // A listener's failure is its own; the operation that reported the change is done.
      }
    }
  }

  /** Returns the function that removes the listener. */
  onReplaced(listener: ContainerChangeListener): () => void {
    this.listeners.add(listener);
    return () => void this.listeners.delete(listener);
  }
}
