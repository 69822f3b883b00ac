import { expect, test } from 'vitest';
import { certnoCheckChar, certnoProblem, isValidCertno, parseCertno } from './certno.js';

test('computes the GB 11643 check character, including X', () => {
  // the standard's own example: 11010519491231002X
  expect(certnoCheckChar('11010519491231002')).toBe('X');
  expect(isValidCertno('11010519491231002X')).toBe(true);
  // another published example: 440524188001010014
  expect(certnoCheckChar('44052418800101001')).toBe('4');
  expect(isValidCertno('440524188001010014')).toBe(true);
});

test('rejects a wrong check digit, a bad date, a future date and bad shapes with Chinese reasons', () => {
  expect(certnoProblem('110105194912310021')).toBe('身份证号校验位错误');
  expect(certnoProblem('11010519490230002X')).toMatch(/不是有效日期/);
  expect(certnoProblem('110105209912310021', '2026-11-23')).toMatch(/晚于今天/);
  expect(certnoProblem('11010519491231002x')).toMatch(/18位/);
  expect(certnoProblem('1101051949123100')).toMatch(/18位/);
});

test('parses area, birth date and sex', () => {
  expect(parseCertno('11010519491231002X')).toEqual({ admdvs6: '110105', brdy: '1949-12-31', gend: '2' });
  expect(parseCertno('440524188001010014').gend).toBe('1');
  expect(() => parseCertno('110105194912310021')).toThrow(/校验位/);
});
