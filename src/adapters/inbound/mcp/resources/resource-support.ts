import { randomUUID } from 'node:crypto';
import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import type { ReadResourceResult } from '@modelcontextprotocol/sdk/types.js';
import { ErrorCode, McpError } from '@modelcontextprotocol/sdk/types.js';
import type { Variables } from '@modelcontextprotocol/sdk/shared/uriTemplate.js';
import { inject, injectable } from 'inversify';
import { RequestBudget } from '../../../../application/access/request-budget.js';
import { AppSecrets } from '../../../../application/config/app-secrets.js';
import { isDenial } from '../../../../domain/access-errors.js';
import { isDomainError } from '../../../../domain/domain-errors.js';
import { Logger } from '../../../../ports/logger.port.js';
import { describeRedacted } from '../error-mapper.js';
import { fenceUntrusted } from '../untrusted-fence.js';
import type { UntrustedText } from '../results.js';
import type { SessionContext } from '../session-context.js';

/** Multi-binding token: every resource class registers itself on a session's server, for the session's caller. */
export const McpResource = Symbol('McpResource');
export interface McpResource {
  register(server: McpServer, session: SessionContext): void;
}

/**
 * Runs resource reads and listings for every resource: a failure becomes the JSON-RPC error a client sees
 * (InvalidParams with the domain's message and hint for a wrong name or id; a generic InternalError, logged with a
 * request id, for anything unexpected). Listing never fails resources/list as a whole. A read takes from the caller's
 * rate limit first (where the session counts requests); listing and completion do not.
 */
@injectable()
export class ResourceReader {
  constructor(
    @inject(AppSecrets) private readonly secrets: AppSecrets,
    @inject(Logger) private readonly logger: Logger,
    @inject(RequestBudget) private readonly budget: RequestBudget,
  ) {}

  /** `appName`: the app the resource is about, whose config values are redacted from an error too. */
  async read(
    session: SessionContext,
    uri: URL,
    read: () => Promise<ReadResourceResult> | ReadResourceResult,
    appName?: string,
  ): Promise<ReadResourceResult> {
    try {
      if (session.countRequests) await this.budget.admit(session.caller);
      return await read();
    } catch (error) {
      throw await this.failure(error, uri.href, appName);
    }
  }

  /** When the host is down, list nothing for this template (and log why) rather than failing the whole list. */
  async list<T>(what: string, list: () => Promise<T[]> | T[]): Promise<T[]> {
    try {
      return await list();
    } catch (error) {
      this.logger.warn(`could not list ${what}`, { error });
      return [];
    }
  }

  private async failure(error: unknown, uri: string, appName: string | undefined): Promise<McpError> {
    if (isDomainError(error)) {
      // The server's side failed (the host, the state store), not the client's parameters.
      const hostSide = error.code === 'HOST_UNREACHABLE' || error.code === 'DOKKU_COMMAND_FAILED' || error.code === 'STATE_STORE_UNAVAILABLE';
      // A missing app has no config to read, and a refused read must not reach the host to read one.
      const app = error.code === 'APP_NOT_FOUND' || error.code === 'ACCESS_DENIED' || isDenial(error) ? undefined : appName;
      return new McpError(hostSide ? ErrorCode.InternalError : ErrorCode.InvalidParams, await describeRedacted(error, (text) => this.secrets.redact(app, text)));
    }
    const requestId = randomUUID().slice(0, 8);
    this.logger.error('resource read failed unexpectedly', { uri, requestId, error });
    return new McpError(ErrorCode.InternalError, `Internal error (request ${requestId}); the server log has details.`);
  }
}

/** A template variable as one string (the SDK types it as string | string[]). URI-decoded. */
export function variable(vars: Variables, name: string): string {
  const value = vars[name];
  const raw = Array.isArray(value) ? (value[0] ?? '') : (value ?? '');
  try {
    return decodeURIComponent(raw);
  } catch {
    return raw;
  }
}

export const json = (uri: URL, value: unknown): ReadResourceResult => ({
  contents: [{ uri: uri.href, mimeType: 'application/json', text: JSON.stringify(value, null, 2) }],
});

/**
 * JSON, with what may quote the host (`untrusted`) left out of it and given after it as fenced text: a second content
 * of the resource (text/plain), as a tool result gives it (results.ts).
 */
export function jsonWithUntrusted(uri: URL, value: Record<string, unknown>, untrusted: UntrustedText | undefined): ReadResourceResult {
  if (!untrusted || untrusted.text === '') return json(uri, value);
  const omit = new Set(untrusted.omit ?? []);
  const shown = Object.fromEntries(Object.entries(value).filter(([key]) => !omit.has(key)));
  return { contents: [...json(uri, shown).contents, ...untrustedText(uri, untrusted.text, untrusted.what).contents] };
}

/** Text from the host (`what` it is), fenced as untrusted (untrusted-fence.ts); an empty text stays empty. */
export const untrustedText = (uri: URL, text: string, what: string): ReadResourceResult => ({
  contents: [{ uri: uri.href, mimeType: 'text/plain', text: text === '' ? '' : fenceUntrusted(text, what) }],
});
