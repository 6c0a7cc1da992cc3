import { inject, injectable } from 'inversify';
import { z } from 'zod';
import { RemoveSshKey } from '../../../../application/ssh-keys/remove-ssh-key.use-case.js';
import { SshKeyName } from '../../../../domain/ssh-key.js';
import { result } from '../results.js';
import type { McpTool, ToolArgs, ToolContext } from '../tool-definition.js';

const input = { name: z.string().describe('Key name (list_ssh_keys)') };
const output = { name: z.string().describe('Key name'), removed: z.boolean().describe('True: it can no longer log in') };

@injectable()
export class RemoveSshKeyTool implements McpTool<typeof input, typeof output> {
  readonly name = 'remove_ssh_key';
  readonly title = 'Remove SSH key';
  readonly description = 'Stops a public key from logging in to Dokku (never this server\'s own). Root-only on the host, like add_ssh_key.';
  readonly kind = 'destructive';
  readonly toolset = 'ssh_keys';
  readonly hostWide = true;
  readonly confirmField = 'name';
  readonly idempotent = true;
  readonly inputSchema = input;
  readonly outputSchema = output;

  constructor(@inject(RemoveSshKey) private readonly removeSshKey: RemoveSshKey) {}

  confirmation(args: ToolArgs<typeof input>) {
    const name = SshKeyName.of(args.name).value;
    return { target: { field: 'name' as const, value: name }, summary: `Remove SSH key "${name}" (whoever holds it can no longer log in to Dokku)` };
  }

  async handle(args: ToolArgs<typeof input>, { caller }: ToolContext) {
    const removed = await this.removeSshKey.execute(caller, { name: args.name });
    return result({ name: removed.name, removed: true });
  }
}
