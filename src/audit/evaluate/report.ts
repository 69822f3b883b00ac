/**
 * The evaluation as Markdown (docs/audit-quality.md's tables) and as short console lines. Rates are printed with
 * three decimals; amounts go out through platform/money. Targets of issue 5: every deterministic type recall
 * ≥ 0.99 and precision ≥ 0.99.
 */
import { fenToYuan } from '../../platform/money.js';
import { STATISTICAL_TYPES } from './mapping.js';
import type { Evaluation, TypeMetrics } from './metrics.js';

export const TARGET = 0.99;

const rate = (x: number | null): string => (x === null ? '—' : x.toFixed(3));

function verdict(m: TypeMetrics): string {
  if (m.truth === 0) return '未注入';
  if (STATISTICAL_TYPES.has(m.vio_type)) return '统计模型';
  return (m.recall ?? 0) >= TARGET && (m.precision ?? 0) >= TARGET ? '达标' : '未达标';
}

const row = (m: TypeMetrics): string =>
  `| ${m.vio_type} | ${m.rules.join(', ')} | ${m.truth} | ${m.tp} | ${m.fn} | ${m.suspects} | ${m.fp} | ${rate(m.precision)} | ${rate(m.recall)} | ${fenToYuan(m.truth_amt)} | ${fenToYuan(m.caught_amt)} | ${rate(m.amount_recall)} | ${m.vio_type === 'overall' ? '' : verdict(m)} |`;

/** The three tables: per type and overall, look-alikes, rules without an injected type. */
export function evaluationMarkdown(e: Evaluation, heading = ''): string {
  const out: string[] = [];
  if (heading) out.push(heading, '');
  out.push(
    '| vio_type | rules | truth | TP | FN | suspects | FP | precision | recall | truth amount | caught amount | amount recall | target |',
    '|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|',
    ...e.types.map(row),
    row(e.overall).replace('| overall |', '| **overall** |'),
    '',
    '| look-alike (legit_flag 1) | imitated rules | cases | hit by a suspect (FP) | FP rate |',
    '|---|---|---:|---:|---:|',
    ...e.lookalikes.map((l) => `| ${l.vio_type} | ${l.rules.join(', ')} | ${l.cases} | ${l.hit} | ${rate(l.cases ? l.hit / l.cases : null)} |`),
    '',
    '| rule without an injected type | suspects | on an injected violation\'s encounter | on a look-alike (FP) |',
    '|---|---:|---:|---:|',
    ...e.other_rules.map((o) => `| ${o.rule_id} | ${o.suspects} | ${o.on_violation_encounter} | ${o.on_lookalike} |`),
  );
  return `${out.join('\n')}\n`;
}

/** One console line per type. */
export function evaluationLines(e: Evaluation): string[] {
  const line = (m: TypeMetrics) =>
    `  ${m.vio_type.padEnd(12)} 答案 ${String(m.truth).padStart(5)}  命中 ${String(m.tp).padStart(5)}  疑点 ${String(m.suspects).padStart(5)}  误报 ${String(m.fp).padStart(5)}  精确率 ${rate(m.precision)}  召回率 ${rate(m.recall)}  金额召回率 ${rate(m.amount_recall)}  ${m.vio_type === 'overall' ? '' : verdict(m)}`;
  return [
    ...e.types.map(line),
    line(e.overall),
    ...e.lookalikes.map((l) => `  ${l.vio_type.padEnd(26)} 合规相似病例 ${l.cases}，被误报 ${l.hit}`),
    ...e.other_rules.map((o) => `  ${o.rule_id.padEnd(12)} 无对应注入类型的疑点 ${o.suspects}（落在注入违规就诊 ${o.on_violation_encounter}，落在合规相似病例 ${o.on_lookalike}）`),
  ];
}
