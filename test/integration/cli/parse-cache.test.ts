import { cpSync, existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { runCli, tempDir, type CliResult } from '../../helpers/cli.js';

const CACHE = join('target', 'parse-cache', 'files.bin');

// `validate` keeps what it read of clean files in target/parse-cache/ and reuses it on the next run
// for files that did not change. Whatever the cache holds, the answer is the one a run without it
// gives: the same success, or the same diagnostics at the same file:line:col.
describe('the parse cache of validate', () => {
  let scaffold: string;
  beforeAll(async () => {
    scaffold = join(tempDir(), 'scaffold');
    expect((await runCli(['init', scaffold])).code).toBe(0);
  });

  function project(): string {
    const dir = join(tempDir(), 'p');
    cpSync(scaffold, dir, { recursive: true });
    return dir;
  }
  const validate = (dir: string): Promise<CliResult> => runCli(['validate', '--project', dir, '--json']);
  /** `validate` after the cache is removed: the answer every cached run must give. */
  async function uncached(dir: string): Promise<CliResult> {
    rmSync(join(dir, 'target', 'parse-cache'), { recursive: true, force: true });
    return validate(dir);
  }
  const answer = (r: CliResult) => ({ code: r.code, stdout: r.stdout });

  it('is written by a run and gives the same answer on the next', async () => {
    const dir = project();
    const first = await validate(dir);
    expect(first.code).toBe(0);
    expect(existsSync(join(dir, CACHE))).toBe(true);
    expect(answer(await validate(dir))).toEqual(answer(first));
  });

  /**
   * A clean project validated once (the cache written), then `edit`ed and validated again: the
   * cached run's answer, which must equal the answer of a run without the cache.
   */
  async function afterEdit(edit: (dir: string) => void): Promise<CliResult> {
    const dir = project();
    expect((await validate(dir)).code).toBe(0);
    edit(dir);
    const cached = await validate(dir);
    expect(answer(cached)).toEqual(answer(await uncached(dir)));
    return cached;
  }
  const rewrite = (file: string, from: string, to: string) => writeFileSync(file, readFileSync(file, 'utf8').replace(from, to));

  it('re-reads a changed file: its new problem is reported where it is', async () => {
    const cached = await afterEdit((dir) => rewrite(join(dir, 'inputs', 'customer_notes.yml'), 'max: 100', 'max: 100, colour: blue'));
    expect(cached.code).toBe(1);
    expect(cached.stdout).toContain('"code": "unknown-key"');
  });

  it('locates a problem found across files in a file that came from the cache', async () => {
    // the model is unchanged (read from the cache); the input it joins is gone
    const cached = await afterEdit((dir) => rmSync(join(dir, 'inputs', 'customer_notes.yml')));
    expect(cached.code).toBe(1);
    expect(cached.stdout).toContain('"file": "models/customers_enriched.yml"');
  });

  it('is not used for files read against another project.yml', async () => {
    const cached = await afterEdit((dir) => rewrite(join(dir, 'project.yml'), '  viewer: {}\n', ''));
    expect(cached.code).toBe(1);
    expect(cached.stdout).toContain('viewer');
  });

  it('is ignored when corrupt', async () => {
    const cached = await afterEdit((dir) => writeFileSync(join(dir, CACHE), 'not a cache'));
    expect(cached.code).toBe(0);
  });
});
