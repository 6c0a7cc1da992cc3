/** The built server over stdio against an sshd fixture, as the benchmark's rows start it. */
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import type { SshdFixture } from '../tests/support/sshd-fixture.js';

export interface StdioServer {
  readonly client: Client;
  readonly pid: number;
}

/** dist/main.js with `--config config`, its stderr dropped unless BENCH_SERVER_STDERR is set; `env` is added to its environment. */
export async function startStdioServer(f: SshdFixture, config: string, name: string, env: Record<string, string> = {}): Promise<StdioServer> {
  const transport = new StdioClientTransport({
    command: process.execPath,
    args: ['dist/main.js', '--config', config, '--ssh-host', f.host, '--ssh-port', String(f.port), '--ssh-user', f.user, '--ssh-key', f.clientKeyPath,
      '--log-level', process.env.BENCH_SERVER_LOG_LEVEL ?? 'warn'],
    env: { PATH: process.env.PATH ?? '', DOKKU_MCP_SSH_HOST_KEY_FINGERPRINT: f.hostKeyFingerprint, ...env },
    stderr: process.env.BENCH_SERVER_STDERR ? 'inherit' : 'ignore',
  });
  const client = new Client({ name, version: '1.0.0' });
  await client.connect(transport);
  return { client, pid: transport.pid as number };
}
