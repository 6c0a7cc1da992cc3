import { inject, injectable } from 'inversify';
import { z } from 'zod';
import { ListGlobalDomains } from '../../../../application/domains/list-global-domains.use-case.js';
import { result } from '../results.js';
import type { McpTool, ToolArgs, ToolContext } from '../tool-definition.js';

const input = {};
export const globalDomainsShape = {
  domains: z.array(z.string()).describe('Global domains'),
};

@injectable()
export class ListGlobalDomainsTool implements McpTool<typeof input, typeof globalDomainsShape> {
  readonly name = 'list_global_domains';
  readonly title = 'List global domains';
  readonly description =
    'Lists the host\'s global domains: app "shop" is served at shop.<global domain> unless it has its own.';
  readonly kind = 'read';
  readonly toolset = 'domains';
  readonly hostWide = true;
  readonly idempotent = true;
  readonly inputSchema = input;
  readonly outputSchema = globalDomainsShape;

  constructor(@inject(ListGlobalDomains) private readonly listGlobalDomains: ListGlobalDomains) {}

  async handle(_args: ToolArgs<typeof input>, { caller }: ToolContext) {
    return result({ domains: await this.listGlobalDomains.execute(caller) });
  }
}
