import fc from 'fast-check';

/** A generated request that must be refused with a 4xx: method, path, headers and raw body bytes. */
export interface BadRequest {
  kind: string;
  method: string;
  path: string;
  contentType?: string | undefined;
  body?: Uint8Array | undefined;
}

const enc = new TextEncoder();
const json = (v: unknown) => enc.encode(JSON.stringify(v));
const ROWS = '/api/v1/inputs/revenue_forecast/rows';
const DELETE = '/api/v1/inputs/revenue_forecast/delete';

/** A valid row of the demo's revenue_forecast (a row is made bad by changing one thing). */
const validRow = fc.record({
  account_id: fc.constantFrom('acc_001', 'acc_022', 'acc_045'),
  quarter: fc.constantFrom('2027-Q1', '2027-Q4'), // never written: a row without a required value is bad
  amount: fc.constantFrom('10.00', '0', '125000.5'),
});

/** Values that are never a valid decimal(18,2) ≥ 0. */
const badAmount = fc.oneof(
  fc.boolean(),
  fc.constant(null),
  fc.array(fc.integer(), { maxLength: 3 }),
  fc.dictionary(fc.string({ maxLength: 5 }), fc.integer(), { maxKeys: 3 }),
  fc.string({ maxLength: 30 }).map((s) => `x${s}`),
  fc.integer({ max: -1 }),
  fc.integer({ min: 1, max: 1000 }).map((n) => n + 0.001),
  fc.constantFrom(1e300, -0.5, 1.5e-7, '1e5', 'NaN', 'Infinity', '--1', '1.234', '9'.repeat(40), '0x10', '1,5'),
);

/** Strings that are never an existing account id (unicode edge cases and SQL-looking text included). */
const badAccount = fc.oneof(
  fc.string({ maxLength: 40 }).map((s) => `nope-${s}`),
  fc.constantFrom(
    "acc_001' or '1'='1",
    "acc_001'; drop table writeback.revenue_forecast__log; --",
    'acc_001" --',
    'acc_001/*',
    '$1',
    '\u0000acc_001',
    'acc_001\u0000',
    '\ud800',
    'acc\udfff001',
    'ａｃｃ＿００１',
    'acc_00\u0661',
    'acc_001\u200b',
    '\u202eacc_001',
    'acc_001\n',
    '😀'.repeat(100),
    'a'.repeat(100_00),
  ),
);

const badQuarter = fc.oneof(
  fc.string({ maxLength: 20 }).filter((s) => !/^\d{4}-Q[1-4]$/.test(s)),
  fc.constantFrom('2026-Q5', '2026-q1', '２０２６-Q1', '2026-Q1\n', "2026-Q1' --", 12345, true, null),
);

/** Deeply nested JSON (arrays and objects). */
const deep = fc.integer({ min: 100, max: 5000 }).map((d) => '['.repeat(d) + ']'.repeat(d));

function req(kind: string, body: Uint8Array | undefined, opts: Partial<BadRequest> = {}): BadRequest {
  return { kind, method: 'POST', path: ROWS, contentType: 'application/json', body, ...opts };
}

/** Every kind of bad request the fuzz test sends. `bodyLimit` is the server's body limit in bytes. */
export function badRequests(bodyLimit: number): fc.Arbitrary<BadRequest> {
  return fc.oneof(
    // wrong types
    fc.tuple(validRow, badAmount).map(([r, amount]) => req('wrong-type amount', json({ rows: [{ ...r, amount }] }))),
    fc.tuple(validRow, badQuarter).map(([r, quarter]) => req('bad quarter', json({ rows: [{ ...r, quarter }] }))),
    fc.tuple(validRow, fc.oneof(fc.integer(), fc.boolean(), fc.string({ minLength: 1, maxLength: 8 }))).map(([r, confidence]) =>
      req('bad enum', json({ rows: [{ ...r, confidence: typeof confidence === 'string' ? `z${confidence}` : confidence }] })),
    ),
    fc.tuple(validRow, fc.oneof(fc.string().map((s) => `v${s}`), fc.integer({ max: -1 }), fc.double({ noNaN: true, min: 0.1, max: 1e6 }).filter((n) => !Number.isInteger(n)))).map(
      ([r, v]) => req('bad _version', json({ rows: [{ ...r, _version: v }] })),
    ),
    // missing keys and required values
    fc.tuple(validRow, fc.constantFrom('account_id', 'quarter', 'amount')).map(([r, drop]) => {
      const row: Record<string, unknown> = { ...r };
      delete row[drop];
      return req(`missing ${drop}`, json({ rows: [row] }));
    }),
    // extra fields (in a row, and in the body)
    fc.tuple(validRow, fc.string({ maxLength: 20 })).map(([r, name]) => req('extra row field', json({ rows: [{ ...r, [`zz${name}`]: 1 }] }))),
    fc.tuple(validRow, fc.constantFrom('_user', '_at', '_entry_id', '_deleted', '_scenario', '_seq', '__proto__', 'constructor')).map(([r, name]) =>
      req('system/prototype field', enc.encode(`{"rows":[${JSON.stringify(r).slice(0, -1)},${JSON.stringify(name)}:"x"}]}`)),
    ),
    fc.tuple(validRow, fc.string({ maxLength: 12 })).map(([r, name]) => req('extra body field', json({ rows: [r], [`x${name}`]: true }))),
    // huge strings and numbers
    fc.tuple(validRow, fc.integer({ min: 501, max: 4000 })).map(([r, n]) => req('note too long', json({ rows: [{ ...r, note: 'é'.repeat(n) }] }))),
    fc.tuple(validRow, fc.constantFrom('1' + '0'.repeat(17), '99999999999999999999.99', 1e21, 2 ** 63)).map(([r, amount]) =>
      req('huge number', json({ rows: [{ ...r, amount }] })),
    ),
    // unicode edge cases and SQL-looking strings in key columns (never an existing account)
    fc.tuple(validRow, badAccount).map(([r, account_id]) => req('bad account', json({ rows: [{ ...r, account_id }] }))),
    // duplicate keys in one batch
    validRow.map((r) => req('duplicate key', json({ rows: [r, { ...r, amount: '1.00' }] }))),
    // deep JSON
    deep.map((d) => req('deep json body', enc.encode(d))),
    fc.tuple(validRow, deep).map(([r, d]) => req('deep json value', enc.encode(`{"rows":[${JSON.stringify({ ...r, note: 'x' }).replace('"x"', d)}]}`))),
    // invalid UTF-8 and malformed JSON
    fc.tuple(validRow, fc.uint8Array({ minLength: 1, maxLength: 8 }).map((b) => b.map((x) => 0x80 | (x & 0x3f)))).map(([r, bytes]) => {
      const text = JSON.stringify({ rows: [{ ...r, note: '@@' }] });
      const at = text.indexOf('@@');
      const head = enc.encode(text.slice(0, at));
      const tail = enc.encode(text.slice(at + 2));
      const body = new Uint8Array(head.length + 1 + bytes.length + tail.length);
      body.set(head);
      body.set([0xff], head.length);
      body.set(bytes, head.length + 1);
      body.set(tail, head.length + 1 + bytes.length);
      return req('invalid utf-8', body);
    }),
    fc.tuple(validRow, fc.integer({ min: 1, max: 40 })).map(([r, cut]) => req('truncated json', json({ rows: [r] }).slice(0, -cut))),
    fc.constantFrom('', 'null', '[]', '{}', '"rows"', '{"rows":null}', '{"rows":{}}', '{"rows":"x"}', '{"rows":[]}', '{"rows":[1]}', '{"rows":[null]}', '{"rows":[[]]}', "{'rows':[]}", '{"rows":[{}]}').map((b) =>
      req('malformed body', enc.encode(b)),
    ),
    fc.tuple(validRow, fc.oneof(fc.integer(), fc.string({ maxLength: 5 }).map((s) => `${s}!`), fc.constant(null))).map(([r, s]) =>
      req('bad scenario/comment/options', json({ rows: [r], scenario: s, dry_run: 'yes' })),
    ),
    // wrong content types
    fc.tuple(validRow, fc.constantFrom(undefined, 'text/plain', 'application/x-www-form-urlencoded', 'multipart/form-data; boundary=x', 'application/xml', 'text/json', 'application/jsonx')).map(
      ([r, contentType]) => req('wrong content type', json({ rows: [r] }), { contentType }),
    ),
    // oversized bodies
    fc.tuple(validRow, fc.integer({ min: 1, max: 3 })).map(([r, k]) =>
      req('oversized body', json({ rows: Array.from({ length: Math.ceil((bodyLimit * k) / 60) + 10 }, (_, i) => ({ ...r, quarter: `${2000 + (i % 1000)}-Q1` })) })),
    ),
    // bad deletes, unknown tables, bad query strings
    fc.tuple(validRow, fc.constantFrom('account_id', 'quarter')).map(([r, drop]) => {
      const key: Record<string, unknown> = { account_id: r.account_id, quarter: r.quarter };
      delete key[drop];
      return req('delete without key', json({ keys: [key] }), { path: DELETE });
    }),
    validRow.map((r) => req('delete of a missing key', json({ keys: [{ account_id: r.account_id, quarter: '1999-Q1' }] }), { path: DELETE })),
    fc.tuple(validRow, fc.string({ minLength: 1, maxLength: 12 })).map(([r, t]) =>
      req('unknown table', json({ rows: [r] }), { path: `/api/v1/inputs/${encodeURIComponent(`zz${t}`)}/rows` }),
    ),
    fc.tuple(fc.constantFrom('limit=-1', 'limit=abc', 'cursor=%ff%fe', 'cursor=bogus', 'as_of=yesterday', 'bogus=1', 'filter.nope=1'), fc.constantFrom(ROWS, '/api/v1/inputs/revenue_forecast/history', '/api/v1/models/account_forecast/rows')).map(
      ([q, path]) => ({ kind: 'bad query', method: 'GET', path: `${path}?${q}` }),
    ),
  );
}
