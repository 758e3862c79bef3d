/** Finding a running `writeback serve` for a project and talking to it (the DuckDB process model). */
export { findRunningServer, type RunningServer } from './find-running-server.js';
export { awaitServer, serverWaitMs, DEFAULT_SERVER_WAIT_MS, type ServerState } from './await-server.js';
export { adminRequest, type AdminResponse } from './admin-client.js';
export { discoveryFilePath, readDiscoveryFile, writeDiscoveryFile, removeDiscoveryFile, type DiscoveryFile } from './discovery-file.js';
export { readStartingMarker, writeStartingMarker, removeStartingMarker, startingMarkerPath, type StartingMarker } from './starting-marker.js';
export { processCommand, isWritebackProcess } from './process-command.js';
export { isPidAlive } from './pid-alive.js';
export { DEFAULT_PORT } from './default-port.js';
