import { inject, injectable } from 'inversify';
import { GetAppDomains } from '../../../../application/domains/get-app-domains.use-case.js';
import type { AppDomains } from '../../../../ports/dokku-domains.port.js';
import { result } from '../results.js';
import type { McpTool, ToolArgs, ToolContext } from '../tool-definition.js';
import { appDomainsShape, appNameField } from './fields.js';

const input = { app_name: appNameField };

export const appDomainsView = (d: AppDomains) => ({
  app_name: d.app,
  vhosts_enabled: d.enabled,
  domains: [...d.domains],
  global_domains: [...d.globalDomains],
});

@injectable()
export class GetAppDomainsTool implements McpTool<typeof input, typeof appDomainsShape> {
  readonly name = 'get_app_domains';
  readonly title = 'Get app domains';
  readonly description =
    'Lists the domains an app answers on, and the host\'s global domains.';
  readonly kind = 'read';
  readonly toolset = 'domains';
  readonly idempotent = true;
  readonly inputSchema = input;
  readonly outputSchema = appDomainsShape;

  constructor(@inject(GetAppDomains) private readonly getAppDomains: GetAppDomains) {}

  async handle(args: ToolArgs<typeof input>, { caller }: ToolContext) {
    return result(appDomainsView(await this.getAppDomains.execute(caller, { appName: args.app_name })));
  }
}
