/**
 * The 18-digit resident identity number (公民身份号码, GB 11643-1999): 6-digit address code, 8-digit birth
 * date, 3-digit sequence (odd for men, even for women), and an ISO 7064 MOD 11-2 check character.
 */
import { isIsoDate } from '../platform/time.js';

const WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
const CHECK_CHARS = '10X98765432';

/** The check character for the first 17 digits. */
export function certnoCheckChar(first17: string): string {
  if (!/^\d{17}$/.test(first17)) throw new TypeError(`身份证号前17位应为数字：${first17}`);
  let sum = 0;
  for (let i = 0; i < 17; i++) sum += Number(first17[i]) * WEIGHTS[i]!;
  return CHECK_CHARS[sum % 11]!;
}

export interface CertnoParts {
  admdvs6: string;
  brdy: string;
  gend: '1' | '2';
}

/** Why a certno is not valid (Chinese), or null when it is. `today` bounds the birth date. */
export function certnoProblem(certno: string, today: string = new Date().toISOString().slice(0, 10)): string | null {
  if (!/^\d{17}[\dX]$/.test(certno)) return '身份证号应为18位，前17位为数字，末位为数字或大写X';
  const brdy = `${certno.slice(6, 10)}-${certno.slice(10, 12)}-${certno.slice(12, 14)}`;
  if (!isIsoDate(brdy)) return `身份证号中的出生日期 ${brdy} 不是有效日期`;
  if (brdy > today) return `身份证号中的出生日期 ${brdy} 晚于今天`;
  if (brdy < '1800-01-01') return `身份证号中的出生日期 ${brdy} 不合理`;
  if (certnoCheckChar(certno.slice(0, 17)) !== certno[17]) return '身份证号校验位错误';
  return null;
}

export function isValidCertno(certno: string): boolean {
  return certnoProblem(certno) === null;
}

/** Address code, birth date and sex encoded in a valid certno. */
export function parseCertno(certno: string): CertnoParts {
  const problem = certnoProblem(certno);
  if (problem) throw new TypeError(problem);
  return {
    admdvs6: certno.slice(0, 6),
    brdy: `${certno.slice(6, 10)}-${certno.slice(10, 12)}-${certno.slice(12, 14)}`,
    gend: Number(certno[16]) % 2 === 1 ? '1' : '2',
  };
}
