import { inject, injectable } from 'inversify';
import type { AppName } from '../../domain/app-name.js';
import { Conflict, DeploymentAlreadyRunning } from '../../domain/domain-errors.js';
import { ClusterLock, type HeldLock } from '../../ports/cluster-lock.port.js';
import { DeploymentStore } from '../../ports/deployment-store.port.js';
import { Logger } from '../../ports/logger.port.js';

/** Held while a deployment runs; `release` frees the app for the next one (never throws, idempotent). */
export interface DeployLease {
  release(): Promise<void>;
}

/** How often a lease lost while the state store was unreachable tries to take its lock again. */
const RETAKE_MS = 250;

export const deployLockName = (app: string): string => `deploy:${app}`;
/** The holder of an app's lock while destroy_app runs (not a deployment: the store knows no such key). */
const DESTROY_HOLDER = 'destroy:';

/** The refusal of a change while destroy_app holds the app. */
export class AppBeingDestroyed extends Conflict {
  constructor(readonly app: string) {
    super(`App "${app}" is being destroyed (destroy_app is running), so it takes no change now.`, 'Call list_apps once it has finished to see whether the app is still there.');
    this.name = 'AppBeingDestroyed';
  }
}

/**
 * One tracked deployment per app across every instance that shares the store: the ClusterLock `deploy:<app>`, held by
 * the deployment's key from before anything reaches the host until its outcome is stored. A lease lost while the store
 * was unreachable (its expiry passed unrenewed) is taken again as soon as the store answers and nobody else holds it:
 * the deploy is still running, and its lock is how the other instances know that its instance lives.
 */
@injectable()
export class DeployLocks {
  constructor(
    @inject(ClusterLock) private readonly locks: ClusterLock,
    @inject(DeploymentStore) private readonly store: DeploymentStore,
    @inject(Logger) private readonly logger: Logger,
  ) {}

  /**
   * Takes the app's lock for deployment `key`; DeploymentAlreadyRunning naming the running deployment (its current id)
   * when another holds it, StateStoreUnavailable when the store does not answer.
   */
  /**
   * Holds the app for destroy_app (`id`: unique to the call), so no deploy of it can start meanwhile, and a destroy
   * meets a deploy that has begun with DeploymentAlreadyRunning: of the two issued together, exactly one goes ahead.
   */
  /** Whether a change of the app (a deploy, restart, scale, destroy…) is under way on any instance; false if unknown. */
  async busy(app: string): Promise<boolean> {
    return (await this.locks.holder(deployLockName(app)).catch(() => null)) !== null;
  }

  takeForDestroy(app: AppName, id: string): Promise<DeployLease> {
    return this.take(app, `${DESTROY_HOLDER}${id}`);
  }

  async take(app: AppName, key: string): Promise<DeployLease> {
    const name = deployLockName(app.value);
    const taken = await this.locks.acquire(name, key);
    if (!taken.acquired) {
      if (taken.holder.startsWith(DESTROY_HOLDER)) throw new AppBeingDestroyed(app.value);
      const running = await this.store.get(taken.holder).catch(() => undefined);
      throw new DeploymentAlreadyRunning(app.value, running?.id ?? taken.holder);
    }
    let held: HeldLock = taken;
    let released = false;
    let retaking: NodeJS.Timeout | undefined;
    let trying = false;
    const keep = (lock: HeldLock) => lock.onLost((reason) => {
      if (released) return;
      this.logger.warn('lost the deploy lock while the deploy runs; taking it again when the state store answers', { app: app.value, deployment: key, reason });
      retaking = setInterval(() => void retake(), RETAKE_MS);
      retaking.unref();
    });
    const retake = async () => {
      if (trying) return;
      trying = true;
      const again = await this.locks.acquire(name, key).catch(() => undefined);
      trying = false;
      if (!again?.acquired || released) {
        if (again?.acquired) await again.release();
        return;
      }
      clearInterval(retaking);
      held = again;
      this.logger.info('deploy lock taken again', { app: app.value, deployment: key });
      keep(again);
    };
    keep(taken);
    return {
      release: async () => {
        if (released) return;
        released = true;
        clearInterval(retaking);
        await held.release();
      },
    };
  }
}
