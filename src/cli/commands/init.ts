import { existsSync, mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { basename, join, resolve } from 'node:path';
import type { Command } from 'commander';
import { UsageError } from '../context.js';
import { paint } from '../output.js';

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

export function registerInit(program: Command): void {
  program
    .command('init [dir]')
    .description('scaffold a working project (DuckDB target, a seed, an input table, a model)')
    .action((dir: string | undefined) => {
      const root = resolve(dir ?? '.');
      if (existsSync(root) && readdirSync(root).some((f) => f === 'project.yml')) {
        throw new UsageError(`${root} already has a project.yml; nothing written`);
      }
      const name = basename(root).toLowerCase().replace(/[^a-z0-9_]+/g, '_').replace(/^[^a-z]+/, '') || 'my_project';
      for (const [file, content] of Object.entries(scaffold(name))) {
        mkdirSync(join(root, file, '..'), { recursive: true });
        writeFileSync(join(root, file), content);
      }
      console.log(`${paint('green', '✓')} created project '${name}' in ${root}`);
      console.log(`  next: writeback apply --project ${dir ?? '.'}`);
    });
}
