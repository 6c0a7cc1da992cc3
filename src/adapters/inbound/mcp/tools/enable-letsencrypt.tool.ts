import { inject, injectable } from 'inversify';
import { EnableLetsencrypt } from '../../../../application/letsencrypt/enable-letsencrypt.use-case.js';
import { startedShape, startedView } from '../deployment-view.js';
import { result } from '../results.js';
import type { McpTool, ToolArgs, ToolContext } from '../tool-definition.js';
import { appNameField } from './fields.js';

const input = { app_name: appNameField };

@injectable()
export class EnableLetsencryptTool implements McpTool<typeof input, typeof startedShape> {
  readonly name = 'enable_letsencrypt';
  readonly title = 'Enable Let\'s Encrypt';
  readonly description = 'Gets and installs a certificate for the app\'s domains; reloads the proxy. Needs an email set. Returns a deployment_id.';
  readonly kind = 'mutating';
  readonly toolset = 'letsencrypt';
  readonly idempotent = false;
  readonly inputSchema = input;
  readonly outputSchema = startedShape;

  constructor(@inject(EnableLetsencrypt) private readonly enable: EnableLetsencrypt) {}

  async handle(args: ToolArgs<typeof input>, { caller }: ToolContext) {
    return result(startedView(await this.enable.execute(caller, { appName: args.app_name })));
  }
}
