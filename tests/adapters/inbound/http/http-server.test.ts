import { createServer, type Server } from 'node:net';
import { listen, ListenError } from '../../../../src/adapters/inbound/http/http-server.js';

/** Holds a port on 127.0.0.1 so the server under test finds it busy. */
function hold(): Promise<{ port: number; holder: Server }> {
  return new Promise((done) => {
    const holder = createServer().listen(0, '127.0.0.1', () => done({ port: (holder.address() as { port: number }).port, holder }));
  });
}

describe('listen', () => {
  it('takes the next free port when the default is busy, and says which was busy', async () => {
    const { port, holder } = await hold();
    try {
      const listener = await listen((_req, res) => res.end(), { host: '127.0.0.1', port, portGiven: false });
      expect(listener.port).toBeGreaterThan(port);
      expect(listener.busyDefault).toBe(port);
      await listener.close();
    } finally {
      holder.close();
    }
  });

  it('refuses a busy port that was given, naming it and the fix', async () => {
    const { port, holder } = await hold();
    try {
      const attempt = listen((_req, res) => res.end(), { host: '127.0.0.1', port, portGiven: true });
      await expect(attempt).rejects.toBeInstanceOf(ListenError);
      await expect(attempt).rejects.toThrow(`port ${port} on 127.0.0.1 is already in use`);
    } finally {
      holder.close();
    }
  });

  it('says an address is not on this machine', async () => {
    await expect(listen((_req, res) => res.end(), { host: '192.0.2.1', port: 0, portGiven: false })).rejects.toThrow('not an address of this machine');
  });
});
