import { inject, injectable } from 'inversify';
import { z } from 'zod';
import { ListSshKeys } from '../../../../application/ssh-keys/list-ssh-keys.use-case.js';
import { result } from '../results.js';
import type { McpTool, ToolArgs, ToolContext } from '../tool-definition.js';

const input = {};
const output = {
  keys: z.array(z.object({
    name: z.string().describe('Key name'),
    fingerprint: z.string().describe('SHA256:…'),
    used_by_this_server: z.boolean().describe('This server logs in with it'),
  })).describe('Keys that may log in to Dokku'),
  count: z.number().int().describe('How many'),
};

@injectable()
export class ListSshKeysTool implements McpTool<typeof input, typeof output> {
  readonly name = 'list_ssh_keys';
  readonly title = 'List SSH keys';
  readonly description = 'The public keys allowed to push to and run Dokku: names and fingerprints.';
  readonly kind = 'read';
  readonly toolset = 'ssh_keys';
  readonly hostWide = true;
  readonly idempotent = true;
  readonly inputSchema = input;
  readonly outputSchema = output;

  constructor(@inject(ListSshKeys) private readonly listSshKeys: ListSshKeys) {}

  async handle(_args: ToolArgs<typeof input>, { caller }: ToolContext) {
    const keys = await this.listSshKeys.execute(caller);
    return result({ keys: keys.map((k) => ({ name: k.name, fingerprint: k.fingerprint, used_by_this_server: k.usedByThisServer })), count: keys.length });
  }
}
