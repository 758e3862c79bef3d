import { describe, expect, it } from 'vitest';
import { postgresOptions } from '../../../src/adapters/postgres/open-postgres.js';
import { resolveTargetSettings } from '../../../src/adapters/target-settings.js';
import { UsageError } from '../../../src/adapters/usage-error.js';

describe("{{ env('X') }} in target settings", () => {
  it('is resolved at connect time, anywhere in a value, with either quote style', () => {
    const env = { PGPASSWORD: 's3cret', HOST: 'db.internal' };
    expect(resolveTargetSettings('prod', { host: "{{ env('HOST') }}", password: '{{env("PGPASSWORD")}}', database: 'app_{{ env("HOST") }}', port: 5432 }, env)).toEqual({
      host: 'db.internal',
      password: 's3cret',
      database: 'app_db.internal',
      port: '5432',
    });
  });

  it('a missing variable is a UsageError naming the variable, the setting and the target', () => {
    expect(() => resolveTargetSettings('prod', { password: "{{ env('SNOWFLAKE_PASSWORD') }}" }, {})).toThrow(UsageError);
    expect(() => resolveTargetSettings('prod', { password: "{{ env('SNOWFLAKE_PASSWORD') }}" }, {})).toThrow(
      /target 'prod': setting 'password' reads the environment variable SNOWFLAKE_PASSWORD, which is not set/,
    );
  });
});

describe('Postgres target settings', () => {
  it('defaults the port, checks sslmode and names unknown settings', () => {
    expect(postgresOptions('prod', { host: 'h', database: 'd', user: 'u' })).toMatchObject({ host: 'h', port: 5432, sslmode: 'disable' });
    expect(() => postgresOptions('prod', { host: 'h', database: 'd', user: 'u', sslmode: 'prefer' })).toThrow(/sslmode must be one of/);
    expect(() => postgresOptions('prod', { host: 'h', database: 'd', user: 'u', pasword: 'x' })).toThrow(/unknown setting\(s\) pasword/);
    expect(() => postgresOptions('prod', { host: 'h', user: 'u' })).toThrow(/needs 'database'/);
  });
});
