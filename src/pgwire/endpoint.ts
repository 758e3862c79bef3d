import { createServer, type Server, type Socket } from 'node:net';
import type { AddressInfo } from 'node:net';
import { PostgresConnection } from 'pg-gateway';
import type { Actor } from '../auth/actor.js';
import { publicTokenId } from '../auth/tokens.js';
import type { TokenSignIn } from '../auth/types.js';
import { isLoopbackHost } from '../schema/auth-settings.js';
import type { SqlSession, SqlSessionLimits, SqlSessionOpener } from '../sqlsession/types.js';
import * as be from './backend.js';
import { CancelKeys } from './cancel-keys.js';
import { FailedSignIns } from './failed-sign-ins.js';
import { readMessages } from './framer.js';
import { ClientGone, Output } from './output.js';
import { PgProtocol } from './protocol.js';
import { startupParameters } from './startup-parameters.js';

/** Where the endpoint writes its log lines (the server's logger). */
export interface PgLogger {
  info(message: string, fields?: Record<string, unknown>): void;
  warn(message: string, fields?: Record<string, unknown>): void;
  error(message: string, fields?: Record<string, unknown>): void;
}

/** Options of {@link startPgEndpoint}. */
export interface PgEndpointOptions {
  /** 0 = an ephemeral port. */
  port: number;
  host: string;
  /** PEM certificate and key; required when `host` is not a loopback address. */
  tls?: { cert: Buffer; key: Buffer } | undefined;
  /** Statement timeout and row cap of every session. */
  limits: SqlSessionLimits;
  /** Connections at once; one more is refused with 53300. */
  maxConnections: number;
  /** Token → actor: the rule the HTTP bearer path uses (`wb.tokens.signIn`). */
  signIn(token: string): Promise<TokenSignIn>;
  /** Opens the session of an actor. */
  openSession: SqlSessionOpener;
  /** Database name of the connection URL (what `current_database()` answers). */
  database: string;
  /** The project's views schema (first on a session's search_path). */
  viewsSchema: string;
  logger: PgLogger;
  /** How long a client has to sign in. Default 30 s. */
  authTimeoutMs?: number;
  /** How often an open connection's token is signed in again (before a statement). Default 10 s. */
  tokenRecheckMs?: number;
}

/** A listening Postgres endpoint. */
export interface PgEndpoint {
  port: number;
  host: string;
  /** `postgresql://127.0.0.1:5433/<db>` (no user, no password). */
  url: string;
  /** Open client connections (signed in or signing in). */
  connections(): number;
  /** Stop listening, end every session (their engine connections), close every client. */
  close(): Promise<void>;
}

/** Protocol codes of the start-up packets that are not a StartupMessage. */
const CANCEL_REQUEST = 80877102;
const GSSENC_REQUEST = 80877104;
/** Largest message before sign-in (a StartupMessage, a password) and after it (a Query, a Bind). */
const MAX_UNAUTHENTICATED_BYTES = 64 * 1024;
const MAX_MESSAGE_BYTES = 64 * 1024 * 1024;
/** How often a connection's token is signed in again (a revoked one then ends the connection). */
const RECHECK_MS = 10_000;

interface Client {
  socket: Socket;
  address: string;
  protocol?: PgProtocol;
  closing?: Promise<void>;
  /** Answered with a FATAL error; its socket ends. */
  refused?: boolean;
}

const fatal = (code: string, message: string): Buffer => be.errorResponse({ severity: 'FATAL', code, message });

/**
 * Listen for the PostgreSQL wire protocol: `pg-gateway` does the start-up packet, SSLRequest/TLS
 * and asks for a cleartext password; the password is an API token, signed in by the same rule as
 * the HTTP API's bearer tokens; then every message goes to a {@link PgProtocol} over the actor's
 * {@link SqlSession}. A non-loopback `host` needs `tls`, and then refuses clients that do not use it.
 */
export async function startPgEndpoint(options: PgEndpointOptions): Promise<PgEndpoint> {
  const loopback = isLoopbackHost(options.host);
  if (!loopback && !options.tls)
    throw new Error(`the Postgres endpoint on ${options.host} needs TLS (postgres_endpoint.tls: { cert_file, key_file }): API tokens are sent as cleartext passwords; without TLS bind it to 127.0.0.1`);
  const { logger } = options;
  const keys = new CancelKeys();
  const failures = new FailedSignIns();
  const clients = new Set<Client>();
  /**
   * Connections that have not signed in do not count toward `max_connections` (signed-in sessions
   * do). Those that have not sent a password yet wait, oldest first: past as many again as
   * `max_connections`, the oldest is dropped, so sockets that never sign in cannot keep a real
   * client out (one sends its password within milliseconds). Once a password is in, the client is
   * `checking` and is never dropped for a newcomer; failed sign-ins slow its address instead.
   */
  const waiting = new Set<Client>();
  const checking = new Set<Client>();
  const sessionCount = () => clients.size - waiting.size - checking.size;
  /** Connections dropped for newcomers since the last log line (one line every 10 s at most). */
  const dropped = { count: 0, loggedAt: 0 };
  let closing = false;

  const endClient = (client: Client): Promise<void> => {
    client.closing ??= (async () => {
      clients.delete(client);
      waiting.delete(client);
      checking.delete(client);
      if (client.protocol) await client.protocol.close().catch((err: unknown) => logger.error('postgres session close failed', { error: String(err) }));
      client.socket.destroy();
    })();
    return client.closing;
  };

  const refuse = (client: Client, socket: Socket, code: string, message: string, fields: Record<string, unknown>) => {
    client.refused = true;
    logger.warn('postgres connection refused', { client: client.address, sqlstate: code, reason: message, ...fields });
    socket.end(fatal(code, message));
  };

  const server: Server = createServer((raw) => {
    const client: Client = { socket: raw, address: `${raw.remoteAddress ?? '?'}:${raw.remotePort ?? '?'}` };
    if (closing) {
      raw.destroy();
      return;
    }
    clients.add(client);
    waiting.add(client);
    if (waiting.size > options.maxConnections) {
      const oldest = waiting.values().next().value!;
      void endClient(oldest);
      dropped.count += 1;
      if (Date.now() - dropped.loggedAt >= 10_000) {
        logger.warn('postgres connections closed: too many waiting to sign in, the oldest dropped', { dropped: dropped.count, last: oldest.address });
        dropped.count = 0;
        dropped.loggedAt = Date.now();
      }
    }
    raw.on('error', () => undefined);
    raw.on('close', () => void endClient(client));
    // a client gets authTimeoutMs to sign in, and small messages until it has
    const authTimer = setTimeout(() => {
      if (client.protocol) return;
      if (!client.refused) logger.warn('postgres connection refused', { client: client.address, reason: 'did not sign in in time' });
      raw.destroy();
    }, options.authTimeoutMs ?? 30_000);
    authTimer.unref();
    let pending = 0;
    const countBytes = (chunk: Buffer) => {
      pending += chunk.length;
      if (pending > MAX_UNAUTHENTICATED_BYTES) {
        logger.warn('postgres connection closed: message too large', { client: client.address });
        raw.destroy();
      }
    };
    raw.prependListener('data', countBytes);
    let tls = false;
    let startupUser = '';
    let applicationName = '';
    /** Refuse the client (53300) when every session place is taken. */
    const tooManySessions = (): boolean => {
      if (sessionCount() < options.maxConnections) return false;
      refuse(client, pg.socket, '53300', 'sorry, too many clients already', { startup_user: startupUser, max_connections: options.maxConnections });
      return true;
    };

    const pg = new PostgresConnection(raw, {
      authMode: 'cleartextPassword',
      ...(options.tls ? { tls: { cert: options.tls.cert, key: options.tls.key } } : {}),
      onTlsUpgrade: () => {
        tls = true;
        pg.socket.prependListener('data', countBytes);
        pg.socket.on('error', () => undefined);
      },
      onStartup: (state) => {
        startupUser = state.clientInfo?.parameters.user ?? '';
        applicationName = state.clientInfo?.parameters['application_name'] ?? '';
        if (!loopback && !tls) {
          refuse(client, pg.socket, '28000', 'SSL required: connect with sslmode=require (or verify-full)', { startup_user: startupUser });
          return true;
        }
        return tooManySessions();
      },
      onMessage: async (data, state) => {
        pending = 0;
        try {
          const message = Buffer.from(data.buffer, data.byteOffset, data.byteLength);
          if (!state.hasStarted) return startPacket(message);
          if (!client.protocol) {
            if (message[0] !== 0x70) {
              refuse(client, pg.socket, '08P01', 'expected a password message', { startup_user: startupUser });
              return true;
            }
            await signIn(message);
            return true;
          }
        } catch (err) {
          logger.error('postgres connection failed', { client: client.address, error: err instanceof Error ? err.message : String(err) });
          await endClient(client);
        }
        return true;
      },
    });

    /** SSLRequest and StartupMessage go to pg-gateway; CancelRequest and GSSENCRequest are answered here. */
    function startPacket(message: Buffer): boolean {
      if (message.length < 8) return false;
      const code = message.readInt32BE(4);
      if (code === CANCEL_REQUEST && message.length === 16) {
        keys.cancel(message.readInt32BE(8), message.subarray(12, 16));
        raw.end();
        clients.delete(client);
        waiting.delete(client);
        return true;
      }
      if (code === GSSENC_REQUEST) {
        pg.socket.write('N');
        // pg-gateway marks the start-up done after a handled packet; the StartupMessage still follows
        setImmediate(() => (pg.hasStarted = false));
        return true;
      }
      return false;
    }

    async function signIn(message: Buffer): Promise<void> {
      waiting.delete(client);
      checking.add(client);
      const end = message.indexOf(0, 5);
      const password = message.toString('utf8', 5, end < 0 ? message.length : end);
      const tokenId = publicTokenId(password);
      await failures.wait(raw.remoteAddress ?? '');
      const signed = password === '' ? ({ ok: false, reason: 'invalid' } as const) : await options.signIn(password);
      if (!signed.ok) {
        failures.record(raw.remoteAddress ?? '');
        refuse(client, pg.socket, '28P01', `password authentication failed for user "${startupUser}"`, {
          startup_user: startupUser,
          token: tokenId ?? null,
          reason: signed.reason === 'expired' ? 'token expired' : 'invalid or revoked token',
        });
        return;
      }
      // others may have signed in since this one started; from here it holds a session's place
      if (tooManySessions()) return;
      checking.delete(client);
      const actor: Actor = { user: signed.actor.user, role: signed.actor.role, attributes: signed.actor.attributes };
      const opened = await options.openSession(actor, options.limits, { application_name: applicationName });
      if (!opened.ok) {
        refuse(client, pg.socket, '28000', opened.error.message, { startup_user: startupUser, user: actor.user, role: actor.role ?? null, token: signed.actor.tokenId });
        return;
      }
      const session: SqlSession = opened.session;
      if (client.closing) {
        await session.close();
        return;
      }
      failures.clear(raw.remoteAddress ?? '');
      const key = keys.issue(() => session.cancel());
      const out = new Output(() => pg.socket);
      // a revoked or expired token ends the connection at its next statement (checked at most every RECHECK_MS)
      let checkedAt = Date.now();
      const refusal = async (): Promise<string | undefined> => {
        if (Date.now() - checkedAt < (options.tokenRecheckMs ?? RECHECK_MS)) return undefined;
        const again = await options.signIn(password);
        if (!again.ok) {
          logger.warn('postgres connection ended: its token no longer signs in', { client: client.address, user: actor.user, token: signed.actor.tokenId, reason: again.reason });
          return again.reason === 'expired' ? 'the API token of this connection expired' : 'the API token of this connection was revoked';
        }
        checkedAt = Date.now();
        return undefined;
      };
      client.protocol = new PgProtocol(session, out, {
        refusal,
        internalError: (err) => logger.error('postgres statement failed inside writeback', { user: actor.user, error: err instanceof Error ? (err.stack ?? err.message) : String(err) }),
      });
      const protocol = client.protocol;
      const originalClose = protocol.close.bind(protocol);
      protocol.close = async () => {
        key.release();
        await originalClose();
        logger.info('postgres connection closed', { client: client.address, user: actor.user });
      };
      clearTimeout(authTimer);
      pg.isAuthenticated = true;
      // pg-gateway's own framing slices every message after the first of a TCP chunk wrongly
      // (0.2.4), so from here on the connection reads its messages itself
      const socket = pg.detach();
      raw.off('data', countBytes);
      socket.off('data', countBytes);
      socket.on('close', () => void endClient(client));
      readMessages(
        socket,
        MAX_MESSAGE_BYTES,
        async (message) => {
          try {
            if (await protocol.handle(message)) return true;
          } catch (err) {
            if (!(err instanceof ClientGone)) logger.error('postgres connection failed', { client: client.address, error: err instanceof Error ? err.message : String(err) });
          }
          socket.end();
          await endClient(client);
          return false;
        },
        (reason) => {
          logger.warn('postgres connection closed: protocol violation', { client: client.address, reason });
          socket.end(fatal('08P01', reason));
          void endClient(client);
        },
      );
      out.send(be.authenticationOk());
      for (const [name, value] of Object.entries(startupParameters(options.viewsSchema, actor.user, applicationName))) out.send(be.parameterStatus(name, value));
      out.send(be.backendKeyData(key.pid, key.secret));
      out.send(be.readyForQuery('idle'));
      await out.flush();
      logger.info('postgres connection', {
        client: client.address,
        user: actor.user,
        role: actor.role ?? null,
        token: signed.actor.tokenId,
        startup_user: startupUser,
        application_name: applicationName,
        tls,
      });
    }
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const port = (server.address() as AddressInfo).port;
  const hostText = options.host.includes(':') ? `[${options.host}]` : options.host;
  const url = `postgresql://${hostText}:${port}/${encodeURIComponent(options.database)}`;
  let closed: Promise<void> | undefined;
  return {
    port,
    host: options.host,
    url,
    connections: () => clients.size,
    close() {
      closed ??= (async () => {
        closing = true;
        const stopped = new Promise<void>((resolve) => server.close(() => resolve()));
        for (const client of [...clients]) {
          if (client.protocol) client.socket.write(fatal('57P01', 'terminating connection due to administrator command'));
          await endClient(client);
        }
        await stopped;
      })();
      return closed;
    },
  };
}
