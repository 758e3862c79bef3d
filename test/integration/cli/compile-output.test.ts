import { cpSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { deserialize, serialize } from 'node:v8';
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

  // compile keeps sql-formatter's layout of each statement shape in target/parse-cache/formats.bin
  // (src/emit/format.ts) and a later compile formats from it
  it('formats from the layouts a previous compile kept, to the same files', async () => {
    const dir = join(tempDir(), 'p');
    cpSync(scaffold, dir, { recursive: true });
    const out = join(dir, 'target', 'compiled', 'duckdb');
    const compileFresh = async () => {
      rmSync(out, { recursive: true, force: true });
      rmSync(join(dir, 'target', 'parse-cache', 'files.bin'), { force: true });
      expect((await runCli(['compile', '--project', dir])).code).toBe(0);
      return tree(out);
    };
    const first = await compileFresh();
    // the file as the CLI wrote it, stamped with the CLI's own code (the tests' children run a build of
    // the sources, not this process's modules): its value is changed below under the same stamp
    const formats = join(dir, 'target', 'parse-cache', 'formats.bin');
    const stamped = deserialize(readFileSync(formats)) as { value: Map<string, [string, string][]> };
    const kept = stamped.value;
    expect(kept.get('duckdb')?.length).toBeGreaterThan(0);
    expect(await compileFresh()).toEqual(first);

    // the kept layouts are what the files are made from: marked ones show the mark
    writeFileSync(formats, serialize({ ...stamped, value: new Map([['duckdb', kept.get('duckdb')!.map(([k, v]) => [k, `${v}\n-- kept layout`])]]) }));
    const marked = await compileFresh();
    expect(marked['models/customers_enriched.sql']).toContain('-- kept layout');

    // a corrupt file is ignored
    writeFileSync(join(dir, 'target', 'parse-cache', 'formats.bin'), 'not a cache');
    expect(await compileFresh()).toEqual(first);
  });
});
