/**
 * For a benchmark's child process (started with a piped stdin): stop the way SIGTERM stops it once
 * the parent goes away (its end of the pipe closes), so a benchmark killed mid-run (Ctrl-C, a
 * timeout) leaves no server running on the machine and skewing the next run's figures.
 */
export function stopWithParent(): void {
  process.stdin.on('end', () => process.kill(process.pid, 'SIGTERM'));
  process.stdin.on('error', () => process.kill(process.pid, 'SIGTERM'));
  process.stdin.resume();
}
