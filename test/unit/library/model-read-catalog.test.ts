import { describe, expect, it } from 'vitest';
import { getDialect } from '../../../src/dialects/registry.js';
import { createWriteback } from '../../../src/library/writeback.js';
import { RecordingAdapter } from '../../analyzers/recording-adapter.js';
import { PROJECTS, projectOn } from '../dialects/remote-projects.js';

// A model read finds its view through the adapter's own catalog reader on the warehouses whose
// adapters have no read connections of their own: BigQuery has no unqualified
// information_schema and no current_database(), and Snowflake stores folded names.

describe.each(['snowflake', 'bigquery'] as const)('%s (mocked warehouse): model reads', (type) => {
  it('mocked: an applied model is read from its view; an unapplied one is "not applied yet"; no information_schema query is sent', async () => {
    const project = await projectOn(PROJECTS.demo!, type);
    const adapter = new RecordingAdapter(getDialect(type));
    const wb = await createWriteback(project, adapter, { targetName: project.defaultTarget });
    adapter.tables = [{ schema: 'planning', name: 'account_forecast', kind: 'view', columns: [{ name: 'account_id', dataType: 'x' }] }];
    adapter.answers = [{ matches: /account_forecast/i, rows: () => [{ account_id: 'A1' }] }];

    const read = await wb.models.rows('account_forecast');
    if (!read.ok) throw new Error(read.error.message);
    expect(read.rows.columns).toEqual(['account_id']);
    const rows = [];
    for await (const chunk of read.rows.chunks()) rows.push(...chunk);
    expect(rows).toEqual([{ account_id: 'A1' }]);
    const missing = await wb.models.rows('account_categories');
    expect(missing.ok ? undefined : missing.error).toMatchObject({ code: 'not_found', message: expect.stringContaining('not applied yet') });
    expect(adapter.log.filter((s) => /information_schema/i.test(s.sql))).toEqual([]);
    await wb.close();
  });
});
