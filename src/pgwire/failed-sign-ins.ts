/** Longest wait before a sign-in attempt is answered. */
const MAX_DELAY_MS = 5_000;
/** A client's failures are forgotten this long after its last one. */
const FORGET_MS = 15 * 60_000;

/**
 * Slows password guessing: each failed sign-in from an address makes that address's next attempts
 * wait longer (250 ms per failure, at most 5 s) until one succeeds or 15 minutes pass.
 */
export class FailedSignIns {
  private readonly byAddress = new Map<string, { count: number; last: number }>();

  /** Wait as long as the address's failures require. */
  async wait(address: string): Promise<void> {
    const entry = this.byAddress.get(address);
    if (!entry) return;
    if (Date.now() - entry.last > FORGET_MS) {
      this.byAddress.delete(address);
      return;
    }
    const ms = Math.min(MAX_DELAY_MS, entry.count * 250);
    await new Promise((resolve) => setTimeout(resolve, ms).unref());
  }

  record(address: string): void {
    const entry = this.byAddress.get(address);
    this.byAddress.set(address, { count: (entry?.count ?? 0) + 1, last: Date.now() });
    if (this.byAddress.size > 10_000) {
      const oldest = this.byAddress.keys().next().value;
      if (oldest !== undefined) this.byAddress.delete(oldest);
    }
  }

  clear(address: string): void {
    this.byAddress.delete(address);
  }
}
