import { defaultSettings, SERVER_VERSION } from '../sqlsession/session-commands.js';

/** The settings sent as ParameterStatus after sign-in (their Postgres names), besides `server_version`. */
const REPORTED_AT_START: Readonly<Record<string, string>> = {
  server_encoding: 'server_encoding',
  client_encoding: 'client_encoding',
  datestyle: 'DateStyle',
  intervalstyle: 'IntervalStyle',
  timezone: 'TimeZone',
  integer_datetimes: 'integer_datetimes',
  standard_conforming_strings: 'standard_conforming_strings',
  is_superuser: 'is_superuser',
  default_transaction_read_only: 'default_transaction_read_only',
};

/**
 * The ParameterStatus messages sent after sign-in: the settings a client tracks (pgjdbc insists on
 * UTF8 and standard_conforming_strings; psql picks its catalog queries by server_version), with
 * the values a session starts with (src/sqlsession/session-commands.ts), plus the user and the
 * client's application_name.
 */
export function startupParameters(views: string, user: string, applicationName: string): Record<string, string> {
  const settings = defaultSettings(views, SERVER_VERSION);
  const out: Record<string, string> = { server_version: SERVER_VERSION };
  for (const [setting, name] of Object.entries(REPORTED_AT_START)) {
    const value = settings.get(setting);
    if (value !== undefined) out[name] = value;
  }
  return { ...out, session_authorization: user, application_name: applicationName, in_hot_standby: 'off' };
}
