import { ContainerModule } from 'inversify';
import { CallRecorder } from './call-recorder.js';
import { AppDoctorPrompt } from './prompts/app-doctor.prompt.js';
import { McpPrompt } from './prompts/prompt-support.js';
import { RESOURCE_CLASSES } from './resources/index.js';
import { McpResource, ResourceReader } from './resources/resource-support.js';
import { McpServerFactory } from './server-factory.js';
import { McpTool } from './tool-definition.js';
import { ToolRegistrar } from './tool-registrar.js';
import { TOOL_CLASSES } from './tools/index.js';

/**
 * The MCP inbound adapter: every tool, resource and prompt on its multi-binding token, plus the registrar and the
 * per-session server factory. Needs McpServerOptions, Sanitizer, Logger, AppSecrets and the use cases bound elsewhere.
 * (inversify 8: the callback receives an options object; `container.load()` is synchronous for synchronous modules.)
 */
export const mcpModule = new ContainerModule(({ bind }) => {
  for (const tool of TOOL_CLASSES) bind(McpTool).to(tool).inSingletonScope();
  for (const resource of RESOURCE_CLASSES) bind(McpResource).to(resource).inSingletonScope();
  bind(McpPrompt).to(AppDoctorPrompt).inSingletonScope();
  bind(ResourceReader).toSelf().inSingletonScope();
  bind(CallRecorder).toSelf().inSingletonScope();
  bind(ToolRegistrar).toSelf().inSingletonScope();
  bind(McpServerFactory).toSelf().inSingletonScope();
});
