import { inject, injectable } from 'inversify';
import { AppName } from '../../domain/app-name.js';
import type { Caller, Scope } from '../../domain/caller.js';
import type { Deployment } from '../../domain/deployment.js';
import { AccessDenied } from '../../domain/domain-errors.js';
import { AppNotVisible, DeploymentNotVisible, ServiceNotVisible } from '../../domain/access-errors.js';
import { ServiceName, serviceType, type ServiceRef } from '../../domain/service.js';
import { grants, Tenancy } from '../../domain/tenancy.js';

const SCOPE_NEEDS: Record<Scope, string> = {
  read: 'the read scope',
  write: 'the write scope (it changes something)',
  admin: 'the admin scope (it concerns the whole Dokku host, not one tenant\'s apps)',
};

/**
 * Who may do what: every use case asks here before it touches the host. A caller sees the apps of its tenant (all of
 * them when it has none); anything else is answered as a missing app or deployment. Scopes are checked before the app,
 * so a refusal for a missing scope says nothing about the app either.
 */
@injectable()
export class AccessPolicy {
  constructor(@inject(Tenancy) private readonly tenancy: Tenancy) {}

  /** The validated app the caller may act on with `scope`. Throws InvalidArgument, AccessDenied or AppNotVisible. */
  app(caller: Caller, appName: string, scope: Scope = 'read', what?: string): AppName {
    const app = AppName.of(appName);
    this.require(caller, scope, what);
    if (!this.sees(caller, app.value)) throw new AppNotVisible(app.value);
    return app;
  }

  /** Throws AccessDenied unless the caller has `scope`; `what` names the action in the message. */
  require(caller: Caller, scope: Scope, what = 'This action'): void {
    if (grants(caller, scope)) return;
    throw new AccessDenied(
      `${what} needs ${SCOPE_NEEDS[scope]}; this session has: ${caller.scopes.join(', ') || 'no scopes'}; nothing was run.`,
      'Ask the operator of this server for a token with that scope.',
    );
  }

  sees(caller: Caller, app: string): boolean {
    return this.tenancy.sees(caller.tenant, app);
  }

  /** The deployment, if the caller sees its app; else DeploymentNotVisible (answered as an unknown id). */
  deployment(caller: Caller, deployment: Deployment): Deployment {
    if (!this.sees(caller, deployment.app.value)) throw new DeploymentNotVisible(deployment.id);
    return deployment;
  }

  /**
   * The validated datastore service the caller may act on with `scope`. Tenants own services by the same name patterns
   * as apps; another tenant's service answers as a missing one (ServiceNotVisible).
   */
  service(caller: Caller, type: string, name: string, scope: Scope = 'read', what?: string): ServiceRef {
    const service = { type: serviceType(type), name: ServiceName.of(name) };
    this.require(caller, scope, what);
    if (!this.sees(caller, service.name.value)) throw new ServiceNotVisible(service);
    return service;
  }

  /** A service name the caller may create: inside its tenant's patterns. Throws InvalidArgument or AccessDenied. */
  creatableService(caller: Caller, type: string, name: string): ServiceRef {
    const service = { type: serviceType(type), name: ServiceName.of(name) };
    this.require(caller, 'write', 'create_service');
    if (caller.tenant === null || this.sees(caller, service.name.value)) return service;
    const patterns = this.tenancy.patternsOf(caller.tenant).map(String);
    throw new AccessDenied(
      `"${service.name.value}" is outside the service names this session may create (tenant "${caller.tenant}": ${patterns.join(', ')}); nothing was created.`,
      `Choose a name matching ${patterns.map((p) => `"${p}"`).join(' or ')}.`,
    );
  }

  /** A name the caller may create: inside its tenant's patterns. Throws InvalidArgument or AccessDenied. */
  creatable(caller: Caller, appName: string): AppName {
    const app = AppName.of(appName);
    this.require(caller, 'write', 'create_app');
    if (caller.tenant === null || this.sees(caller, app.value)) return app;
    const patterns = this.tenancy.patternsOf(caller.tenant).map(String);
    throw new AccessDenied(
      `"${app.value}" is outside the app names this session may create (tenant "${caller.tenant}": ${patterns.join(', ')}); nothing was created.`,
      `Choose a name matching ${patterns.map((p) => `"${p}"`).join(' or ')}.`,
    );
  }
}
