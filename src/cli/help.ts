import type { Command } from 'commander';

/** Add an "Examples:" section to a command's `--help`: what each example does, then the command line. */
export function examples(command: Command, lines: readonly (readonly [string, string])[]): Command {
  const text = lines.map(([cmd, what]) => `  # ${what}\n  $ ${cmd}`).join('\n');
  return command.addHelpText('after', `\nExamples:\n${text}\n`);
}
