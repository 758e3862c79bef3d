import { readDiscoveryFile, type DiscoveryFile } from './discovery-file.js';
import { isPidAlive } from './pid-alive.js';

/** A server that holds a project's warehouse, as found by {@link findRunningServer}. */
export interface RunningServer extends DiscoveryFile {
  /** Base URL for requests from this machine, e.g. `http://127.0.0.1:4321`. */
  url: string;
}

/**
 * The `writeback serve` process running for a project, or `undefined` when there is none
 * (no discovery file, or the process it names is gone — a stale file from a crash).
 */
export function findRunningServer(projectDir: string): RunningServer | undefined {
  const info = readDiscoveryFile(projectDir);
  if (!info || !isPidAlive(info.pid)) return undefined;
  const host = info.host === '0.0.0.0' || info.host === '::' ? '127.0.0.1' : info.host;
  const urlHost = host.includes(':') ? `[${host}]` : host;
  return { ...info, url: `http://${urlHost}:${info.port}` };
}
