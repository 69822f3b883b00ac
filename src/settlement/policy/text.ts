/**
 * Small formatters for the Chinese traces (reason, setl_proc_info): amounts in yuan, ratios in percent.
 * Formatting only; no arithmetic on money happens here.
 */
import { fenToYuan, type Fen, type RatioBp } from '../../platform/money.js';

/** 8500 → "85%", 8550 → "85.5%", 1 → "0.01%". */
export function pct(bp: RatioBp): string {
  const whole = Math.floor(bp / 100);
  const frac = (bp % 100).toString().padStart(2, '0').replace(/0+$/, '');
  return `${whole}${frac ? `.${frac}` : ''}%`;
}

/** An amount as "1200.00元". */
export function yuan(fen: Fen): string {
  return `${fenToYuan(fen)}元`;
}

/** A band's range as people write it: "0.00–50000.00元" or "50000.00元以上". */
export function range(lo: Fen, hi: Fen | null): string {
  return hi === null ? `${fenToYuan(lo)}元以上` : `${fenToYuan(lo)}–${fenToYuan(hi)}元`;
}
