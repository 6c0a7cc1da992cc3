import { AppName } from './app-name.js';
import { hostDeploymentId, parseDeploymentRef } from './deployment-id.js';

/** git_push: a `git push` to the host; other: a host build started some way we do not name (e.g. `dokku deploy`). */
export type DeploymentKind =
  | 'deploy' | 'deploy_image' | 'rebuild' | 'restart' | 'start' | 'scale' | 'config_change' | 'rollback' | 'git_push' | 'other'
  | 'service_link' | 'service_unlink' | 'letsencrypt';
export type DeploymentStatus = 'pending' | 'running' | 'succeeded' | 'failed' | 'canceled';
/** mcp: started by this server; host: found in the host's build record (a git push, a shell, or before a restart). */
export type DeploymentOrigin = 'mcp' | 'host';

/** `host`: known only from Dokku's record, which names what started it (e.g. "git-hook"), not the repository. */
export type DeploymentSource =
  | { readonly type: 'git'; readonly repoUrl: string; readonly ref?: string }
  | { readonly type: 'image'; readonly image: string }
  | { readonly type: 'host'; readonly dokkuSource: string }
  | { readonly type: 'none' };

/** What a succeeded deploy left running: its processes ("web.1") and the app's URLs. */
export interface DeploymentVerification {
  readonly processes: readonly string[];
  readonly urls: readonly string[];
}

const TRANSITIONS: Record<DeploymentStatus, readonly DeploymentStatus[]> = {
  pending: ['running', 'failed', 'canceled'],
  running: ['succeeded', 'failed', 'canceled'],
  succeeded: [],
  failed: [],
  canceled: [],
};

export class IllegalTransition extends Error {
  constructor(
    readonly deploymentId: string,
    readonly from: DeploymentStatus,
    readonly to: DeploymentStatus,
  ) {
    super(`Deployment ${deploymentId} cannot go from ${from} to ${to}`);
    this.name = 'IllegalTransition';
  }
}

export interface DeploymentProps {
  /** `deploy_<suffix>` for ours, `<app>.<build id>` for one found in the host's record. */
  readonly id: string;
  readonly app: AppName;
  readonly origin?: DeploymentOrigin;
  /** Dokku's build id, when known from the start (a host build). */
  readonly hostBuildId?: string;
  readonly kind: DeploymentKind;
  readonly source: DeploymentSource;
  readonly createdAt: Date;
}

/**
 * A deployment as plain data, for a store that keeps it outside this process (JSON): everything but the cancel
 * request, which another instance may set (see DeploymentStore.requestCancel). Times are epoch milliseconds.
 */
export interface DeploymentRecord {
  readonly key: string;
  readonly app: string;
  readonly origin: DeploymentOrigin;
  readonly hostBuildId?: string;
  readonly kind: DeploymentKind;
  readonly source: DeploymentSource;
  readonly createdAt: number;
  readonly status: DeploymentStatus;
  readonly startedAt?: number;
  readonly finishedAt?: number;
  readonly exitCode?: number;
  readonly error?: string;
  readonly verified?: DeploymentVerification;
}

/** One tracked Dokku operation that builds or redeploys an app, with the output it produced. */
export class Deployment {
  /** The id it was created with; stays valid as an id for it even after the host build id is linked. */
  readonly key: string;
  readonly app: AppName;
  readonly origin: DeploymentOrigin;
  readonly kind: DeploymentKind;
  readonly source: DeploymentSource;
  readonly createdAt: Date;
  private statusValue: DeploymentStatus = 'pending';
  private startedAtValue?: Date;
  private finishedAtValue?: Date;
  private exitCodeValue?: number;
  private errorValue?: string;
  private cancelRequestedValue = false;
  private hostBuildIdValue?: string;
  private verifiedValue?: DeploymentVerification;
  private logSizeValue = 0;

  constructor(props: DeploymentProps) {
    if (!parseDeploymentRef(props.id)) throw new RangeError(`Not a deployment id: ${props.id}`);
    this.key = props.id;
    this.app = props.app;
    this.origin = props.origin ?? 'mcp';
    this.hostBuildIdValue = props.hostBuildId;
    this.kind = props.kind;
    this.source = props.source;
    this.createdAt = props.createdAt;
  }

  /** Plain data for a store outside this process (the cancel request is kept apart: see DeploymentRecord). */
  toRecord(): DeploymentRecord {
    return {
      key: this.key,
      app: this.app.value,
      origin: this.origin,
      ...(this.hostBuildIdValue !== undefined ? { hostBuildId: this.hostBuildIdValue } : {}),
      kind: this.kind,
      source: this.source,
      createdAt: this.createdAt.getTime(),
      status: this.statusValue,
      ...(this.startedAtValue ? { startedAt: this.startedAtValue.getTime() } : {}),
      ...(this.finishedAtValue ? { finishedAt: this.finishedAtValue.getTime() } : {}),
      ...(this.exitCodeValue !== undefined ? { exitCode: this.exitCodeValue } : {}),
      ...(this.errorValue !== undefined ? { error: this.errorValue } : {}),
      ...(this.verifiedValue ? { verified: this.verifiedValue } : {}),
    };
  }

  /** The deployment a record describes, as of when it was written; throws RangeError on a record that is not one. */
  static fromRecord(record: DeploymentRecord, extra: { readonly cancelRequested?: boolean; readonly logSize?: number } = {}): Deployment {
    if (!TRANSITIONS[record.status]) throw new RangeError(`Not a deployment status: ${String(record.status)}`);
    const d = new Deployment({
      id: record.key,
      app: AppName.of(record.app),
      origin: record.origin,
      hostBuildId: record.hostBuildId,
      kind: record.kind,
      source: record.source,
      createdAt: new Date(record.createdAt),
    });
    d.statusValue = record.status;
    d.startedAtValue = record.startedAt === undefined ? undefined : new Date(record.startedAt);
    d.finishedAtValue = record.finishedAt === undefined ? undefined : new Date(record.finishedAt);
    d.exitCodeValue = record.exitCode;
    d.errorValue = record.error;
    d.verifiedValue = record.verified;
    d.cancelRequestedValue = extra.cancelRequested ?? false;
    d.logSizeValue = extra.logSize ?? 0;
    return d;
  }

  /** `deploy_` plus a time-sortable unique suffix (lowercase base36). */
  static newId(sortableSuffix: string): string {
    return `deploy_${sortableSuffix}`;
  }
  static isId(raw: string): boolean {
    return parseDeploymentRef(raw) !== undefined;
  }

  /** `<app>.<Dokku build id>` once the host's build id is known (usable after a restart), else the key. */
  get id(): string {
    return this.hostBuildIdValue ? hostDeploymentId(this.app.value, this.hostBuildIdValue) : this.key;
  }
  get hostBuildId(): string | undefined {
    return this.hostBuildIdValue;
  }
  /** Ties the deployment to Dokku's record of its build; once only. */
  linkHostBuild(buildId: string): void {
    if (this.hostBuildIdValue !== undefined && this.hostBuildIdValue !== buildId) {
      throw new RangeError(`Deployment ${this.key} is already linked to build ${this.hostBuildIdValue}`);
    }
    this.hostBuildIdValue = buildId;
  }
  /** Set on success when the processes were checked: what runs and where. */
  get verified(): DeploymentVerification | undefined {
    return this.verifiedValue;
  }

  /** Bytes in its build log (the offset just past its end) as of the last change its store saw. */
  get logSize(): number {
    return this.logSizeValue;
  }
  /** Its build log now ends at `bytes` (a log only grows). */
  logGrew(bytes: number): void {
    if (bytes > this.logSizeValue) this.logSizeValue = bytes;
  }

  get status(): DeploymentStatus {
    return this.statusValue;
  }
  get startedAt(): Date | undefined {
    return this.startedAtValue;
  }
  get finishedAt(): Date | undefined {
    return this.finishedAtValue;
  }
  get exitCode(): number | undefined {
    return this.exitCodeValue;
  }
  get error(): string | undefined {
    return this.errorValue;
  }
  get isActive(): boolean {
    return this.statusValue === 'pending' || this.statusValue === 'running';
  }
  get durationMs(): number | undefined {
    if (!this.startedAtValue) return undefined;
    return (this.finishedAtValue ?? this.startedAtValue).getTime() - this.startedAtValue.getTime();
  }

  /** A cancel was sent to Dokku; the non-zero exit that follows means canceled, not failed. */
  requestCancel(): void {
    this.cancelRequestedValue = true;
  }
  /** The cancel could not be sent; a later non-zero exit is a failure again. */
  withdrawCancelRequest(): void {
    this.cancelRequestedValue = false;
  }
  get cancelRequested(): boolean {
    return this.cancelRequestedValue;
  }

  start(at: Date): void {
    this.move('running');
    this.startedAtValue = at;
  }

  succeed(at: Date, exitCode = 0, verified?: DeploymentVerification): void {
    this.move('succeeded');
    this.verifiedValue = verified;
    this.finish(at, exitCode);
  }

  fail(at: Date, error: string, exitCode?: number): void {
    this.move('failed');
    this.errorValue = error;
    this.finish(at, exitCode);
  }

  /** `why`: what stopped it (by default a cancel request). */
  cancel(at: Date, exitCode?: number, why = 'canceled on request'): void {
    this.move('canceled');
    this.errorValue = why;
    this.finish(at, exitCode);
  }

  private finish(at: Date, exitCode: number | undefined): void {
    this.finishedAtValue = at;
    this.startedAtValue ??= at;
    this.exitCodeValue = exitCode;
  }

  private move(to: DeploymentStatus): void {
    if (!TRANSITIONS[this.statusValue].includes(to)) throw new IllegalTransition(this.id, this.statusValue, to);
    this.statusValue = to;
  }
}
