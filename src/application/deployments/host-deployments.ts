import { inject, injectable } from 'inversify';
import { BuildLog } from '../../domain/build-log.js';
import { Deployment } from '../../domain/deployment.js';
import type { DeploymentRef } from '../../domain/deployment-id.js';
import { hostBuildError, kindOfHostBuild, type HostBuild } from '../../domain/host-build.js';
import { Clock } from '../../ports/clock.port.js';
import { DeploymentStore } from '../../ports/deployment-store.port.js';
import { DokkuBuilds, type BuildFollowEnd } from '../../ports/dokku-builds.port.js';
import { Logger } from '../../ports/logger.port.js';
import { Limits } from '../../ports/settings.port.js';
import { AppSecrets } from '../config/app-secrets.js';
import { lastFailureLine } from './deployment-lines.js';

type HostRef = Extract<DeploymentRef, { type: 'host' }>;

/**
 * Ends an active deployment as the host's record says its build ended (a build not running any more); the end of its
 * log may say why it failed. `context` is added to the reason of a failure.
 */
export function endAsRecorded(deployment: Deployment, build: HostBuild, now: Date, logTail: string, context = ''): void {
  if (!deployment.isActive) return;
  const at = build.finishedAt ?? now;
  if (build.status === 'succeeded') deployment.succeed(at, build.exitCode ?? 0);
  else if (build.status === 'canceled') deployment.cancel(at, build.exitCode);
  else {
    const reason = `${hostBuildError(build) ?? `Dokku reports it ${build.status}`}${context}`;
    const line = lastFailureLine(logTail);
    deployment.fail(at, line ? `${reason}: ${line}` : reason, build.exitCode);
  }
}

/** Written first when we attached to a running build whose log Dokku replayed only in part. */
export const LATE_ATTACH_MARKER =
  "[dokku-mcp: attached to this build while it was running; Dokku replays only the last 1000 lines of a running build's log, so its beginning is missing here. Offsets count from this line.]\n";

/**
 * Deployments this server does not hold in memory, answered from the host's build record (Dokku 0.38+): a git push,
 * a deploy started in a shell, or one of ours from before a restart. A finished build's log is read whole; a running
 * one is followed live until the host says it is over. The log is sanitized and capped like our own deploys' logs.
 */
@injectable()
export class HostDeployments {
  /** Loads in flight, so that two readers of one new id share one follower. */
  private readonly loading = new Map<string, Promise<Deployment | undefined>>();

  constructor(
    @inject(DokkuBuilds) private readonly builds: DokkuBuilds,
    @inject(DeploymentStore) private readonly store: DeploymentStore,
    @inject(Clock) private readonly clock: Clock,
    @inject(Limits) private readonly limits: Limits,
    @inject(AppSecrets) private readonly appSecrets: AppSecrets,
    @inject(Logger) private readonly logger: Logger,
  ) {}

  /** The deployment for a host build id; undefined when the host keeps no build record or has no such build. */
  async load(ref: HostRef): Promise<Deployment | undefined> {
    const held = await this.store.get(ref.id);
    if (held) return held;
    let pending = this.loading.get(ref.id);
    if (!pending) {
      pending = this.fetch(ref).finally(() => this.loading.delete(ref.id));
      this.loading.set(ref.id, pending);
    }
    return pending;
  }

  private async fetch(ref: HostRef): Promise<Deployment | undefined> {
    if (!(await this.builds.supported())) return undefined;
    const build = await this.builds.info(ref.app, ref.buildId);
    if (!build) return undefined;
    const sanitizer = await this.appSecrets.sanitizerFor(ref.app);
    const deployment = new Deployment({
      id: ref.id,
      app: ref.app,
      origin: 'host',
      hostBuildId: build.id,
      kind: kindOfHostBuild(build),
      source: { type: 'host', dokkuSource: build.source },
      createdAt: build.startedAt,
    });
    // Attached late, the replay may start inside a key (joinedMidway). Our own marker, written first on a cut replay, is
    // not the host's text: it must not count as the line that ends the watch for the rest of a key.
    const redactLine = sanitizer.lineByLine({ joinedMidway: true });
    const marker = LATE_ATTACH_MARKER.trimEnd();
    const redact = Object.assign((line: string) => (line === marker ? line : redactLine(line)), { skips: (block: string) => redactLine.skips(block) });
    const log = new BuildLog({ maxBytes: this.limits.buildLogMaxBytes, redact });
    deployment.start(build.startedAt);
    if (build.status === 'running') {
      const follow = await this.builds.follow(ref.app, ref.buildId, {
        start: (cut) => void (cut && log.append(LATE_ATTACH_MARKER)),
        output: (chunk) => {
          if (log.append(chunk) > 0) void this.store.changed(deployment);
        },
      });
      const added = await this.store.add(deployment, log).catch((error: unknown) => {
        follow.stop(); // nowhere to keep what it would read
        throw error;
      });
      if (!added) {
        follow.stop(); // another instance follows it and writes it
        return this.store.get(ref.id);
      }
      void follow.done.then((end) => this.followed(deployment, log, ref, end));
      return deployment;
    }
    log.append(await this.builds.output(ref.app, ref.buildId));
    this.settle(deployment, log, build);
    return (await this.store.add(deployment, log)) ? deployment : this.store.get(ref.id);
  }

  /** Following ended: the build's own record says how it ended (or why we no longer know). */
  private async followed(deployment: Deployment, log: BuildLog, ref: HostRef, end: BuildFollowEnd): Promise<void> {
    let build: HostBuild | undefined;
    try {
      build = await this.builds.info(ref.app, ref.buildId);
    } catch (error) {
      this.logger.warn('could not read how a followed build ended', { deployment: deployment.id, error: String(error) });
    }
    if (build && build.status !== 'running') {
      this.settle(deployment, log, build);
      return this.store.changed(deployment);
    }
    if (!deployment.isActive) return;
    log.close();
    const why = end.type === 'timed_out' || end.type === 'lost' ? end.reason : 'following stopped';
    deployment.fail(this.clock.now(), `stopped following it (${why}); the host may still be running it: list_deployments(app_name) shows how it stands`);
    await this.store.changed(deployment);
  }

  /** Ends the deployment as the host's record says its build ended. */
  private settle(deployment: Deployment, log: BuildLog, build: HostBuild): void {
    log.close();
    endAsRecorded(deployment, build, this.clock.now(), log.tail(200));
  }
}
