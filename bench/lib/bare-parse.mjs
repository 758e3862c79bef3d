// The floor of `writeback validate`: a process that only reads every file of a project the loader
// reads (project.yml, inputs/, models/, macros/) and parses each YAML file with the same `yaml`
// package and the same options as src/project/parse-yaml.ts. Plain JavaScript, so nothing is
// transpiled. Usage: node bench/lib/bare-parse.mjs <project dir>; prints the number of documents.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { LineCounter, parseAllDocuments } from 'yaml';

const dir = process.argv[2];
if (!dir) throw new Error('usage: bare-parse.mjs <project dir>');

function filesUnder(folder) {
  let entries;
  try {
    entries = readdirSync(folder, { withFileTypes: true, recursive: true });
  } catch {
    return [];
  }
  return entries.filter((e) => e.isFile()).map((e) => join(e.parentPath, e.name)).sort();
}

let documents = 0;
const files = [join(dir, 'project.yml'), ...['inputs', 'models', 'macros'].flatMap((f) => filesUnder(join(dir, f)))];
for (const file of files) {
  const text = readFileSync(file, 'utf8');
  if (!/\.ya?ml$/.test(file)) continue;
  const parsed = parseAllDocuments(text, { lineCounter: new LineCounter(), prettyErrors: false, uniqueKeys: false, keepSourceTokens: true });
  documents += 'empty' in parsed ? 0 : parsed.length;
}
process.stdout.write(`${files.length} files, ${documents} documents\n`);
