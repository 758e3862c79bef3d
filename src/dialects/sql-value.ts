/** A bound parameter value (the dialect writes its placeholder, an adapter binds it). Decimals travel as strings, timestamps as Date, big integers as bigint. */
export type SqlValue = string | number | bigint | boolean | Date | null;
