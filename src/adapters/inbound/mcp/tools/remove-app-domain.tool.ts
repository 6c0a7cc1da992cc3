import { inject, injectable } from 'inversify';
import { RemoveAppDomain } from '../../../../application/domains/remove-app-domain.use-case.js';
import { DomainName } from '../../../../domain/dokku-values.js';
import { result } from '../results.js';
import type { McpTool, ToolArgs, ToolContext } from '../tool-definition.js';
import { appDomainsShape, appNameField, domainField } from './fields.js';
import { appDomainsView } from './get-app-domains.tool.js';

const input = { app_name: appNameField, domain: domainField };

@injectable()
export class RemoveAppDomainTool implements McpTool<typeof input, typeof appDomainsShape> {
  readonly name = 'remove_app_domain';
  readonly title = 'Remove app domain';
  readonly description =
    'Removes a domain from an app (Dokku domains:remove): it stops answering on it.';
  readonly kind = 'destructive';
  readonly toolset = 'domains';
  readonly idempotent = true;
  readonly inputSchema = input;
  readonly outputSchema = appDomainsShape;

  constructor(@inject(RemoveAppDomain) private readonly removeAppDomain: RemoveAppDomain) {}

  confirmation(args: ToolArgs<typeof input>) {
    // Validated first, so the human is never asked to confirm something that would be refused anyway.
    const domain = DomainName.of(args.domain).value;
    return { appName: args.app_name, summary: `Remove domain ${domain} from app "${args.app_name}" (it stops answering on it)` };
  }

  async handle(args: ToolArgs<typeof input>, { caller }: ToolContext) {
    return result(appDomainsView(await this.removeAppDomain.execute(caller, { appName: args.app_name, domain: args.domain })));
  }
}
