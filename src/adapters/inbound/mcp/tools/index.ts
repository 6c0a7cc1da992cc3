import type { Newable } from 'inversify';
import type { McpTool } from '../tool-definition.js';
import { AddAppDomainTool } from './add-app-domain.tool.js';
import { AddGlobalDomainTool } from './add-global-domain.tool.js';
import { CancelDeploymentTool } from './cancel-deployment.tool.js';
import { ConfigureAppTool } from './configure-app.tool.js';
import { CreateAppTool } from './create-app.tool.js';
import { DeployAppTool } from './deploy-app.tool.js';
import { DeployImageTool } from './deploy-image.tool.js';
import { DestroyAppTool } from './destroy-app.tool.js';
import { GetAppConfigTool } from './get-app-config.tool.js';
import { GetAppDomainsTool } from './get-app-domains.tool.js';
import { GetAppStatusTool } from './get-app-status.tool.js';
import { GetBuildLogsTool } from './get-build-logs.tool.js';
import { GetDeploymentStatusTool } from './get-deployment-status.tool.js';
import { GetFailedDeployLogsTool } from './get-failed-deploy-logs.tool.js';
import { FollowRuntimeLogsTool } from './follow-runtime-logs.tool.js';
import { GetRuntimeLogsTool } from './get-runtime-logs.tool.js';
import { ListAppsTool } from './list-apps.tool.js';
import { ListDeploymentsTool } from './list-deployments.tool.js';
import { ListGlobalDomainsTool } from './list-global-domains.tool.js';
import { RebuildAppTool } from './rebuild-app.tool.js';
import { RemoveAppDomainTool } from './remove-app-domain.tool.js';
import { RollbackAppTool } from './rollback-app.tool.js';
import { RestartAppTool } from './restart-app.tool.js';
import { ScaleAppTool } from './scale-app.tool.js';
import { StartAppTool } from './start-app.tool.js';
import { StopAppTool } from './stop-app.tool.js';
import { UnsetAppConfigTool } from './unset-app-config.tool.js';
import { PLUGIN_TOOL_CLASSES } from './plugin-tools.js';

/** Every tool class, in the order clients list them: apps, deployments, logs, config, domains, then the opt-in ones. */
export const TOOL_CLASSES: readonly Newable<McpTool>[] = [
  ListAppsTool, GetAppStatusTool, CreateAppTool, DestroyAppTool, StopAppTool,
  DeployAppTool, DeployImageTool, RestartAppTool, StartAppTool, RebuildAppTool, ScaleAppTool, RollbackAppTool,
  GetDeploymentStatusTool, GetBuildLogsTool, ListDeploymentsTool, CancelDeploymentTool,
  GetRuntimeLogsTool, FollowRuntimeLogsTool, GetFailedDeployLogsTool,
  GetAppConfigTool, ConfigureAppTool, UnsetAppConfigTool,
  GetAppDomainsTool, AddAppDomainTool, RemoveAppDomainTool, ListGlobalDomainsTool, AddGlobalDomainTool,
  ...PLUGIN_TOOL_CLASSES,
];
