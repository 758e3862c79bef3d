import type { HttpLibrary } from '../../../src/http/library.js';
import type { Project } from '../../../src/ir/types.js';
import { openApiDocument } from '../../../src/http/openapi.js';
import { serverRoutes } from '../../../src/server/create-server.js';
import { silentLogger } from '../../../src/server/logger.js';

/** The OpenAPI document of every route, from a library stub (the document reads no warehouse). */
export function documentOfRoutes(): ReturnType<typeof openApiDocument> {
  const project = { name: 'demo', inputs: {}, models: [] } as unknown as Project;
  const none = {} as never;
  const stub = { project, scenarios: none, pending: none, actions: none } as unknown as HttpLibrary;
  return openApiDocument(serverRoutes(stub, {}, silentLogger), { bodyLimitBytes: 1024 });
}
