import { LineCounter } from 'yaml';
import type { Reporter } from '../diagnostics/reporter.js';
import type { MacroDraft } from '../resolve/references.js';
import { parseMacroFile } from '../emit/template.js';
import { nameProblem } from '../schema/names.js';
import { rangeLoc } from './yaml-file.js';

/** `default__name` is the same as `name` (dbt's spelling of the default variant). */
const DEFAULT_PREFIX = 'default';

/**
 * Reads a `macros/*.sql` file into macro variants (`<dialect>__name` → `dialect` set), reporting
 * `template-syntax` and `invalid-name` problems at their exact `file:line:col`.
 */
export function readMacroFile(file: string, text: string, report: Reporter): MacroDraft[] {
  const lineCounter = new LineCounter();
  lineCounter.addNewLine(0);
  for (let i = 0; i < text.length; i++) if (text[i] === '\n') lineCounter.addNewLine(i + 1);
  const locAt = (offset: number, end?: number) => rangeLoc(file, lineCounter, offset, end);
  const parsed = parseMacroFile(text);
  for (const e of parsed.errors) report.error('template-syntax', { problem: e.message }, locAt(e.start, e.end));
  const out: MacroDraft[] = [];
  for (const m of parsed.macros) {
    const dialect = m.dialect === DEFAULT_PREFIX ? undefined : m.dialect;
    const problem = nameProblem(m.baseName) ?? (m.dialect !== undefined ? nameProblem(m.dialect) : undefined);
    if (problem) {
      report.error('invalid-name', { what: 'macro', name: m.name, problem }, locAt(m.nameStart, m.nameEnd), 'a dialect variant is written `<dialect>__<name>`, e.g. `snowflake__fiscal_quarter`');
      continue;
    }
    for (const p of m.params) {
      const pp = nameProblem(p.name);
      if (pp) report.error('invalid-name', { what: 'parameter', name: p.name, problem: pp }, locAt(p.start, p.end));
    }
    out.push({
      variant: {
        name: dialect === undefined ? m.baseName : m.name,
        ...(dialect !== undefined ? { dialect } : {}),
        params: m.params.map((p) => ({ name: p.name, ...(p.default !== undefined ? { default: p.default } : {}) })),
        body: m.body,
        loc: locAt(m.nameStart, m.nameEnd),
        bodyLoc: locAt(m.bodyStart),
      },
      template: m.template,
      locAt: (offset) => locAt(offset),
    });
  }
  return out;
}
