import { existsSync, mkdirSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import type { Command } from 'commander';
import { UsageError } from '../context.js';
import { paint } from '../output.js';
import { examples } from '../help.js';

/** The files of a new project: one source seed, one input table, one merge model, one macro. */
export function scaffold(name: string): Record<string, string> {
  return {
    'project.yml': `name: ${name}
default_target: dev
targets:
  dev: { type: duckdb, path: target/warehouse.duckdb }
schemas: { inputs: writeback, views: analytics }
sources:
  crm:
    # Where the source's tables live in the warehouse. Here the seed below loads crm.customers
    # into DuckDB's default schema, main; point it at the schema your real data is loaded into,
    # per target if they differ: schema: { dev: main, prod: RAW_CRM }
    schema: main
    tables:
      customers: { description: One row per customer }
seeds:
  - file: seeds/customers.csv
    into: crm.customers
roles:
  editor: { description: May edit customer notes }
  viewer: {}
`,
    'seeds/customers.csv': `id,name,country
c_001,Acme GmbH,DE
c_002,Globex Corp,US
c_003,Initech,US
`,
    'inputs/customer_notes.yml': `name: customer_notes
description: Notes and a health score that account managers type in.
key: [customer_id]
links_to: { source: crm.customers, on: { customer_id: id } }
columns:
  customer_id: { type: string, description: Customer id from the CRM }
  health:      { type: enum, values: [green, amber, red], default: green }
  score:       { type: 'decimal(5,2)', min: 0, max: 100 }
  note:        { type: text, max_length: 1000 }
permissions:
  editor: { read: true, write: true, delete: true }
  viewer: { read: true }
`,
    'models/customers_enriched.yml': `name: customers_enriched
description: Customers with the notes typed in by account managers.
kind: enrich
source: crm.customers
inputs:
  - input: customer_notes
    on: { customer_id: id }
    columns: [health, score, note]
`,
    'macros/safe_divide.sql': `{% macro safe_divide(numerator, denominator) %}
  case when {{ denominator }} = 0 then null else {{ numerator }} / {{ denominator }} end
{% endmacro %}
`,
    '.gitignore': 'target/\n',
  };
}

/** Whether a folder holds anything a person put there (hidden entries like .git do not count). */
function visibleEntries(dir: string): string[] {
  return existsSync(dir) ? readdirSync(dir).filter((f) => !f.startsWith('.')) : [];
}

export function registerInit(program: Command): void {
  const cmd = program
    .command('init [dir]')
    .description('scaffold a working project (DuckDB target, a seed, an input table, a model) in an empty or new folder')
    .option('--force', 'also into a folder that has files (existing files are kept, never overwritten)')
    .action((dir: string | undefined, flags: { force?: boolean }) => {
      const root = resolve(dir ?? '.');
      if (existsSync(root) && !statSync(root).isDirectory()) throw new UsageError(`${root} is a file, not a folder`);
      if (existsSync(join(root, 'project.yml'))) throw new UsageError(`${root} already has a project.yml; nothing written`);
      const present = visibleEntries(root);
      if (present.length > 0 && !flags.force) {
        const shown = present.slice(0, 5).join(', ') + (present.length > 5 ? `, … (${present.length} in all)` : '');
        throw new UsageError(`${root} is not empty (${shown}): init into an empty or new folder, or pass --force to add the project's files here (existing files are kept); nothing written`);
      }
      const name = basename(root).toLowerCase().replace(/[^a-z0-9_]+/g, '_').replace(/^[^a-z]+/, '') || 'my_project';
      const kept: string[] = [];
      for (const [file, content] of Object.entries(scaffold(name))) {
        const path = join(root, file);
        if (existsSync(path)) {
          kept.push(file);
          continue;
        }
        mkdirSync(dirname(path), { recursive: true });
        writeFileSync(path, content);
      }
      console.log(`${paint('green', '✓')} created project '${name}' in ${root}`);
      if (kept.length > 0) console.log(paint('yellow', `  kept the existing ${kept.join(', ')} (not overwritten)`));
      const project = dir === undefined ? '' : ` --project ${dir}`;
      // npx finds a project-local install as well as a global one
      console.log(`  next: npx writeback apply${project} && npx writeback dev${project}`);
    });
  examples(cmd, [
    ['writeback init shop', 'a new project in ./shop'],
    ['cd existing && writeback init --force', 'add a project to a folder that already has files'],
  ]);
}
