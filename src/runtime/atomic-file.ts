import { chmodSync, mkdirSync, renameSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';

/**
 * Write `text` to `path` so that a reader sees the old file or the new one, never a part: a temp
 * file of this process, then a rename. With `mode`, the file has exactly that mode.
 */
export function writeFileAtomically(path: string, text: string, mode?: number): void {
  mkdirSync(dirname(path), { recursive: true });
  const tmp = `${path}.${process.pid}.tmp`;
  writeFileSync(tmp, text, mode === undefined ? {} : { mode });
  // the umask cannot widen the mode, but an existing temp file keeps its old one
  if (mode !== undefined) chmodSync(tmp, mode);
  renameSync(tmp, path);
}
