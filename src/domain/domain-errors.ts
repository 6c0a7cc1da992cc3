/**
 * Domain errors: real Error subclasses with a stable `code` and the facts as fields.
 * Inbound adapters map them to client-facing messages that name the problem and the fix.
 */
export type DomainErrorCode =
  | 'INVALID_ARGUMENT'
  | 'APP_NOT_FOUND'
  | 'APP_ALREADY_EXISTS'
  | 'NOT_DEPLOYED'
  | 'DEPLOYMENT_NOT_FOUND'
  | 'CONFLICT'
  | 'ACCESS_DENIED'
  | 'LIMIT_EXCEEDED'
  | 'HOST_UNREACHABLE'
  | 'STATE_STORE_UNAVAILABLE'
  | 'DOKKU_COMMAND_FAILED'
  | 'UNSUPPORTED'
  | 'CONFIRMATION_REQUIRED'
  | 'PLUGIN_NOT_INSTALLED'
  | 'SERVICE_NOT_FOUND'
  | 'SERVICE_ALREADY_EXISTS'
  | 'ROOT_REQUIRED'
  | 'SHUTTING_DOWN';

export abstract class DomainError extends Error {
  abstract readonly code: DomainErrorCode;
  /** What the caller can do about it; adapters append it to the message shown to clients. */
  abstract readonly hint: string;
}

/** A value a client gave does not satisfy a rule. `field` names the argument, `rule` states what is accepted. */
export class InvalidArgument extends DomainError {
  readonly code = 'INVALID_ARGUMENT' as const;
  constructor(
    readonly field: string,
    readonly rule: string,
    readonly hint: string = `Fix "${field}" and call again.`,
  ) {
    super(`Invalid ${field}: ${rule}`);
    this.name = 'InvalidArgument';
  }
}

export class AppNotFound extends DomainError {
  readonly code = 'APP_NOT_FOUND' as const;
  readonly hint = 'Call list_apps to see the apps on this host.';
  constructor(readonly app: string) {
    super(`App "${app}" does not exist.`);
    this.name = 'AppNotFound';
  }
}

export class AppAlreadyExists extends DomainError {
  readonly code = 'APP_ALREADY_EXISTS' as const;
  readonly hint = 'Choose another name, or use the existing app (get_app_status shows it).';
  constructor(readonly app: string) {
    super(`App "${app}" already exists.`);
    this.name = 'AppAlreadyExists';
  }
}

export class NotDeployed extends DomainError {
  readonly code = 'NOT_DEPLOYED' as const;
  readonly hint = 'Deploy it first with deploy_app or deploy_image.';
  constructor(readonly app: string) {
    super(`App "${app}" has not been deployed.`);
    this.name = 'NotDeployed';
  }
}

export class DeploymentNotFound extends DomainError {
  readonly code = 'DEPLOYMENT_NOT_FOUND' as const;
  readonly hint =
    'Call list_deployments to see the known deployments; this server keeps finished ones only for logs.build.retention_minutes, and on Dokku 0.38+ looks up <app>.<build id> ids in the host\'s build record (it keeps the last 20 per app).';
  constructor(readonly deploymentId: string) {
    super(`Deployment "${deploymentId}" does not exist.`);
    this.name = 'DeploymentNotFound';
  }
}

/** Something else holds the resource: a running deploy of the same app, a domain owned by another app. */
export class Conflict extends DomainError {
  readonly code = 'CONFLICT' as const;
  constructor(
    message: string,
    readonly hint: string,
    readonly deploymentId?: string,
  ) {
    super(message);
    this.name = 'Conflict';
  }
}

export class DeploymentAlreadyRunning extends Conflict {
  constructor(
    readonly app: string,
    deploymentId: string,
  ) {
    super(
      `App "${app}" already has a deployment running (${deploymentId}).`,
      `Wait for it with get_deployment_status("${deploymentId}"), or cancel it with cancel_deployment.`,
      deploymentId,
    );
    this.name = 'DeploymentAlreadyRunning';
  }
}

/**
 * A conflict decided from this server's own records before anything was sent to the host (rollback_app with no exact
 * source to go back to): its text holds no host output, so answering it needs nothing from the host either.
 */
export class RefusedBeforeHost extends Conflict {
  constructor(message: string, hint: string) {
    super(message, hint);
    this.name = 'RefusedBeforeHost';
  }
}

export class AccessDenied extends DomainError {
  readonly code = 'ACCESS_DENIED' as const;
  constructor(
    message: string,
    readonly hint: string = 'Ask the operator of this server for access.',
  ) {
    super(message);
    this.name = 'AccessDenied';
  }
}

export class LimitExceeded extends DomainError {
  readonly code = 'LIMIT_EXCEEDED' as const;
  constructor(
    message: string,
    readonly hint: string,
  ) {
    super(message);
    this.name = 'LimitExceeded';
  }
}

export class HostUnreachable extends DomainError {
  readonly code = 'HOST_UNREACHABLE' as const;
  static readonly DEFAULT_HINT = 'Check that the Dokku host is up and reachable over SSH, then try again.';
  constructor(
    readonly host: string,
    readonly reason: string,
    /** What to do about it, when the cause calls for something other than the default. */
    readonly hint: string = HostUnreachable.DEFAULT_HINT,
  ) {
    super(`Cannot reach the Dokku host ${host}: ${reason}`);
    this.name = 'HostUnreachable';
  }
}

/**
 * The host answers, or could, but cannot be used as configured: its key does not match the pin, it refuses our login,
 * the key file is missing. Nothing is wrong with the network, so the message does not say "cannot reach".
 */
export class HostNotUsable extends HostUnreachable {
  constructor(host: string, reason: string, hint: string) {
    super(host, reason, hint);
    this.message = `Cannot use the Dokku host ${host}: ${reason}`;
    this.name = 'HostNotUsable';
  }
}

/**
 * The shared state store (Redis, store.type: redis) does not answer: nothing that needs it was done. The server
 * reconnects by itself; `reason` says what failed (the store's address, password hidden, and the error).
 */
export class StateStoreUnavailable extends DomainError {
  readonly code = 'STATE_STORE_UNAVAILABLE' as const;
  readonly hint =
    'Nothing was changed. Retry in a few seconds: the server reconnects by itself. If it persists, the operator must bring Redis back at store.redis_url (or run one instance with store.type: memory).';
  constructor(readonly reason: string) {
    super(`state store unreachable: ${reason}`);
    this.name = 'StateStoreUnavailable';
  }
}

/** Dokku ran and exited non-zero. `dokkuMessage` is Dokku's own text (already sanitized by the adapter). */
export class DokkuCommandFailed extends DomainError {
  readonly code = 'DOKKU_COMMAND_FAILED' as const;
  readonly hint = 'Read Dokku\'s message above; fix the cause and try again.';
  constructor(
    readonly command: string,
    readonly exitCode: number,
    readonly dokkuMessage: string,
  ) {
    super(`Dokku ${command} failed (exit ${exitCode}): ${dokkuMessage || 'no message'}`);
    this.name = 'DokkuCommandFailed';
  }
}

export class Unsupported extends DomainError {
  readonly code = 'UNSUPPORTED' as const;
  constructor(
    message: string,
    readonly hint: string,
  ) {
    super(message);
    this.name = 'Unsupported';
  }
}

/** A destructive action needs confirmation the caller did not give. */
export class ConfirmationRequired extends DomainError {
  readonly code = 'CONFIRMATION_REQUIRED' as const;
  constructor(
    message: string,
    readonly hint: string,
  ) {
    super(message);
    this.name = 'ConfirmationRequired';
  }
}

/** The server is stopping (SIGTERM/SIGINT): it lets running deploys finish but starts nothing new. */
export class ServerShuttingDown extends DomainError {
  readonly code = 'SHUTTING_DOWN' as const;
  readonly hint = 'Call again once the server is back (whoever runs it restarts it); reads still answer until then.';
  constructor(readonly why: string) {
    super(`The server is shutting down (${why}) and takes no new changes; running deploys are given time to finish`);
    this.name = 'ServerShuttingDown';
  }
}

export const isDomainError = (e: unknown): e is DomainError => e instanceof DomainError;
