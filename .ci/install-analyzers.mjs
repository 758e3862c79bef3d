#!/usr/bin/env node
// Installs the GoogleSQL (BigQuery) and Snowflake SQL analyzers — npm packages that each ship a
// ~340 MB gRPC server binary — into a cache folder outside the project's node_modules, at the exact
// versions of test/analyzers/analyzer-packages.json. A folder already holding them is reused.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');

/** The pinned analyzer packages: { bigquery: { package, version }, snowflake: { package, version } }. */
export const analyzerPackages = JSON.parse(readFileSync(join(root, 'test/analyzers/analyzer-packages.json'), 'utf8'));

/** Where the analyzers live: $WRITEBACK_ANALYZERS_DIR, else $XDG_CACHE_HOME (or ~/.cache)/writeback-analyzers/<versions>. */
export function analyzersDir() {
  const key = Object.values(analyzerPackages).map((p) => `${p.package.split('/').pop()}-${p.version}`).join('_');
  return process.env.WRITEBACK_ANALYZERS_DIR || join(process.env.XDG_CACHE_HOME || join(homedir(), '.cache'), 'writeback-analyzers', key);
}

/** Whether the pinned version of `p` is installed in `dir`. */
export function analyzerInstalled(dir, p) {
  const file = join(dir, 'node_modules', p.package, 'package.json');
  return existsSync(file) && JSON.parse(readFileSync(file, 'utf8')).version === p.version;
}

function install() {
  const dir = analyzersDir();
  const packages = Object.values(analyzerPackages);
  if (packages.every((p) => analyzerInstalled(dir, p))) {
    console.log(`analyzers: reusing ${dir}`);
    return;
  }
  mkdirSync(dir, { recursive: true });
  if (!existsSync(join(dir, 'package.json'))) writeFileSync(join(dir, 'package.json'), '{ "private": true }\n');
  console.log(`analyzers: installing ${packages.map((p) => `${p.package}@${p.version}`).join(', ')} into ${dir} (~700 MB)`);
  // --ignore-scripts: the packages need none (their server binaries are in the tarballs)
  const args = ['install', '--prefix', dir, '--save-exact', '--ignore-scripts', '--no-audit', '--no-fund'];
  execFileSync('npm', [...args, ...packages.map((p) => `${p.package}@${p.version}`)], { stdio: 'inherit' });
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) install();
