import { inject, injectable } from 'inversify';
import { AddAppDomain } from '../../../../application/domains/add-app-domain.use-case.js';
import { result } from '../results.js';
import type { McpTool, ToolArgs, ToolContext } from '../tool-definition.js';
import { appDomainsShape, appNameField, domainField } from './fields.js';
import { appDomainsView } from './get-app-domains.tool.js';

const input = { app_name: appNameField, domain: domainField };

@injectable()
export class AddAppDomainTool implements McpTool<typeof input, typeof appDomainsShape> {
  readonly name = 'add_app_domain';
  readonly title = 'Add app domain';
  readonly description =
    'Adds a domain to an app (Dokku domains:add); refused if another app has it. DNS is set up separately.';
  readonly kind = 'mutating';
  readonly toolset = 'domains';
  readonly idempotent = true;
  readonly inputSchema = input;
  readonly outputSchema = appDomainsShape;

  constructor(@inject(AddAppDomain) private readonly addAppDomain: AddAppDomain) {}

  async handle(args: ToolArgs<typeof input>, { caller }: ToolContext) {
    return result(appDomainsView(await this.addAppDomain.execute(caller, { appName: args.app_name, domain: args.domain })));
  }
}
