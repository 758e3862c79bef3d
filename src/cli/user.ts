import { userInfo } from 'node:os';

/** The operating-system user: who the CLI records as the writer unless `--user` says otherwise. */
export function osUser(): string {
  try {
    return userInfo().username;
  } catch {
    return process.env.USER ?? 'unknown';
  }
}
