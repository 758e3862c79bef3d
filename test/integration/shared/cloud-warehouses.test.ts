import type { Adapter } from '../../../src/adapters/adapter.js';
import { warehouseSuite } from './warehouse-suite.js';

// The shared warehouse suite on Snowflake and BigQuery: it runs only when credentials are in the
// environment, and is otherwise skipped with the list of what is missing. Nothing here has run
// in this repository's CI (it has no cloud credentials); the SQL these paths send is covered by
// test/unit/adapters/write-path-sql.test.ts and the dialect parse tests, the adapters by mocked-SDK unit tests.

const missing = (names: string[]) => names.filter((n) => !process.env[n]);

const dropSchemas = async (adapter: Adapter, schemas: string[]) => {
  for (const s of schemas) await adapter.execute(`drop schema if exists ${adapter.dialect.quoteIdent(s)} cascade`);
};

const sfMissing = [
  ...missing(['SNOWFLAKE_ACCOUNT', 'SNOWFLAKE_USER', 'SNOWFLAKE_DATABASE', 'SNOWFLAKE_WAREHOUSE']),
  ...(process.env.SNOWFLAKE_PASSWORD || process.env.SNOWFLAKE_PRIVATE_KEY_PATH ? [] : ['SNOWFLAKE_PASSWORD or SNOWFLAKE_PRIVATE_KEY_PATH']),
];
warehouseSuite(
  'snowflake',
  sfMissing.length > 0
    ? { skip: `no Snowflake credentials in the environment (missing ${sfMissing.join(', ')})` }
    : {
        type: 'snowflake',
        multiWriter: true,
        target: () => ({
          name: 'wh',
          type: 'snowflake',
          settings: {
            account: "{{ env('SNOWFLAKE_ACCOUNT') }}",
            user: "{{ env('SNOWFLAKE_USER') }}",
            database: "{{ env('SNOWFLAKE_DATABASE') }}",
            warehouse: "{{ env('SNOWFLAKE_WAREHOUSE') }}",
            ...(process.env.SNOWFLAKE_ROLE ? { role: "{{ env('SNOWFLAKE_ROLE') }}" } : {}),
            ...(process.env.SNOWFLAKE_PRIVATE_KEY_PATH
              ? { private_key_path: "{{ env('SNOWFLAKE_PRIVATE_KEY_PATH') }}" }
              : { password: "{{ env('SNOWFLAKE_PASSWORD') }}" }),
          },
        }),
        cleanup: dropSchemas,
      },
);

const bqMissing = [
  ...missing(['BIGQUERY_PROJECT']),
  ...(process.env.GOOGLE_APPLICATION_CREDENTIALS || process.env.BIGQUERY_USE_ADC === '1' ? [] : ['GOOGLE_APPLICATION_CREDENTIALS (or BIGQUERY_USE_ADC=1)']),
];
warehouseSuite(
  'bigquery',
  bqMissing.length > 0
    ? { skip: `no BigQuery credentials in the environment (missing ${bqMissing.join(', ')})` }
    : {
        type: 'bigquery',
        multiWriter: true,
        target: () => ({
          name: 'wh',
          type: 'bigquery',
          settings: {
            project: "{{ env('BIGQUERY_PROJECT') }}",
            ...(process.env.BIGQUERY_LOCATION ? { location: "{{ env('BIGQUERY_LOCATION') }}" } : {}),
            ...(process.env.GOOGLE_APPLICATION_CREDENTIALS ? { key_file: "{{ env('GOOGLE_APPLICATION_CREDENTIALS') }}" } : {}),
          },
        }),
        cleanup: dropSchemas,
      },
);
