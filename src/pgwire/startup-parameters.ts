/** What `server_version` says at start-up (the SQL session's `version()` and `SHOW server_version` agree). */
export const SERVER_VERSION = '16.0';

/**
 * The ParameterStatus messages sent after authentication: the settings a client tracks (pgjdbc
 * insists on UTF8 and on standard_conforming_strings; psql picks its catalog queries by
 * server_version). Values are sent as UTF-8 and dates as ISO, whatever the client asked.
 */
export function startupParameters(user: string, applicationName: string): Record<string, string> {
  return {
    server_version: SERVER_VERSION,
    server_encoding: 'UTF8',
    client_encoding: 'UTF8',
    DateStyle: 'ISO, MDY',
    IntervalStyle: 'postgres',
    TimeZone: 'UTC',
    integer_datetimes: 'on',
    standard_conforming_strings: 'on',
    is_superuser: 'off',
    session_authorization: user,
    application_name: applicationName,
    default_transaction_read_only: 'on',
    in_hot_standby: 'off',
  };
}
