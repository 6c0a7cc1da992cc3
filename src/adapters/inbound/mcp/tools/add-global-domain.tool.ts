import { inject, injectable } from 'inversify';
import { AddGlobalDomain } from '../../../../application/domains/add-global-domain.use-case.js';
import { result } from '../results.js';
import type { McpTool, ToolArgs, ToolContext } from '../tool-definition.js';
import { domainField } from './fields.js';
import { globalDomainsShape } from './list-global-domains.tool.js';

const input = { domain: domainField };

@injectable()
export class AddGlobalDomainTool implements McpTool<typeof input, typeof globalDomainsShape> {
  readonly name = 'add_global_domain';
  readonly title = 'Add global domain';
  readonly description =
    'Adds a global domain to the host (Dokku domains:add-global); apps get <app>.<domain> at their next deploy.';
  readonly kind = 'mutating';
  readonly toolset = 'domains';
  readonly hostWide = true;
  readonly idempotent = true;
  readonly inputSchema = input;
  readonly outputSchema = globalDomainsShape;

  constructor(@inject(AddGlobalDomain) private readonly addGlobalDomain: AddGlobalDomain) {}

  async handle(args: ToolArgs<typeof input>, { caller }: ToolContext) {
    return result({ domains: await this.addGlobalDomain.execute(caller, { domain: args.domain }) });
  }
}
