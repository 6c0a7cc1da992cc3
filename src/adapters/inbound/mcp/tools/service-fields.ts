import { z } from 'zod';
import type { ServiceView } from '../../../../application/services/service-view.js';
import { SERVICE_TYPES } from '../../../../domain/service.js';

/** Fields the services tools share, described once (see fields.ts). */
export const serviceTypeField = z.enum(SERVICE_TYPES).describe('Datastore plugin');
export const serviceNameField = z.string().describe('Service name');
export const serviceInput = { service_type: serviceTypeField, service_name: serviceNameField };

/** The caller named the service, so results do not repeat it (tools/list is read on every session). */
export const serviceInfoShape = {
  status: z.string().describe('Container state: running, exited, missing…'),
  version: z.string().describe('Image, e.g. postgres:17.5'),
  dsn: z.string().describe('Connection URL; password ******** unless revealed'),
  revealed: z.boolean().describe('True: dsn holds the real password'),
  linked_apps: z.array(z.string()).describe('Apps linked to it'),
  exposed_ports: z.array(z.string()).describe('container->host ports, if exposed'),
};

export function serviceInfoView(view: ServiceView): z.infer<z.ZodObject<typeof serviceInfoShape>> {
  return {
    status: view.status,
    version: view.version,
    dsn: view.dsn,
    revealed: view.revealed,
    linked_apps: [...view.links],
    exposed_ports: [...view.exposedPorts],
  };
}
