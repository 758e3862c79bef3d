import { randomFillSync } from 'node:crypto';

const pool = Buffer.alloc(8192);
let poolPos = pool.length;
let lastMs = 0;
let counter = 0;
const id = Buffer.alloc(16);

/**
 * A UUIDv7 (RFC 9562): 48-bit Unix milliseconds, then a 12-bit counter that keeps ids of the
 * same millisecond in order within this process, then 62 random bits. Ids sort by time.
 */
export function uuidv7(nowMs: number = Date.now()): string {
  if (nowMs > lastMs) {
    lastMs = nowMs;
    counter = 0;
  } else if (++counter > 0xfff) {
    lastMs += 1;
    counter = 0;
  }
  if (poolPos + 8 > pool.length) {
    randomFillSync(pool);
    poolPos = 0;
  }
  id.writeUIntBE(lastMs, 0, 6);
  id[6] = 0x70 | ((counter >>> 8) & 0x0f);
  id[7] = counter & 0xff;
  pool.copy(id, 8, poolPos, poolPos + 8);
  poolPos += 8;
  id[8] = 0x80 | (id[8]! & 0x3f);
  const h = id.toString('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}
