// Run as a separate OS process by the HTTP and memory benchmarks: serve the project in argv[2]
// (dev user = administrator, no snapshot publishing) and print `ready <port>` on stdout.
import { openProject } from '../../src/library/open-project.js';
import { stopWithParent } from './lifeline.js';
import { startServer } from '../../src/server/start-server.js';
import { silentLogger } from '../../src/server/logger.js';

const dir = process.argv[2]!;
stopWithParent();
const wb = await openProject(dir);
const server = await startServer(wb, { port: 0, devUser: { user: 'bench' }, handleSignals: true, logger: silentLogger, snapshot: false });
process.stdout.write(`ready ${server.port}\n`);
