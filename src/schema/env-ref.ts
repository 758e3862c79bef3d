/** `{{ env('NAME') }}` (single or double quotes, optional spaces), anywhere in a setting's text. */
const ENV_REF = /\{\{\s*env\(\s*(['"])([A-Za-z_][A-Za-z0-9_]*)\1\s*\)\s*\}\}/g;

/** Whether a setting's text reads an environment variable (its final value is known only when it runs). */
export function hasEnvRef(text: string): boolean {
  return new RegExp(ENV_REF.source).test(text);
}

/**
 * `text` with every `{{ env('X') }}` replaced by the variable's value. A variable that is unset or
 * empty is handed to `unset`, which returns the error to throw (it names the setting and where).
 */
export function expandEnvRefs(text: string, env: NodeJS.ProcessEnv, unset: (variable: string) => Error): string {
  return text.replace(ENV_REF, (_m, _q: string, name: string) => {
    const value = env[name];
    if (value === undefined || value === '') throw unset(name);
    return value;
  });
}

/** `text` with every `{{ env('X') }}` replaced by `render(X)` (e.g. the same reference in another tool's syntax). */
export function mapEnvRefs(text: string, render: (variable: string) => string): string {
  return text.replace(ENV_REF, (_m, _q: string, name: string) => render(name));
}
