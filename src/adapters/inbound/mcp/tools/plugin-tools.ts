import type { Newable } from 'inversify';
import type { McpTool } from '../tool-definition.js';
import { AddSshKeyTool } from './add-ssh-key.tool.js';
import { CreateServiceTool } from './create-service.tool.js';
import { DestroyServiceTool } from './destroy-service.tool.js';
import { DisableLetsencryptTool } from './disable-letsencrypt.tool.js';
import { EnableLetsencryptTool } from './enable-letsencrypt.tool.js';
import { GetLetsencryptStatusTool } from './get-letsencrypt-status.tool.js';
import { GetServiceInfoTool } from './get-service-info.tool.js';
import { GetServiceLogsTool } from './get-service-logs.tool.js';
import { LinkServiceTool } from './link-service.tool.js';
import { ListServicesTool } from './list-services.tool.js';
import { ListSshKeysTool } from './list-ssh-keys.tool.js';
import { RemoveSshKeyTool } from './remove-ssh-key.tool.js';
import { SetLetsencryptEmailTool } from './set-letsencrypt-email.tool.js';
import { UnlinkServiceTool } from './unlink-service.tool.js';

/** The opt-in toolsets' tools (services, letsencrypt, ssh_keys): the plugins beyond Dokku's core. */
export const PLUGIN_TOOL_CLASSES: readonly Newable<McpTool>[] = [
  ListServicesTool, GetServiceInfoTool, CreateServiceTool, LinkServiceTool, UnlinkServiceTool, GetServiceLogsTool, DestroyServiceTool,
  GetLetsencryptStatusTool, SetLetsencryptEmailTool, EnableLetsencryptTool, DisableLetsencryptTool,
  ListSshKeysTool, AddSshKeyTool, RemoveSshKeyTool,
];
