import { cpSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { runCli, tempDir } from '../../helpers/cli.js';

/** Every file under `dir` with its text, by path relative to `dir`. */
function tree(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const e of readdirSync(dir, { withFileTypes: true, recursive: true })) {
    if (e.isFile()) out[relative(dir, join(e.parentPath, e.name))] = readFileSync(join(e.parentPath, e.name), 'utf8');
  }
  return out;
}

// A repeated compile leaves target/compiled/<dialect>/ holding exactly what a compile into an
// empty folder writes: changed files rewritten, files of removed objects and stray files gone.
describe('compile output folder', () => {
  let scaffold: string;
  beforeAll(async () => {
    scaffold = join(tempDir(), 'scaffold');
    expect((await runCli(['init', scaffold])).code).toBe(0);
  });

  it('holds exactly the compiled files after a change', async () => {
    const dir = join(tempDir(), 'p');
    cpSync(scaffold, dir, { recursive: true });
    const out = join(dir, 'target', 'compiled', 'duckdb');
    expect((await runCli(['compile', '--project', dir])).code).toBe(0);
    const before = tree(out);
    expect(Object.keys(before)).toContain('models/customers_enriched.sql');

    mkdirSync(join(out, 'stray'), { recursive: true });
    writeFileSync(join(out, 'stray', 'old.sql'), 'select 1\n');
    writeFileSync(join(out, 'models', 'customers_enriched.sql'), 'edited by hand\n');
    rmSync(join(dir, 'models', 'customers_enriched.yml'));
    writeFileSync(join(dir, 'models', 'notes_only.yml'), 'name: notes_only\nkind: enrich\nsource: crm.customers\ninputs:\n  - input: customer_notes\n    on: { customer_id: id }\n');
    expect((await runCli(['compile', '--project', dir])).code).toBe(0);
    const again = tree(out);

    const fresh = join(dir, 'fresh');
    expect((await runCli(['compile', '--project', dir, '--out', fresh])).code).toBe(0);
    expect(again).toEqual(tree(fresh));
    expect(Object.keys(again)).not.toContain('models/customers_enriched.sql');
    expect(readdirSync(out)).not.toContain('stray');
  });
});
