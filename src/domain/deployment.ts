import type { AppName } from './app-name.js';
import { BuildLog } from './build-log.js';

export type DeploymentKind =
  | 'deploy' | 'deploy_image' | 'rebuild' | 'restart' | 'start' | 'scale' | 'config_change'
  | 'service_link' | 'service_unlink' | 'letsencrypt';
export type DeploymentStatus = 'pending' | 'running' | 'succeeded' | 'failed' | 'canceled';

export type DeploymentSource =
  | { readonly type: 'git'; readonly repoUrl: string; readonly ref?: string }
  | { readonly type: 'image'; readonly image: string }
  | { readonly type: 'none' };

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

const ID = /^deploy_[0-9a-z]{10,40}$/;

export interface DeploymentProps {
  readonly id: string;
  readonly app: AppName;
  readonly kind: DeploymentKind;
  readonly source: DeploymentSource;
  readonly createdAt: Date;
  readonly log: BuildLog;
}

/** One tracked Dokku operation that builds or redeploys an app, with the output it produced. */
export class Deployment {
  readonly id: string;
  readonly app: AppName;
  readonly kind: DeploymentKind;
  readonly source: DeploymentSource;
  readonly createdAt: Date;
  readonly log: BuildLog;
  private statusValue: DeploymentStatus = 'pending';
  private startedAtValue?: Date;
  private finishedAtValue?: Date;
  private exitCodeValue?: number;
  private errorValue?: string;
  private cancelRequestedValue = false;

  constructor(props: DeploymentProps) {
    if (!ID.test(props.id)) throw new RangeError(`Not a deployment id: ${props.id}`);
    this.id = props.id;
    this.app = props.app;
    this.kind = props.kind;
    this.source = props.source;
    this.createdAt = props.createdAt;
    this.log = props.log;
  }

  /** `deploy_` plus a time-sortable unique suffix (lowercase base36). */
  static newId(sortableSuffix: string): string {
    return `deploy_${sortableSuffix}`;
  }
  static isId(raw: string): boolean {
    return ID.test(raw);
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

  succeed(at: Date, exitCode = 0): void {
    this.move('succeeded');
    this.finish(at, exitCode);
  }

  fail(at: Date, error: string, exitCode?: number): void {
    this.move('failed');
    this.errorValue = error;
    this.finish(at, exitCode);
  }

  cancel(at: Date, exitCode?: number): void {
    this.move('canceled');
    this.errorValue = 'canceled on request';
    this.finish(at, exitCode);
  }

  private finish(at: Date, exitCode: number | undefined): void {
    this.finishedAtValue = at;
    this.startedAtValue ??= at;
    this.exitCodeValue = exitCode;
    this.log.close();
  }

  private move(to: DeploymentStatus): void {
    if (!TRANSITIONS[this.statusValue].includes(to)) throw new IllegalTransition(this.id, this.statusValue, to);
    this.statusValue = to;
  }
}
