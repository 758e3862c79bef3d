import { describe, expect, it } from 'vitest';
import { decimalToScaled, scaledToDecimal } from '../../../src/rules/column-rules.js';
import { canonicalFromDb } from '../../../src/rules/wire-values.js';
import { stateKey } from '../../../src/write/write-request.js';

describe('canonical values read back and state keys', () => {
  it('a decimal read from the warehouse has one canonical text, whether it came back canonical or not', () => {
    const texts = ['0', '0.00', '-0.00', '-0', '12.50', '-12.50', '012.50', '+1.00', '1.5', '1.50', '-0.50', '100', '-100', '0.0001', '1.2300', '-0.0000', '99999999999999999.99'];
    for (const scale of [0, 1, 2, 4])
      for (const text of texts) {
        const scaled = decimalToScaled(text, scale);
        const expected = scaled === undefined ? text : scaledToDecimal(scaled, scale);
        expect(canonicalFromDb({ kind: 'decimal', precision: 38, scale }, text), `${text} at scale ${scale}`).toBe(expected);
      }
  });

  it('state keys are one-to-one over scenario, key values and nulls', () => {
    const keys = [
      stateKey('base', ['a']),
      stateKey('base', [null]),
      stateKey('base', ['n']),
      stateKey('base', ['']),
      stateKey('base', ['s']),
      stateKey('base', ['["a"]']),
      stateKey('base', ['a', 'b']),
      stateKey('base', ['a', null]),
      stateKey('base', [null, 'a']),
      stateKey('base', ['a\u0000b']),
      stateKey('b', ['ase\u0000sa']),
      stateKey('stretch', ['a']),
    ];
    expect(new Set(keys).size).toBe(keys.length);
    expect(stateKey('base', ['a'])).toBe(stateKey('base', ['a']));
  });
});
