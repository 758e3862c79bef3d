import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/** The version of the installed package (package.json two folders up, from src/cli/ and dist/cli/ alike). */
export function packageVersion(): string {
  try {
    const pkg = JSON.parse(readFileSync(fileURLToPath(new URL('../../package.json', import.meta.url)), 'utf8')) as { version?: unknown };
    return typeof pkg.version === 'string' ? pkg.version : 'unknown';
  } catch {
    return 'unknown';
  }
}
