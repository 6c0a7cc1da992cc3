/**
 * Loaded into the server under test by the benchmark (`NODE_OPTIONS=--import <this file, compiled>`), never by the
 * product: counts the SSH channels the server has open on the wire, from inside its process and below its own
 * bookkeeping (ChannelSlots), so the figure does not rest on the code it checks. A channel counts from ssh2's
 * Client#exec (the open request goes to sshd) until its 'close', or until ssh2 reports that the open failed.
 * The counts go to the JSON file BENCH_CHANNEL_PROBE_OUT each time the peak rises, and once more at exit.
 */
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';

interface Ssh2Channel {
  once(event: 'close', listener: () => void): unknown;
}
type ExecCallback = (error: Error | undefined, channel: Ssh2Channel) => void;
type Exec = (this: unknown, command: string, options: unknown, callback?: ExecCallback) => unknown;

const out = process.env.BENCH_CHANNEL_PROBE_OUT;
if (out) {
  // ssh2 exactly as the server loads it: through node-ssh, resolved from the server's working directory.
  const fromHere = createRequire(path.resolve('package.json'));
  const ssh2 = createRequire(fromHere.resolve('node-ssh'))('ssh2') as { Client: { prototype: { exec: Exec } } };
  const counts = { open: 0, peak: 0, opened: 0, failed: 0, closed: 0 };
  const save = (): void => fs.writeFileSync(out, JSON.stringify(counts));
  const original = ssh2.Client.prototype.exec;
  ssh2.Client.prototype.exec = function exec(command, options, callback) {
    const [opts, done] = typeof options === 'function' ? [{}, options as ExecCallback] : [options, callback as ExecCallback];
    counts.open++;
    counts.opened++;
    if (counts.open > counts.peak) {
      counts.peak = counts.open;
      save();
    }
    let ended = false;
    const end = (field: 'failed' | 'closed'): void => {
      if (ended) return;
      ended = true;
      counts.open--;
      counts[field]++;
    };
    try {
      return original.call(this, command, opts, (error, channel) => {
        if (error) end('failed');
        else channel.once('close', () => end('closed'));
        done(error, channel);
      });
    } catch (error) {
      end('failed');
      throw error;
    }
  };
  save();
  process.on('exit', save);
}
