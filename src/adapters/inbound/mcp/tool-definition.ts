import type { z, ZodRawShape, ZodTypeAny } from 'zod';
import type { Toolset } from '../../../config/toolsets.js';
import type { Caller } from '../../../domain/caller.js';
import type { ToolResult } from './results.js';

/** Multi-binding token: every MCP tool class is bound to it; the registrar walks them all. */
export const McpTool = Symbol('McpTool');

/**
 * What a tool does to the host; the registrar derives the MCP annotations from it and, in read-only mode, registers
 * only `read` tools. `destructive` tools also get a confirmation step (see confirm-destructive.ts).
 */
export type ToolKind = 'read' | 'mutating' | 'destructive';

/** The argument a destructive tool's confirm_name repeats: app_name unless the tool says otherwise. */
export type ConfirmField = 'app_name' | 'service_name' | 'name';

export type ToolArgs<I extends ZodRawShape> = z.objectOutputType<I, ZodTypeAny>;
export type ToolOutput<O extends ZodRawShape> = z.objectOutputType<O, ZodTypeAny>;

/** What a destructive tool is about to do, for the confirmation asked of the human (or the confirm_name check). */
export interface DestructiveAction {
  /** The app the action targets; `confirm_name` must equal it (unless `target` says what else it must equal). */
  readonly appName?: string;
  /** For an action on something other than an app (a service, an SSH key): the argument confirm_name repeats, and its value. */
  readonly target?: { readonly field: ConfirmField; readonly value: string };
  /** One sentence, e.g. `Destroy app "shop" and all its containers (irreversible)`. */
  readonly summary: string;
}

/** Per-call context handed to a tool's handler. */
export interface ToolContext {
  /** Aborted when the client cancels the request. */
  readonly signal: AbortSignal;
  /** Who the session acts for: every use case is called as it (tenant, scopes). */
  readonly caller: Caller;
  /**
   * Sends `notifications/progress` for this call (over HTTP on the call's own stream); present only when the client
   * gave a progress token. `progress` must grow with every notification.
   */
  readonly progress?: (progress: number, message: string) => Promise<void>;
}

export interface McpTool<I extends ZodRawShape = ZodRawShape, O extends ZodRawShape = ZodRawShape> {
  /** verb_noun, matching ^[A-Za-z0-9._-]{1,128}$. */
  readonly name: string;
  readonly title: string;
  /** Written for an agent: when to use it, what it returns, what to call next. */
  readonly description: string;
  readonly kind: ToolKind;
  /** The group the operator enables it with (tools.toolsets); the registrar offers only enabled groups. */
  readonly toolset: Toolset;
  /** Acts on the whole Dokku host rather than on apps (global domains): offered only to callers with the admin scope. */
  readonly hostWide?: boolean;
  /** Destructive tools: the argument confirm_name repeats (default app_name). */
  readonly confirmField?: ConfirmField;
  /** Calling it again with the same arguments has no further effect. */
  readonly idempotent: boolean;
  /** zod raw shape; every field carries `.describe()`. */
  readonly inputSchema: I;
  readonly outputSchema: O;
  /** Required for destructive tools: what will be confirmed. Throws a DomainError for invalid arguments. */
  confirmation?(args: ToolArgs<I>): DestructiveAction;
  handle(args: ToolArgs<I>, ctx: ToolContext): Promise<ToolResult<ToolOutput<O>>>;
}
