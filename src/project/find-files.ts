import { readdir } from 'node:fs/promises';
import { join, relative, sep } from 'node:path';

/**
 * Files under `dir/sub` (recursively) whose names end with one of `exts`, as paths relative to
 * `dir` with `/` separators, sorted. Hidden files and folders are skipped; a missing folder is empty.
 */
export async function findFiles(dir: string, sub: string, exts: readonly string[]): Promise<string[]> {
  let entries: string[];
  try {
    entries = await readdir(join(dir, sub), { recursive: true });
  } catch {
    return [];
  }
  return entries
    .map((e) => relative(dir, join(dir, sub, e)).split(sep).join('/'))
    .filter((p) => !p.split('/').some((part) => part.startsWith('.')) && exts.some((x) => p.endsWith(x)))
    .sort();
}
