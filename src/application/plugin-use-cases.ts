import { DisableLetsencrypt } from './letsencrypt/disable-letsencrypt.use-case.js';
import { EnableLetsencrypt } from './letsencrypt/enable-letsencrypt.use-case.js';
import { GetLetsencryptStatus } from './letsencrypt/get-letsencrypt-status.use-case.js';
import { SetLetsencryptEmail } from './letsencrypt/set-letsencrypt-email.use-case.js';
import { CreateService } from './services/create-service.use-case.js';
import { DestroyService } from './services/destroy-service.use-case.js';
import { GetServiceInfo } from './services/get-service-info.use-case.js';
import { GetServiceLogs } from './services/get-service-logs.use-case.js';
import { InstalledPlugins } from './services/installed-plugins.js';
import { LinkService } from './services/link-service.use-case.js';
import { ListServices } from './services/list-services.use-case.js';
import { ServiceLinkCheck } from './services/service-link-check.js';
import { UnlinkService } from './services/unlink-service.use-case.js';
import { AddSshKey } from './ssh-keys/add-ssh-key.use-case.js';
import { ListSshKeys } from './ssh-keys/list-ssh-keys.use-case.js';
import { RemoveSshKey } from './ssh-keys/remove-ssh-key.use-case.js';

/** The use cases of the plugin toolsets (services, letsencrypt, ssh_keys) and the services they share; the container binds them. */
export const PLUGIN_USE_CASES = [
  InstalledPlugins, ServiceLinkCheck,
  ListServices, CreateService, GetServiceInfo, LinkService, UnlinkService, GetServiceLogs, DestroyService,
  GetLetsencryptStatus, EnableLetsencrypt, DisableLetsencrypt, SetLetsencryptEmail,
  ListSshKeys, AddSshKey, RemoveSshKey,
] as const;
