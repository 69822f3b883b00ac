/**
 * The Chinese summary of a simulation run for people (CLI and bench logs): flows per second, calls per second,
 * p50/p95/p99 per transaction, and refusals counted by err_msg.
 */
import type { LoadResult } from './load.js';

const KIND = { outpatient: '门诊', inpatient: '住院' } as const;
const MIX = { outpatient: '门诊', inpatient: '住院', mixed: '门诊+住院' } as const;

export function describeRun(r: LoadResult, maxErrors = 15): string[] {
  const flows = (Object.keys(KIND) as (keyof typeof KIND)[])
    .filter((k) => r.flows[k].done + r.flows[k].failed > 0)
    .map((k) => `${KIND[k]} ${r.flows[k].done} 笔完成${r.flows[k].failed ? `、${r.flows[k].failed} 笔失败` : ''}`);
  const out = [
    `模拟结果（${MIX[r.flow]}，${r.institutions} 家机构，并发 ${r.concurrency}，用时 ${(r.elapsedMs / 1000).toFixed(1)} 秒）`,
    `  流程：${flows.join('，') || '无'}${r.reversals ? `；其中 ${r.reversals} 笔门诊结算已撤销（2208）` : ''}`,
    `  吞吐：${r.flowsPerSecond} 流程/秒，${r.callsPerSecond} 交易/秒`,
    '',
    '  交易     次数      错误    平均     p50     p95     p99      最大（毫秒）',
    ...r.transactions.map((t) =>
      `  ${t.infno.padEnd(6)} ${String(t.count).padStart(7)} ${String(t.errors).padStart(8)} ${[t.mean, t.p50, t.p95, t.p99, t.max].map((x) => x.toFixed(1).padStart(7)).join(' ')}`,
    ),
  ];
  const errorTotal = r.errors.reduce((s, e) => s + e.count, 0);
  out.push('', errorTotal ? `  错误 ${errorTotal} 次（按交易与 err_msg 计数）：` : '  错误：无');
  for (const e of r.errors.slice(0, maxErrors)) out.push(`    ${String(e.count).padStart(6)} × ${e.message}`);
  if (r.errors.length > maxErrors) out.push(`    … 另有 ${r.errors.length - maxErrors} 种错误`);
  return out;
}
