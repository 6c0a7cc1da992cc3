import type { AppName } from '../../../domain/app-name.js';
import { Unsupported } from '../../../domain/domain-errors.js';
import type { Sanitizer } from '../../../domain/sanitizer.js';
import type { DeployOperation, DeployOutcome, DeployRun, DokkuDeploys } from '../../../ports/dokku-deploys.port.js';
import { DokkuCommand, serviceSubcommand } from './dokku-command.js';
import { DokkuRunner, FEATURES } from './dokku-runner.js';
import type { StreamEnd, StreamHandle } from './ssh-channel.js';
import type { SshConnection } from './ssh-connection.js';

/** How long a timed-out deploy waits for builds:cancel before it stops following anyway. */
const CANCEL_ON_TIMEOUT_MS = 5_000;

/** true when `promise` settled in time (rejections pass through), false when it did not. */
async function withTimeout(promise: Promise<unknown>, ms: number): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<false>((resolve) => (timer = setTimeout(() => resolve(false), ms)));
  try {
    return await Promise.race([promise.then(() => true as const), late]);
  } finally {
    clearTimeout(timer);
  }
}

/** Exit status for a remote killed by a signal, as a shell would report it (128 + number). */
const SIGNALS: Record<string, number> = { HUP: 1, INT: 2, QUIT: 3, KILL: 9, PIPE: 13, TERM: 15 };

/** The Dokku command for each deploy operation. Values are typed, so the builder can quote (or refuse) them. */
export function deployCommand(operation: DeployOperation): DokkuCommand {
  const { app } = operation;
  switch (operation.kind) {
    case 'deploy': {
      const command = DokkuCommand.of('git:sync').flag('--build').value(app).value(operation.repoUrl);
      return operation.ref ? command.value(operation.ref) : command;
    }
    case 'deploy_image':
      return DokkuCommand.of('git:from-image').value(app).value(operation.image);
    case 'rebuild':
      return DokkuCommand.of('ps:rebuild').value(app);
    case 'restart':
      return DokkuCommand.of('ps:restart').value(app);
    case 'start':
      return DokkuCommand.of('ps:start').value(app);
    case 'scale':
      return operation.counts.reduce((c, [type, count]) => c.scalePair(type, count), DokkuCommand.of('ps:scale').value(app));
    case 'config_set':
      return operation.vars.reduce((c, [key, value]) => c.envPair(key, value), DokkuCommand.of('config:set').flag('--encoded').value(app));
    case 'config_unset':
      return operation.keys.reduce((c, key) => c.value(key), DokkuCommand.of('config:unset').value(app));
    case 'service_link':
    case 'service_unlink': {
      const verb = operation.kind === 'service_link' ? 'link' : 'unlink';
      return DokkuCommand.of(serviceSubcommand(operation.service.type, verb)).value(operation.service.name).value(app);
    }
    case 'letsencrypt_enable':
      return DokkuCommand.of('letsencrypt:enable').value(app);
  }
}

/**
 * DokkuDeploys over SSH: each operation runs on its own long-lived channel; output is forwarded as it arrives and the
 * exit status decides. A dropped connection or the deploy timeout ends it as `lost` (the host may still be working).
 */
export class SshDokkuDeploys implements DokkuDeploys {
  private readonly dokku: DokkuRunner;

  constructor(
    private readonly connection: SshConnection,
    sanitizer: Sanitizer,
  ) {
    this.dokku = new DokkuRunner(connection, sanitizer);
  }

  async start(operation: DeployOperation, onOutput: (chunk: string) => void): Promise<DeployRun> {
    const command = deployCommand(operation);
    const handle = await this.connection.stream(command.toString(), { onStdout: onOutput, onStderr: onOutput, longLived: true });
    const timeoutMs = this.connection.options.deployTimeoutMs;
    const outcome = new Promise<DeployOutcome>((resolve) => {
      let expired = false;
      const timer = setTimeout(() => {
        expired = true; // what the remote does from now on (exit after builds:cancel) no longer decides the outcome
        void this.stopTimedOut(operation.app, handle, timeoutMs).then(resolve);
      }, timeoutMs);
      void handle.done.then((end) => {
        if (expired) return;
        clearTimeout(timer);
        resolve(toOutcome(end));
      });
    });
    return { outcome, stop: () => handle.close() };
  }

  /**
   * A deploy past ssh.deploy_timeout_ms: stop it on the host where Dokku can (builds:cancel sends SIGQUIT to the deploy's
   * process group; closing our channel cannot, see Opened.abandon), then stop following it. Answers within a few seconds.
   */
  private async stopTimedOut(app: AppName, handle: StreamHandle, timeoutMs: number): Promise<DeployOutcome> {
    const over = `the deploy did not finish within ssh.deploy_timeout_ms (${timeoutMs} ms)`;
    let onHost: string;
    try {
      const canceled = await withTimeout(this.cancel(app), CANCEL_ON_TIMEOUT_MS);
      onHost = canceled ? 'it was canceled on the host (builds:cancel)' : `builds:cancel did not answer within ${CANCEL_ON_TIMEOUT_MS} ms`;
    } catch (error) {
      onHost = error instanceof Unsupported
        ? 'this Dokku has no builds:cancel (< 0.38), so it may still be running on the host'
        : `builds:cancel failed (${(error as Error).message}), so it may still be running on the host`;
    }
    handle.close();
    return { type: 'timed_out', reason: `${over}; ${onHost}. Check get_app_status before deploying again.` };
  }

  async cancel(app: AppName): Promise<void> {
    if (!(await this.dokku.supports('buildsCancel'))) {
      const version = (await this.dokku.version()) ?? 'an unknown version';
      throw new Unsupported(
        `Cancelling a deploy needs Dokku ${FEATURES.buildsCancel} or newer (builds:cancel); this host runs Dokku ${version}.`,
        'Wait for the deploy to finish, or upgrade Dokku on the host.',
      );
    }
    await this.dokku.run(DokkuCommand.of('builds:cancel').value(app), app);
  }
}

function toOutcome(end: StreamEnd): DeployOutcome {
  switch (end.type) {
    case 'exit':
      return { type: 'exited', exitCode: end.code ?? 128 + (SIGNALS[end.signal ?? ''] ?? 0) };
    case 'lost':
      return { type: 'lost', reason: end.reason };
    case 'closed':
      return { type: 'lost', reason: 'the channel was closed before Dokku finished' };
  }
}
