import { get, type IncomingMessage } from 'node:http';
import type { HttpServer } from './http-server.js';

export interface SseEvent {
  readonly id?: string;
  readonly event: string;
  readonly data: any;
  /** When it was parsed (Date.now()). */
  readonly at: number;
}
export interface SseStream {
  readonly status: number;
  readonly headers: IncomingMessage['headers'];
  readonly events: SseEvent[];
  readonly body: () => string;
  close(): void;
}

/** Opens an SSE stream with node's own http client, as an agent's SSE library would, parsing its events as they come (or reading the refusal's body). */
export function openSseStream(server: HttpServer, path: string, headers: Record<string, string> = {}): Promise<SseStream> {
  return new Promise((resolve, reject) => {
    const req = get(`${server.base}${path}`, { headers }, (res) => {
      let raw = '';
      const events: SseEvent[] = [];
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => {
        raw += chunk;
        for (let end = raw.indexOf('\n\n'); end >= 0; end = raw.indexOf('\n\n')) {
          const block = raw.slice(0, end);
          raw = raw.slice(end + 2);
          const fields = Object.fromEntries(block.split('\n').filter((l) => !l.startsWith(':')).map((l) => [l.slice(0, l.indexOf(':')), l.slice(l.indexOf(':') + 2)]));
          if (fields.event) events.push({ id: fields.id, event: fields.event, data: JSON.parse(fields.data ?? 'null'), at: Date.now() });
        }
      });
      res.on('error', () => undefined);
      resolve({ status: res.statusCode ?? 0, headers: res.headers, events, body: () => raw, close: () => req.destroy() });
    });
    req.on('error', (error) => ((error as NodeJS.ErrnoException).code === 'ECONNRESET' ? undefined : reject(error)));
  });
}
