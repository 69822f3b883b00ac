import { describe, expect, test } from 'vitest';
import { inputChars, parseBody, rawInput, surelyWithin } from './envelope.js';

/** Bodies as clients send them: padded, escaped, input as an object or as a JSON string, odd numbers. */
const BODIES = [
  '{"infno":"3102","input":{"data":{"a":"x","n":1.50,"m":-0,"big":12345678901234567890123,"tiny":0.0000001}}}',
  '{ "infno" : "3102" ,\n  "input" : { "data" : { "name" : "\\u5f20\\u4e09", "q" : "\\"\\\\\\/\\b\\f\\n\\r\\t\\u0001" } } }',
  '{"infno":"3102","input":"{\\"data\\":{\\"k\\":\\"v\\",\\"n\\":10}}"}',
  '{"infno":"3102","input":{"data":{"dup":1,"dup":22222},"arr":[1, 2, 3, true, null, {}]}}',
  '{"infno":"3102","input":{"data":{"e":1e5}}}',
  '{"infno":"3102","input":{"data":{"e":"1E2 in text","x":2e21}}}',
];

describe('the input size check', () => {
  test('a body without a number in exponent form never holds an input longer than itself', () => {
    for (const text of BODIES) {
      const chars = inputChars(rawInput(parseBody(text)));
      const sure = surelyWithin(text, text.length);
      if (sure) expect(chars).toBeLessThanOrEqual(text.length);
      expect(sure).toBe(!/\d[eE]/.test(text));
    }
    // where an exponent grows when written out, the input is measured instead
    const grows = '{"input":{"n":1e20}}';
    expect(inputChars(rawInput(parseBody(grows)))).toBeGreaterThan(grows.length);
    expect(surelyWithin(grows, grows.length)).toBe(false);
  });

  test('a body longer than the cap, or none, is measured', () => {
    expect(surelyWithin('{"input":{}}', 5)).toBe(false);
    expect(surelyWithin(undefined, 100)).toBe(false);
    expect(surelyWithin('{"input":{}}', 100)).toBe(true);
  });
});
