/**
 * Batch grouping of JSON Lines: one case per line in, one result per line out, in the same order, each result
 * with the 1-based input line number. Blank lines are skipped; a line that is not JSON gives an "invalid"
 * result, never an exception. With `trace: false` the results carry no trace field. Used by `yibao group drg`.
 */
import type { DrgGrouper, DrgStatus } from './grouper.js';

export interface JsonlSummary {
  lines: number;
  byStatus: Record<DrgStatus, number>;
  ms: number;
}

export async function groupJsonl(
  grouper: DrgGrouper,
  lines: AsyncIterable<string> | Iterable<string>,
  write: (chunk: string) => void | Promise<void>,
  options: { trace?: boolean; batch?: number } = {},
): Promise<JsonlSummary> {
  const t0 = performance.now();
  const byStatus: Record<DrgStatus, number> = { grouped: 0, QY: 0, '0000': 0, invalid: 0, unmapped: 0, error: 0 };
  const batch = options.batch ?? 500;
  let buf: string[] = [];
  let n = 0;
  let count = 0;
  for await (const raw of lines) {
    n++;
    const text = raw.trim();
    if (text === '') continue;
    count++;
    let input: unknown;
    let parsed = true;
    try {
      input = JSON.parse(text);
    } catch (e) {
      parsed = false;
      input = (e as Error).message;
    }
    const r = parsed ? grouper.group(input, { trace: options.trace }) : grouper.reject(`第 ${n} 行不是有效的 JSON：${String(input)}`);
    byStatus[r.status]++;
    if (options.trace === false) {
      const { trace: _omit, ...rest } = r;
      buf.push(JSON.stringify({ line: n, ...rest }));
    } else buf.push(JSON.stringify({ line: n, ...r }));
    if (buf.length >= batch) {
      await write(`${buf.join('\n')}\n`);
      buf = [];
    }
  }
  if (buf.length) await write(`${buf.join('\n')}\n`);
  return { lines: count, byStatus, ms: Math.round(performance.now() - t0) };
}

/** "共 3 条：分组成功 2，QY 0，无法入组 1，校验不通过 0 …" */
export function describeSummary(s: JsonlSummary): string {
  const b = s.byStatus;
  const rate = s.ms > 0 ? `，约 ${Math.round((s.lines / s.ms) * 1000)} 条/秒` : '';
  const extra = [b.unmapped ? `编码不能转换 ${b.unmapped}` : '', b.error ? `内部错误 ${b.error}` : ''].filter(Boolean);
  return `共 ${s.lines} 条：分组成功 ${b.grouped}，歧义病案（QY）${b.QY}，无法入组（0000）${b['0000']}，信息校验不通过 ${b.invalid}${extra.length ? `，${extra.join('，')}` : ''}；用时 ${s.ms} 毫秒${rate}`;
}
