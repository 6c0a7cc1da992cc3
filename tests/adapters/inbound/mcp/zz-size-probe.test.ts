import { writeFileSync } from 'node:fs';
import { startHarness } from './mcp-harness.js';
it('probe', async () => {
  const h = await startHarness();
  const listed = await h.client.listTools();
  const lines = [`BYTES ${Buffer.byteLength(JSON.stringify(listed), 'utf8')}`];
  for (const t of listed.tools) lines.push(`${t.name} ${Buffer.byteLength(JSON.stringify(t))}`);
  writeFileSync('/tmp/tools-size.txt', lines.join('\n') + '\n');
  writeFileSync('/tmp/tools-list.json', JSON.stringify(listed, null, 1));
  await h.close();
});
