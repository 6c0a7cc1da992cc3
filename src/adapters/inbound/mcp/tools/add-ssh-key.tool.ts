import { inject, injectable } from 'inversify';
import { z } from 'zod';
import { AddSshKey } from '../../../../application/ssh-keys/add-ssh-key.use-case.js';
import { result } from '../results.js';
import type { McpTool, ToolArgs, ToolContext } from '../tool-definition.js';

const input = {
  name: z.string().describe('Name to file it under, e.g. "alice-laptop"'),
  public_key: z.string().describe('The .pub line ("ssh-ed25519 AAAA… comment"); never a private key'),
};
const output = { name: z.string().describe('Key name'), fingerprint: z.string().describe('SHA256:…') };

@injectable()
export class AddSshKeyTool implements McpTool<typeof input, typeof output> {
  readonly name = 'add_ssh_key';
  readonly title = 'Add SSH key';
  readonly description = 'Lets a public key push to and run Dokku. Dokku allows this only as root: otherwise says what to run on the host.';
  readonly kind = 'mutating';
  readonly toolset = 'ssh_keys';
  readonly hostWide = true;
  readonly idempotent = false;
  readonly inputSchema = input;
  readonly outputSchema = output;

  constructor(@inject(AddSshKey) private readonly addSshKey: AddSshKey) {}

  async handle(args: ToolArgs<typeof input>, { caller }: ToolContext) {
    return result(await this.addSshKey.execute(caller, { name: args.name, publicKey: args.public_key }));
  }
}
