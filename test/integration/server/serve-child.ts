// Run in a separate OS process: serve a project in dev-user mode with signal handling, print
// `ready <port>` on stdout, and exit when SIGTERM/SIGINT has shut it down.
import { openProject } from '../../../src/library/open-project.js';
import { startServer } from '../../../src/server/start-server.js';
import { silentLogger } from '../../../src/server/logger.js';

const dir = process.argv[2]!;
const wb = await openProject(dir);
const server = await startServer(wb, {
  port: 0,
  host: '0.0.0.0',
  devUser: { user: 'dev' },
  handleSignals: true,
  logger: silentLogger,
  snapshot: { delayMs: 50 },
});
process.stdout.write(`ready ${server.port} ${server.host}\n`);
