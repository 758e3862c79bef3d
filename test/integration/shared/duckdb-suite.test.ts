import { warehouseSuite } from './warehouse-suite.js';

// The same suite on DuckDB (the embedded default), so every warehouse is held to one standard.
warehouseSuite('duckdb', { type: 'duckdb', multiWriter: false, target: () => ({ name: 'wh', type: 'duckdb', path: 'target/warehouse.duckdb' }) });
