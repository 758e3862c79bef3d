/** Read-only snapshots of a DuckDB warehouse for BI tools while `serve` holds the file. */
export { writeSnapshot, type SnapshotResult, type WriteSnapshotOptions } from './write-snapshot.js';
export { snapshotCopiesTable } from './snapshot-tables.js';
export { removeStaleSnapshotTemps } from './snapshot-temp-files.js';
export { createSnapshotPublisher, DEFAULT_SNAPSHOT_DELAY_MS, type SnapshotPublisher, type SnapshotPublisherOptions, type SnapshotStatus } from './snapshot-publisher.js';
export { openSnapshotConnection, canFork } from './snapshot-connection.js';
