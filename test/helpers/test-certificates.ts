import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/** Debian's openssl, which makes the TLS tests' certificates. */
export const OPENSSL = '/usr/bin/openssl';

/** Why the certificates cannot be made here, or undefined. */
export function opensslUnavailable(): string | undefined {
  return existsSync(OPENSSL) ? undefined : 'openssl is missing (it makes the test certificates): apt-get install -y openssl';
}

/**
 * PEM files under `dir/certs`: a CA (`ca.pem`), a server certificate for DNS:localhost signed by it
 * (`server.pem`, `server.key`) and, with `otherCa`, an unrelated CA (`other-ca.pem`). Returns the
 * server's certificate and key.
 */
export function makeTestCertificates(dir: string, options: { otherCa?: boolean } = {}): { cert: string; key: string } {
  const certs = join(dir, 'certs');
  mkdirSync(certs);
  const run = (...args: string[]) => {
    const r = spawnSync(OPENSSL, args, { cwd: certs, encoding: 'utf8' });
    if (r.status !== 0) throw new Error(`openssl ${args[0]} failed: ${r.stderr}`);
  };
  run('req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', 'ca.key', '-out', 'ca.pem', '-days', '2', '-subj', '/CN=writeback test CA');
  if (options.otherCa) run('req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', 'other.key', '-out', 'other-ca.pem', '-days', '2', '-subj', '/CN=another CA');
  run('req', '-newkey', 'rsa:2048', '-nodes', '-keyout', 'server.key', '-out', 'server.csr', '-subj', '/CN=localhost');
  writeFileSync(join(certs, 'san.ext'), 'subjectAltName=DNS:localhost\n');
  run('x509', '-req', '-in', 'server.csr', '-CA', 'ca.pem', '-CAkey', 'ca.key', '-CAcreateserial', '-out', 'server.pem', '-days', '2', '-extfile', 'san.ext');
  return { cert: readFileSync(join(certs, 'server.pem'), 'utf8'), key: readFileSync(join(certs, 'server.key'), 'utf8') };
}
