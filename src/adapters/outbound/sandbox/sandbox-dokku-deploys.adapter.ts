import type { AppName } from '../../../domain/app-name.js';
import { Unsupported } from '../../../domain/domain-errors.js';
import type { DeployOperation, DeployRun, DokkuDeploys } from '../../../ports/dokku-deploys.port.js';
import { lockedPlan, planOperation } from './sandbox-deploy-plans.js';
import { SandboxDeployRun } from './sandbox-deploy-run.js';
import type { SandboxDokkuHost } from './sandbox-dokku-host.js';

/**
 * DokkuDeploys on the simulated host: realistic output over a few seconds, then Dokku's exit status. Like Dokku, the
 * host answers problems through the run (exit 20 for a missing app, exit 1 for its deploy lock), not by rejecting.
 */
export class SandboxDokkuDeploys implements DokkuDeploys {
  constructor(private readonly host: SandboxDokkuHost) {}

  async start(operation: DeployOperation, onOutput: (chunk: string) => void): Promise<DeployRun> {
    this.host.assertReachable();
    const app = operation.app.value;
    if (this.host.activeRun(app)) return new SandboxDeployRun(lockedPlan(app), onOutput, this.host.deployStepMs);
    const plan = planOperation(this.host, operation);
    const run = new SandboxDeployRun(plan, onOutput, this.host.deployStepMs, (ended) => this.host.unlock(app, ended));
    if (this.host.find(app)) this.host.lock(app, run);
    return run;
  }

  async cancel(app: AppName): Promise<void> {
    this.host.assertReachable();
    if (!supportsBuildsCancel(this.host.dokkuVersion)) {
      throw new Unsupported(
        `This Dokku host (${this.host.dokkuVersion}) has no builds:cancel; it arrived in Dokku 0.38.0.`,
        'Wait for the deployment to end, or upgrade Dokku.',
      );
    }
    this.host.app(app.value);
    // builds:cancel with nothing running is a no-op.
    this.host.activeRun(app.value)?.cancel();
  }
}

function supportsBuildsCancel(version: string): boolean {
  const [major = 0, minor = 0] = version.split('.').map((part) => Number.parseInt(part, 10));
  return major > 0 || minor >= 38;
}
