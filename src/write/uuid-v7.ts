import { randomFillSync } from 'node:crypto';

/** Random bytes, used 8 at a time, as hex text (refilled when used up). */
const pool = Buffer.alloc(8192);
let poolHex = '';
let poolPos = pool.length;
let lastMs = 0;
let counter = 0;
/** `tttttttt-tttt-` of `lastMs` (the id's first 14 characters), rebuilt when the millisecond moves. */
let timeText = '';
const VARIANT = '89ab';

/**
 * A UUIDv7 (RFC 9562): 48-bit Unix milliseconds, then a 12-bit counter that keeps ids of the
 * same millisecond in order within this process, then 62 random bits. Ids sort by time.
 */
export function uuidv7(nowMs: number = Date.now()): string {
  if (nowMs > lastMs) {
    lastMs = nowMs;
    counter = 0;
    timeText = '';
  } else if (++counter > 0xfff) {
    lastMs += 1;
    counter = 0;
    timeText = '';
  }
  if (timeText === '') {
    const t = lastMs.toString(16).padStart(12, '0');
    timeText = `${t.slice(0, 8)}-${t.slice(8, 12)}-`;
  }
  if (poolPos + 8 > pool.length) {
    randomFillSync(pool);
    poolHex = pool.toString('hex');
    poolPos = 0;
  }
  const r = poolPos * 2;
  poolPos += 8;
  // version 7 and the counter; then the variant (10xx) over the first random byte's top two bits
  return `${timeText}7${counter.toString(16).padStart(3, '0')}-${VARIANT[parseInt(poolHex[r]!, 16) & 3]}${poolHex.slice(r + 1, r + 4)}-${poolHex.slice(r + 4, r + 16)}`;
}
