import { readFileSync } from 'node:fs';

/** The command line of a process (Linux `/proc/<pid>/cmdline`), or `undefined` where it cannot be read. */
export function processCommand(pid: number): string | undefined {
  try {
    const text = readFileSync(`/proc/${pid}/cmdline`, 'utf8');
    const args = text.split('\0').filter((a) => a !== '');
    return args.length > 0 ? args.join(' ') : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Whether a process is a `writeback` command: its program or script is `writeback`/`writeback.js`
 * (the bin, npx, a global install) or the CLI's entry module. Unknown when its command line cannot be read.
 */
export function isWritebackProcess(pid: number): boolean | undefined {
  const command = processCommand(pid);
  if (command === undefined) return undefined;
  return /(^|[\s/\\])writeback(\.js)?(\s|$)|[/\\]cli[/\\]main\.[jt]s(\s|$)/.test(command);
}
