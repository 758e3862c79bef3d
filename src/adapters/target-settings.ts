import { UsageError } from './usage-error.js';

/** `{{ env('NAME') }}` (single or double quotes, optional spaces), anywhere in a setting's text. */
const ENV_REF = /\{\{\s*env\(\s*(['"])([A-Za-z_][A-Za-z0-9_]*)\1\s*\)\s*\}\}/g;

/**
 * Resolve `{{ env('X') }}` in every setting of a remote target, at connect time. A variable that
 * is unset (or empty) is a UsageError naming the variable, the setting and the target.
 */
export function resolveTargetSettings(
  targetName: string,
  settings: Record<string, string | number | boolean>,
  env: NodeJS.ProcessEnv = process.env,
): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [key, raw] of Object.entries(settings)) {
    if (key === 'type' || key === 'name') continue;
    const text = String(raw);
    out[key] = text.replace(ENV_REF, (_m, _q: string, name: string) => {
      const value = env[name];
      if (value === undefined || value === '')
        throw new UsageError(
          `target '${targetName}': setting '${key}' reads the environment variable ${name}, which is not set ` +
            `(export ${name}=… before running writeback, or put it in your CI secrets)`,
        );
      return value;
    });
  }
  return out;
}

/** A required setting, or a UsageError that names it and shows the project.yml line to add. */
export function requireSetting(targetName: string, settings: Record<string, string>, key: string, example: string): string {
  const value = settings[key];
  if (value === undefined || value === '')
    throw new UsageError(`target '${targetName}' needs '${key}' in project.yml (e.g. ${key}: ${example})`);
  return value;
}

/** An optional whole-number setting; a UsageError when it is not one. */
export function intSetting(targetName: string, settings: Record<string, string>, key: string): number | undefined {
  const value = settings[key];
  if (value === undefined || value === '') return undefined;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0) throw new UsageError(`target '${targetName}': '${key}' must be a whole number, got '${value}'`);
  return n;
}
