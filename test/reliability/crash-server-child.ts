// A real server in its own OS process, for the crash test: serves the project in argv[2] as the
// administrator dev user (no snapshots) and prints `ready <port>`. The test SIGKILLs it.
import { openProject } from '../../src/library/open-project.js';
import { startServer } from '../../src/server/start-server.js';
import { silentLogger } from '../../src/server/logger.js';

const wb = await openProject(process.argv[2]!);
const server = await startServer(wb, { port: 0, devUser: { user: 'crash' }, logger: silentLogger, snapshot: false });
process.stdout.write(`ready ${server.port}\n`);
