// Loaded with `node --import`: makes importing any warehouse SDK fail loudly, so a test can prove
// that a command never loads one.
import { register } from 'node:module';

const hook = `
export async function resolve(specifier, context, next) {
  if (/^(pg|pg-[a-z-]+|snowflake-sdk|@google-cloud\\/bigquery)(\\/|$)/.test(specifier)) throw new Error('WAREHOUSE SDK LOADED: ' + specifier);
  return next(specifier, context);
}`;
register(`data:text/javascript,${encodeURIComponent(hook)}`);
