import type { Deployment } from '../../src/domain/deployment.js';
import type { DeploymentStore } from '../../src/ports/deployment-store.port.js';

/** Generous: only a broken deploy ever reaches it, and then the test fails with a clear message. */
export const WAIT_TIMEOUT_MS = 10_000;

/** Resolves once `condition` holds for the deployment, checked now and on every change the store reports. */
export function waitForDeployment(
  store: DeploymentStore,
  deployment: Deployment,
  condition: (d: Deployment) => boolean,
  what: string,
  timeoutMs = WAIT_TIMEOUT_MS,
): Promise<Deployment> {
  if (condition(deployment)) return Promise.resolve(deployment);
  return new Promise((resolve, reject) => {
    const stop = store.watch(deployment.id, (d) => {
      if (!condition(d)) return;
      clearTimeout(timer);
      stop();
      resolve(d);
    });
    const timer = setTimeout(() => {
      stop();
      reject(new Error(`deployment ${deployment.id} did not reach "${what}" within ${timeoutMs} ms (status ${deployment.status})`));
    }, timeoutMs);
  });
}

/** Resolves once the deployment has ended (succeeded, failed or canceled). */
export function waitForEnd(store: DeploymentStore, deployment: Deployment, timeoutMs?: number): Promise<Deployment> {
  return waitForDeployment(store, deployment, (d) => !d.isActive, 'ended', timeoutMs);
}

/** Resolves once the deployment's build log contains `text`. */
export function waitForLog(store: DeploymentStore, deployment: Deployment, text: string, timeoutMs?: number): Promise<Deployment> {
  return waitForDeployment(store, deployment, (d) => d.log.readAll().includes(text), `log contains ${JSON.stringify(text)}`, timeoutMs);
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
