import type { Deployment } from '../../src/domain/deployment.js';
import type { DeploymentStore } from '../../src/ports/deployment-store.port.js';

/** Generous: only a broken deploy ever reaches it, and then the test fails with a clear message. */
export const WAIT_TIMEOUT_MS = 10_000;

/** Resolves once `condition` holds for the deployment, checked now and on every change the store reports. */
export async function waitForDeployment(
  store: DeploymentStore,
  deployment: Deployment,
  condition: (d: Deployment) => boolean | Promise<boolean>,
  what: string,
  timeoutMs = WAIT_TIMEOUT_MS,
): Promise<Deployment> {
  if (await condition(deployment)) return deployment;
  return new Promise((resolve, reject) => {
    let done = false;
    let stop: () => void = () => undefined;
    const finish = (d: Deployment) => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      stop();
      resolve(d);
    };
    const check = async (d: Deployment) => {
      if (!done && (await condition(d))) finish(d);
    };
    const timer = setTimeout(() => {
      done = true;
      stop();
      reject(new Error(`deployment ${deployment.id} did not reach "${what}" within ${timeoutMs} ms (status ${deployment.status})`));
    }, timeoutMs);
    void store.watch(deployment.id, (d) => void check(d)).then(async (unwatch) => {
      stop = unwatch;
      if (done) return unwatch();
      // It may have changed between the first check and the watch being in place.
      const now = await store.get(deployment.id);
      if (now) await check(now);
    }, reject);
  });
}

/** Resolves once the deployment has ended (succeeded, failed or canceled). */
export function waitForEnd(store: DeploymentStore, deployment: Deployment, timeoutMs?: number): Promise<Deployment> {
  return waitForDeployment(store, deployment, (d) => !d.isActive, 'ended', timeoutMs);
}

/** The whole build log of a deployment as its store holds it now (with any marker). */
export async function logText(store: DeploymentStore, deployment: Deployment): Promise<string> {
  return (await store.readLog(deployment.key, 0)).text;
}

/** Resolves once the deployment's build log contains `text`. */
export function waitForLog(store: DeploymentStore, deployment: Deployment, text: string, timeoutMs?: number): Promise<Deployment> {
  return waitForDeployment(store, deployment, async (d) => (await logText(store, d)).includes(text), `log contains ${JSON.stringify(text)}`, timeoutMs);
}

/** Rejects with a clear message if `promise` does not settle in time (for port-level outcomes). */
export function withTimeout<T>(promise: Promise<T>, what: string, timeoutMs = WAIT_TIMEOUT_MS): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} did not happen within ${timeoutMs} ms`)), timeoutMs);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

/** Resolves once `condition()` holds, checked every 25 ms; rejects naming `what` after `timeoutMs`. */
export async function waitUntil(condition: () => boolean, what: string, timeoutMs = WAIT_TIMEOUT_MS): Promise<void> {
  for (let waited = 0; !condition(); waited += 25) {
    if (waited >= timeoutMs) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}
