import { AppName } from '../../../domain/app-name.js';
import { Unsupported } from '../../../domain/domain-errors.js';
import type { DeployOperation, DeployOutcome, DeployRun, DokkuDeploys } from '../../../ports/dokku-deploys.port.js';
import { lockedPlan, planOperation } from './sandbox-deploy-plans.js';
import { CANCELED_EXIT_CODE, SandboxDeployRun, type DeployPlan } from './sandbox-deploy-run.js';
import type { SandboxDokkuHost } from './sandbox-dokku-host.js';

/**
 * DokkuDeploys on the simulated host: realistic output over a few seconds, then Dokku's exit status. Like Dokku, the
 * host answers problems through the run (exit 20 for a missing app, exit 1 for its deploy lock), not by rejecting.
 * A run that takes the deploy lock is recorded in the host's build record, its output in the build's log.
 */
export class SandboxDokkuDeploys implements DokkuDeploys {
  constructor(private readonly host: SandboxDokkuHost) {}

  async start(operation: DeployOperation, onOutput: (chunk: string) => void): Promise<DeployRun> {
    this.host.assertReachable();
    const app = operation.app.value;
    if (this.host.activeRun(app)) return new SandboxDeployRun(lockedPlan(app), onOutput, this.host.deployStepMs);
    return this.play(app, planOperation(this.host, operation), onOutput);
  }

  /**
   * What a `git push` of the app's current source does, started outside this server (demos and tests): a build with
   * source "git-hook" in the record. Undefined when the app is missing, not deployed or already deploying.
   */
  push(app: string): DeployRun | undefined {
    const state = this.host.find(app);
    if (!state?.deployed || this.host.activeRun(app)) return undefined;
    const plan = planOperation(this.host, { kind: 'rebuild', app: AppName.of(app) });
    return this.play(app, { ...plan, build: { kind: 'build', source: 'git-hook' } }, () => undefined);
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

  private play(app: string, plan: DeployPlan, onOutput: (chunk: string) => void): SandboxDeployRun {
    const record = this.host.find(app) && plan.build && supportsBuildsCancel(this.host.dokkuVersion)
      ? this.host.buildRecord.start(app, plan.build.kind, plan.build.source)
      : undefined;
    const output = record
      ? (chunk: string) => {
          this.host.buildRecord.write(record, chunk);
          onOutput(chunk);
        }
      : onOutput;
    const run = new SandboxDeployRun(plan, output, this.host.deployStepMs, (ended) => this.host.unlock(app, ended));
    if (this.host.find(app)) this.host.lock(app, run);
    // Registered before the caller's own handler: the record is final when the caller learns the outcome.
    if (record) void run.outcome.then((outcome) => this.finishRecord(record, outcome));
    return run;
  }

  private finishRecord(record: Parameters<SandboxDokkuHost['buildRecord']['finish']>[0], outcome: DeployOutcome): void {
    // Its channel gone, a deploy dies at its next write (SIGHUP/SIGPIPE): Dokku records it abandoned.
    if (outcome.type === 'lost') return this.host.buildRecord.finish(record, 'abandoned', 129);
    if (outcome.type !== 'exited') return this.host.buildRecord.finish(record, 'failed', -1);
    if (outcome.exitCode === CANCELED_EXIT_CODE) return this.host.buildRecord.finish(record, 'canceled', -1);
    this.host.buildRecord.finish(record, outcome.exitCode === 0 ? 'succeeded' : 'failed', outcome.exitCode);
  }
}

/** builds:* (cancel and the build record) arrived in Dokku 0.38.0. */
export function supportsBuildsCancel(version: string): boolean {
  const [major = 0, minor = 0] = version.split('.').map((part) => Number.parseInt(part, 10));
  return major > 0 || minor >= 38;
}
