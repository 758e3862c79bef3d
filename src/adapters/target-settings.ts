import { expandEnvRefs } from '../schema/env-ref.js';
import { UsageError } from './usage-error.js';

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
    out[key] = expandEnvRefs(text, env, (name) => unsetVariable(targetName, key, name));
  }
  return out;
}

/** The error for a setting that reads an environment variable which is not set (or empty). */
export function unsetVariable(targetName: string, setting: string, variable: string): UsageError {
  return new UsageError(
    `target '${targetName}': setting '${setting}' reads the environment variable ${variable}, which is not set ` +
      `(export ${variable}=… before running writeback, or put it in your CI secrets)`,
  );
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
