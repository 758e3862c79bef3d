/** Finding a running `writeback serve` for a project and talking to it (the DuckDB process model). */
export { findRunningServer, type RunningServer } from './find-running-server.js';
export { adminRequest, type AdminResponse } from './admin-client.js';
export { discoveryFilePath, readDiscoveryFile, writeDiscoveryFile, removeDiscoveryFile, type DiscoveryFile } from './discovery-file.js';
export { isPidAlive } from './pid-alive.js';
