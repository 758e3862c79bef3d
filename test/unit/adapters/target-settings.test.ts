import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
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
  it('defaults the port and sslmode prefer (as libpq), checks sslmode, ssl_ca and pool_size, and names unknown settings', () => {
    const base = { host: 'h', database: 'd', user: 'u' };
    expect(postgresOptions('prod', base)).toMatchObject({ host: 'h', port: 5432, sslmode: 'prefer' });
    for (const mode of ['disable', 'prefer', 'require', 'verify-full']) expect(postgresOptions('prod', { ...base, sslmode: mode })).toMatchObject({ sslmode: mode });
    expect(() => postgresOptions('prod', { ...base, sslmode: 'allow' })).toThrow(
      "target 'prod': sslmode must be one of disable, prefer, require, verify-ca, verify-full, got 'allow'",
    );
    expect(() => postgresOptions('prod', { ...base, sslmode: 'verify-ca' })).toThrow(/target 'prod': sslmode verify-ca needs ssl_ca/);
    expect(() => postgresOptions('prod', { ...base, sslmode: 'disable', ssl_ca: 'ca.pem' })).toThrow(/target 'prod': ssl_ca needs sslmode verify-ca, verify-full or require/);
    expect(() => postgresOptions('prod', { ...base, sslmode: 'verify-full', ssl_ca: 'certs/none.pem' }, '/nowhere')).toThrow(
      /target 'prod': cannot read ssl_ca 'certs\/none.pem' \(\/nowhere\/certs\/none.pem\)/,
    );
    expect(postgresOptions('prod', { ...base, pool_size: '8' })).toMatchObject({ poolSize: 8 });
    expect(() => postgresOptions('prod', { ...base, pool_size: '0' })).toThrow(/target 'prod': 'pool_size' must be at least 1/);
    expect(() => postgresOptions('prod', { ...base, pool_size: 'many' })).toThrow(/target 'prod': 'pool_size' must be a whole number, got 'many'/);
    expect(() => postgresOptions('prod', { ...base, pasword: 'x' })).toThrow(/unknown setting\(s\) pasword/);
    expect(() => postgresOptions('prod', { host: 'h', user: 'u' })).toThrow(/needs 'database'/);
  });

  it('reads ssl_ca relative to the project directory', () => {
    const dir = mkdtempSync(join(tmpdir(), 'wb-ca-'));
    mkdirSync(join(dir, 'certs'));
    writeFileSync(join(dir, 'certs/ca.pem'), '-----BEGIN CERTIFICATE-----\n');
    expect(postgresOptions('prod', { host: 'h', database: 'd', user: 'u', sslmode: 'verify-ca', ssl_ca: 'certs/ca.pem' }, dir)).toMatchObject({
      sslmode: 'verify-ca',
      sslCa: '-----BEGIN CERTIFICATE-----\n',
    });
    rmSync(dir, { recursive: true, force: true });
  });
});
