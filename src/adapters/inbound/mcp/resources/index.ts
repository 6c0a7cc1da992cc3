import type { Newable } from 'inversify';
import { AppLogsResource } from './app-logs.resource.js';
import { AppStatusResource } from './app-status.resource.js';
import { AppsResource } from './apps.resource.js';
import { DeploymentLogsResource } from './deployment-logs.resource.js';
import { DeploymentResource } from './deployment.resource.js';
import type { McpResource } from './resource-support.js';
import { ServerInfoResource } from './server-info.resource.js';

/**
 * Order matters to the SDK: templates are tried in registration order and the first match wins. `{name}` never spans
 * a "/", so dokku://app/x/logs cannot be taken for dokku://app/{name}, but keep the longer templates first anyway.
 */
export const RESOURCE_CLASSES: readonly Newable<McpResource>[] = [
  AppsResource, AppLogsResource, AppStatusResource, DeploymentLogsResource, DeploymentResource, ServerInfoResource,
];
