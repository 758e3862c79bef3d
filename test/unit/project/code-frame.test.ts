import { describe, expect, it } from 'vitest';
import { diagnostic, type Diagnostic } from '../../../src/diagnostics/diagnostic.js';
import { formatDiagnostics } from '../../../src/diagnostics/code-frame.js';

const files: Record<string, string> = {
  'inputs/a.yml': ['key: id', 'columns:', '  id: { type: string }', '  amount: { type: number, mn: 0 }', '  note: { type: text }', '  x: { type: text }', ''].join('\n'),
  'project.yml': 'name: demo\n',
};
const readFile = (f: string) => files[f];

describe('formatDiagnostics', () => {
  it('groups by file and prints a code frame with context, a caret and the hint', () => {
    const diags: Diagnostic[] = [
      diagnostic('error', 'unknown-key', { key: 'mn', allowed: ['min', 'max'] }, { file: 'inputs/a.yml', line: 4, col: 28, endLine: 4, endCol: 30 }, 'did you mean `min`?'),
      diagnostic('error', 'invalid-name', { what: 'project', name: 'Demo', problem: 'must start with a lowercase letter' }, { file: 'project.yml', line: 1, col: 7 }),
      diagnostic('error', 'no-project', { dir: '/nowhere' }),
    ];
    const out = formatDiagnostics(diags, '/nowhere', { readFile });
    expect(out).toBe(
      [
        'project',
        '  (project)  no-project  no project.yml found in /nowhere',
        '    hint: run writeback in a project directory, or pass --project <dir>',
        '',
        'inputs/a.yml',
        '  inputs/a.yml:4:28  unknown-key  unknown key `mn`; allowed keys: `min`, `max`',
        '    2 | columns:',
        '    3 |   id: { type: string }',
        '  > 4 |   amount: { type: number, mn: 0 }',
        '      |                            ^^',
        '    5 |   note: { type: text }',
        '    6 |   x: { type: text }',
        '    hint: did you mean `min`?',
        '',
        'project.yml',
        '  project.yml:1:7  invalid-name  invalid project name "Demo": must start with a lowercase letter',
        '  > 1 | name: demo',
        '      |       ^',
        '    2 |',
      ].join('\n'),
    );
  });

  it('marks warnings, colors only when asked, and skips frames for unreadable files', () => {
    const w: Diagnostic = diagnostic('warning', 'missing-default-macro', { macro: 'fq', dialects: ['snowflake'] }, { file: 'macros/gone.sql', line: 1, col: 1 }, 'add a default');
    const plain = formatDiagnostics([w], '/nowhere', { readFile });
    expect(plain).toBe(
      'macros/gone.sql\n  macros/gone.sql:1:1  missing-default-macro (warning)  macro `fq` has only dialect variants (snowflake); other targets cannot compile calls to it\n    hint: add a default',
    );
    expect(plain).not.toContain('\u001b[');
    expect(formatDiagnostics([w], '/nowhere', { readFile, color: true })).toContain('\u001b[33m');
  });
});
