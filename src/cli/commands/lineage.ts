import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, relative, resolve } from 'node:path';
import type { Command } from 'commander';
import type { VersionInfo } from '../../plan/versions.js';
import { adminOrFail } from '../admin-call.js';
import { globals, loadOrExit } from '../context.js';
import { paint, plural, printJson } from '../output.js';
import { examples } from '../help.js';

export function registerLineage(program: Command): void {
  const cmd = program
    .command('lineage')
    .description('export as JSON every source table, input table and model, the relations they are on the target, and what each reads (offline)')
    .option('-o, --out <file>', 'write the export to a file instead of standard output')
    .option('--versions', 'also list each model\'s applied versions `<model>__v<N>` (reads the version registry from the warehouse or the running server)')
    .option('--schema', 'print the JSON Schema of the export instead (nothing is loaded)')
    .action(async (options: { out?: string; versions?: boolean; schema?: boolean }, command: Command) => {
      const opts = globals(command);
      const { lineage, lineageJsonSchema } = await import('../../library/lineage.js');
      if (options.schema) return emit(lineageJsonSchema(), options.out, opts.json, 'the JSON Schema of the lineage export');
      const project = await loadOrExit(opts);
      const versions = options.versions ? (await adminOrFail<{ versions: VersionInfo[] }>(opts, 'GET', 'versions')).versions : undefined;
      const result = lineage(project, { ...(opts.target !== undefined ? { target: opts.target } : {}), ...(versions ? { versions } : {}) });
      emit(result, options.out, opts.json, `${plural(result.sources.length, 'source table')}, ${plural(result.inputs.length, 'input table')}, ${plural(result.models.length, 'model')} and ${plural(result.edges.length, 'edge')}`);
    });
  examples(cmd, [
    ['writeback lineage > lineage.json', 'the lineage of the default target'],
    ['writeback lineage --target prod --versions --out target/lineage.json', 'with the prod relation names and every applied model version'],
    ['writeback lineage --schema', 'the JSON Schema the export follows'],
  ]);
}

/** Print `value` as JSON, or write it to `out` and say so (as JSON with `--json`). */
function emit(value: unknown, out: string | undefined, json: boolean | undefined, what: string): void {
  const text = JSON.stringify(value, null, 2) + '\n';
  if (out === undefined) {
    process.stdout.write(text);
    return;
  }
  const file = resolve(out);
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, text);
  if (json) return printJson({ ok: true, out: file });
  console.log(`${paint('green', '✓')} wrote ${what} to ${relative(process.cwd(), file) || file}`);
}
