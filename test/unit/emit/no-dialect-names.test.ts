import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { listDialects } from '../../../src/dialects/registry.js';

// STYLE: the compiler reads capability flags and never branches on a dialect's name.
const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..', 'src');
const tsFiles = (folder: string) =>
  readdirSync(join(root, folder), { recursive: true, encoding: 'utf8' })
    .filter((f) => f.endsWith('.ts'))
    .map((f) => join(folder, f));
const files = [...tsFiles('emit'), ...tsFiles('resolve'), ...tsFiles('plan'), ...tsFiles('apply')];

// Every registered dialect's name and formatter language (so a new dialect is covered automatically).
const names = [...new Set(['duckdb', 'snowflake', 'bigquery', 'postgres', 'postgresql', ...listDialects().flatMap((d) => [d.name, d.formatterLanguage])])];
const named = new RegExp(`['"\`](${names.join('|')})['"\`]`, 'i');

describe('the emitter never names a dialect', () => {
  it('knows every registered dialect', () => {
    expect(names).toEqual(expect.arrayContaining(listDialects().map((d) => d.name)));
    expect(listDialects().length).toBeGreaterThanOrEqual(4);
  });

  it.each(files)('%s', (file) => {
    const code = readFileSync(join(root, file), 'utf8').replace(/\/\*[\s\S]*?\*\/|\/\/.*$/gm, '');
    expect(code).not.toMatch(named);
  });
});
