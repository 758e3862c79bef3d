// Run as a separate OS process by the Postgres endpoint benchmark: serve the project in argv[2]
// with the Postgres endpoint on an ephemeral port and print `ready <http port> <postgres port>`.
import { openProject } from '../../src/library/open-project.js';
import { stopWithParent } from './lifeline.js';
import { silentLogger } from '../../src/server/logger.js';
import { startServer } from '../../src/server/start-server.js';
import { openSqlSession } from '../../src/sqlsession/open-sql-session.js';

const dir = process.argv[2]!;
stopWithParent();
const wb = await openProject(dir);
const server = await startServer(wb, {
  port: 0,
  handleSignals: true,
  logger: silentLogger,
  snapshot: false,
  postgres: { port: 0 },
  sqlSessions: (actor, limits) => openSqlSession(wb, actor, limits),
});
process.stdout.write(`ready ${server.port} ${server.postgres!.port}\n`);
