import type { AppName } from '../../../domain/app-name.js';
import type { Sanitizer } from '../../../domain/sanitizer.js';
import type { DokkuLogs, FollowEnd, FollowLogsQuery, LogFollow, RecentLogsQuery } from '../../../ports/dokku-logs.port.js';
import { DokkuCommand } from './dokku-command.js';
import { DokkuRunner } from './dokku-runner.js';
import type { StreamEnd } from './ssh-channel.js';
import type { SshConnection } from './ssh-connection.js';
import { dokkuMessage } from './ssh-errors.js';

const NO_FAILED_CONTAINERS = /No failed containers found/;

/** DokkuLogs over SSH: `logs <app> --num N [--ps type]`, `logs:failed <app>`, and live following. */
export class SshDokkuLogs implements DokkuLogs {
  private readonly dokku: DokkuRunner;

  constructor(
    private readonly connection: SshConnection,
    sanitizer: Sanitizer,
  ) {
    this.dokku = new DokkuRunner(connection, sanitizer);
  }

  async recent(app: AppName, query: RecentLogsQuery): Promise<string[]> {
    // --num, never -n: Dokku's xargs runs echo per word and a bare -n vanishes.
    let command = DokkuCommand.of('logs').value(app).flag('--num').int(query.linesPerContainer);
    if (query.processType) command = command.flag('--ps').value(query.processType);
    const { stdout } = await this.dokku.run(command, app);
    const lines = stdout.split('\n').map((line) => line.replace(/\r$/, ''));
    if (lines[lines.length - 1] === '') lines.pop();
    return lines;
  }

  async failedDeploy(app: AppName): Promise<string> {
    const command = DokkuCommand.of('logs:failed').value(app);
    const result = await this.dokku.exec(command);
    const stderr = dokkuMessage({ stdout: '', stderr: result.stderr });
    if (result.code !== 0 && !NO_FAILED_CONTAINERS.test(stderr)) throw this.dokku.failure(command, result, app);
    return [result.stdout.trimEnd(), stderr].filter((part) => part !== '').join('\n');
  }

  /**
   * Follows the app's logs (`logs <app> --tail --num N`) on a follower's long-lived channel with a pty, so that
   * closing it hangs up the remote follower instead of leaving it running. Output arrives as raw chunks (CRLF line
   * ends, Dokku's messages merged in).
   */
  async follow(app: AppName, query: FollowLogsQuery, onOutput: (chunk: string) => void): Promise<LogFollow> {
    let command = DokkuCommand.of('logs').value(app).flag('--tail').flag('--num').int(query.num);
    if (query.processType) command = command.flag('--ps').value(query.processType);
    const handle = await this.connection.stream(command.toString(), { onStdout: onOutput, pty: true, longLived: true, follower: true });
    return { ended: handle.done.then(followEnd), close: () => handle.close() };
  }
}

function followEnd(end: StreamEnd): FollowEnd {
  return end.type === 'exit' ? { type: 'exited', exitCode: end.code } : end;
}
