import { inject, injectable } from 'inversify';
import type { Caller } from '../../domain/caller.js';
import { ProcessType } from '../../domain/dokku-values.js';
import { InvalidArgument, LimitExceeded, type AccessDenied, type AppNotFound, type HostUnreachable, type NotDeployed } from '../../domain/domain-errors.js';
import { Limits } from '../../ports/settings.port.js';
import { AccessPolicy } from '../access/access-policy.js';
import { RuntimeLogHub, type RuntimeLogSubscription } from './runtime-log-hub.js';

export interface SubscribeRuntimeLogsInput {
  readonly appName: string;
  readonly processType?: string;
  /** Resume after this event id (SSE's Last-Event-ID). */
  readonly after?: string;
  /** Newest buffered items to deliver first (0..logs.runtime.max_lines). */
  readonly backlog?: number;
  readonly onAvailable?: () => void;
}

export type SubscribeRuntimeLogsError = InvalidArgument | AccessDenied | LimitExceeded | AppNotFound | NotDeployed | HostUnreachable;

/**
 * Joins an app's live runtime logs (starting its follower when nobody follows it yet), for an app the caller sees.
 * The subscription counts against the caller's session and tenant until it is closed.
 */
@injectable()
export class SubscribeRuntimeLogs {
  constructor(
    @inject(RuntimeLogHub) private readonly hub: RuntimeLogHub,
    @inject(AccessPolicy) private readonly access: AccessPolicy,
    @inject(Limits) private readonly limits: Limits,
  ) {}

  async execute(caller: Caller, input: SubscribeRuntimeLogsInput): Promise<RuntimeLogSubscription> {
    const app = this.access.app(caller, input.appName, 'read');
    const processType = input.processType === undefined ? undefined : ProcessType.of(input.processType);
    const { runtimeMaxLines } = this.limits;
    const backlog = input.backlog ?? 0;
    if (!Number.isInteger(backlog) || backlog < 0) throw new InvalidArgument('lines', `must be a whole number from 0 to ${runtimeMaxLines}; got ${backlog}`);
    if (backlog > runtimeMaxLines) {
      throw new LimitExceeded(
        `lines=${backlog} is more than this server allows (logs.runtime.max_lines = ${runtimeMaxLines}).`,
        `Ask for at most ${runtimeMaxLines} lines.`,
      );
    }
    return this.hub.join(caller, app, { processType, after: input.after, backlog, onAvailable: input.onAvailable });
  }
}
