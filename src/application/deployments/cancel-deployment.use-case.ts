import { inject, injectable } from 'inversify';
import type { Caller } from '../../domain/caller.js';
import type { Deployment } from '../../domain/deployment.js';
import { Conflict, type AccessDenied, type DeploymentNotFound, type HostUnreachable, type InvalidArgument, type Unsupported } from '../../domain/domain-errors.js';
import { hostDeploymentId } from '../../domain/deployment-id.js';
import { DeploymentStore } from '../../ports/deployment-store.port.js';
import { DokkuBuilds } from '../../ports/dokku-builds.port.js';
import { DokkuDeploys } from '../../ports/dokku-deploys.port.js';
import { AccessPolicy } from '../access/access-policy.js';
import { GetDeployment } from './get-deployment.use-case.js';

export type CancelDeploymentError = InvalidArgument | AccessDenied | DeploymentNotFound | Conflict | Unsupported | HostUnreachable;

/** Cancels a running deployment (`builds:cancel`, Dokku 0.38+). The deployment ends as `canceled` shortly after. */
@injectable()
export class CancelDeployment {
  constructor(
    @inject(GetDeployment) private readonly getDeployment: GetDeployment,
    @inject(DokkuDeploys) private readonly deploys: DokkuDeploys,
    @inject(AccessPolicy) private readonly access: AccessPolicy,
    @inject(DeploymentStore) private readonly store: DeploymentStore,
    @inject(DokkuBuilds) private readonly builds: DokkuBuilds,
  ) {}

  async execute(caller: Caller, input: { deploymentId: string }): Promise<Deployment> {
    this.access.require(caller, 'write', 'cancel_deployment');
    const deployment = await this.getDeployment.execute(caller, input);
    if (!deployment.isActive) {
      throw new Conflict(
        `Deployment ${deployment.id} has already ended (${deployment.status}).`,
        'Nothing to cancel; get_deployment_status shows how it ended.',
        deployment.id,
      );
    }
    if (deployment.hostBuildId) await this.refuseUnlessRunningOnHost(deployment, deployment.hostBuildId);
    // Noted before it is sent (the deploy may exit at once), where the instance running it will read it.
    await this.store.requestCancel(deployment.key, true);
    try {
      await this.deploys.cancel(deployment.app);
    } catch (error) {
      await this.store.requestCancel(deployment.key, false).catch(() => undefined);
      throw error;
    }
    return deployment;
  }

  /**
   * `builds:cancel <app>` stops whatever build the app runs: only when that is this deployment's. A deployment still
   * active here may have ended on the host already (its connection dropped, and it waits for the host's record to say
   * how), and the host may be running another build of the app by now (a git push).
   */
  private async refuseUnlessRunningOnHost(deployment: Deployment, buildId: string): Promise<void> {
    const running = await this.builds.list(deployment.app, { runningOnly: true });
    if (running.some((b) => b.id === buildId)) return;
    const other = running[0];
    if (other) {
      const otherId = hostDeploymentId(deployment.app.value, other.id);
      throw new Conflict(
        `The host is running another build of "${deployment.app.value}" (${otherId}), not deployment ${deployment.id}, whose build has ended there; builds:cancel would stop that one, so nothing was sent.`,
        `To stop that build, cancel_deployment("${otherId}"). Deployment ${deployment.id} is settled from the host's build record: get_deployment_status shows how it ended.`,
        deployment.id,
      );
    }
    throw new Conflict(
      `Deployment ${deployment.id} is no longer running on the host (its build there has ended); nothing was sent.`,
      `It is settled from the host's build record shortly: get_deployment_status("${deployment.id}") shows how it ended.`,
      deployment.id,
    );
  }
}
