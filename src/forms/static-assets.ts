import { existsSync, readFileSync } from 'node:fs';
import { extname, join, resolve } from 'node:path';

const TYPES: Readonly<Record<string, string>> = {
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
};

/** The folder of the page assets, next to this file (the build copies it into dist/forms/). */
export function assetsDir(): string {
  return join(import.meta.dirname, 'assets');
}

/**
 * Engine modules the pages load unchanged, so the browser runs the server's own rules: the column
 * rules, the status rules and the scenario-name rule (`src/rules/*.js`, next to this folder in src/
 * and in dist/).
 */
const SHARED_MODULES: Readonly<Record<string, string>> = {
  'column-rules.js': resolve(import.meta.dirname, '../rules/column-rules.js'),
  'status-rules.js': resolve(import.meta.dirname, '../rules/status-rules.js'),
  'scenario-name.js': resolve(import.meta.dirname, '../rules/scenario-name.js'),
};

/** A static asset by file name (`app.js`), or undefined for anything not a plain file name we serve. */
export function readAsset(dir: string, name: string): { body: string; type: string } | undefined {
  if (!/^[a-z0-9-]+\.(js|css|svg)$/.test(name)) return undefined;
  const path = Object.hasOwn(SHARED_MODULES, name) ? SHARED_MODULES[name]! : join(dir, name);
  if (!existsSync(path)) return undefined;
  return { body: readFileSync(path, 'utf8'), type: TYPES[extname(name)] ?? 'application/octet-stream' };
}
