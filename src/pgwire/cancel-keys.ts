import { randomInt, timingSafeEqual } from 'node:crypto';

/**
 * The BackendKeyData of each open connection: a process id and a secret key that a CancelRequest
 * must both name (the secret compared in constant time) to cancel that connection's statement.
 */
export class CancelKeys {
  private readonly keys = new Map<number, { secret: Buffer; cancel: () => void }>();

  /** New key for a connection; `release` it when the connection ends. */
  issue(cancel: () => void): { pid: number; secret: number; release: () => void } {
    let pid: number;
    do pid = randomInt(1, 2 ** 31 - 1);
    while (this.keys.has(pid));
    const secret = randomInt(0, 2 ** 31 - 1) | (randomInt(0, 2) << 31);
    const bytes = Buffer.alloc(4);
    bytes.writeInt32BE(secret);
    this.keys.set(pid, { secret: bytes, cancel });
    return { pid, secret, release: () => this.keys.delete(pid) };
  }

  /** Cancel the statement of `pid` if `secret` is its key; whether it was. */
  cancel(pid: number, secret: Buffer): boolean {
    const entry = this.keys.get(pid);
    if (!entry || secret.length !== 4 || !timingSafeEqual(entry.secret, secret)) return false;
    entry.cancel();
    return true;
  }
}
