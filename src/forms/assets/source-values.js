// Allowed values that come from a source column (`values: { source, column }`): fetched once when
// the form loads so the column gets a select like enums and fixed lists. The server still validates.
import { api } from './api.js';

/**
 * Give every column of `meta` with `values_from` its `values` from
 * GET /api/v1/inputs/{t}/columns/{c}/values. A failed or truncated answer leaves the column as it
 * is (a text box), so nothing valid becomes impossible to enter.
 * @param {any} meta a table of GET /api/v1/inputs
 */
export async function loadSourceValues(meta) {
  const cols = meta.columns.filter((c) => c.values_from && !Array.isArray(c.values));
  await Promise.all(cols.map(async (col) => {
    const res = await api('GET', `/api/v1/inputs/${encodeURIComponent(meta.name)}/columns/${encodeURIComponent(col.name)}/values`);
    if (res.ok && Array.isArray(res.body.values) && !res.body.truncated) col.values = res.body.values;
  }));
}
