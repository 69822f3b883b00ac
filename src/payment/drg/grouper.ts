/**
 * The CHS-DRG grouper: one case in, one result out, never an exception. The algorithm is the one of
 * reference-data/chs-drg-1.1/README.md ("The grouping algorithm"); every list, order and rule comes from the
 * loaded tables (tables.ts):
 *
 *   read the input (either shape, normalise.ts) → optional code mapping → validation (性别 / 新生儿体重 / 诊断)
 *   → MDCs in table order (pre-MDCs A, P, Y, Z first; each behind its gate, sex gates for M/N)
 *   → inside an MDC the first ADRG whose condition holds (the MDC's QY check at its table position, if on)
 *   → no ADRG in the MDC: go on with the next MDC → none anywhere: 0000
 *   → CC/MCC of the secondary diagnoses with the principal diagnosis's exclusion table → the ADRG's split rules.
 *
 * With `trace` on, the result carries the decisions in order, in Chinese, for hospitals and auditors.
 */
import type { Facts } from './conditions.js';
import { normaliseCase, type DrgCase } from './normalise.js';
import type { AdrgDef, DrgTables, MdcDef, QyDef } from './tables.js';

export type DrgStatus =
  /** 分组成功 */
  | 'grouped'
  /** 歧义病案 (only when an MDC's QY check is on) */
  | 'QY'
  /** 无法入组 */
  | '0000'
  /** 信息校验不通过 (unreadable input, empty sex, newborn without birth weight, no diagnosis) */
  | 'invalid'
  /** 诊断/手术不能转换为分组器支持的编码 (code mapping "strict" only) */
  | 'unmapped'
  /** an internal fault: reported, never thrown */
  | 'error';

/**
 * off: codes are used as given (OpenDRG's default). fallback (default): a code the version does not know (not
 * in its dictionary nor in any grouping table) is replaced by its diagnosis-map / procedure-map entry.
 * strict: OpenDRG's TRANS_CODE — every code must be a key of the map and is replaced by its value; the first
 * code that is not stops grouping with status "unmapped".
 */
export type CodeMapping = 'off' | 'fallback' | 'strict';

export interface GrouperOptions {
  codeMapping?: CodeMapping;
  /**
   * Overrides the tables' per-MDC QY switch: by MDC code ({ MDCG: true }), or true/false for every MDC. Note
   * that `true` also turns on MDCA's check, which sits after its last ADRG and so takes every case whose main
   * procedure is a valid OR procedure but not a transplant; regional schemes are modelled per MDC (or in data).
   */
  qy?: boolean | Readonly<Record<string, boolean>>;
  /** Whether results carry the trace unless a call says otherwise (default true). */
  trace?: boolean;
}

export interface CcMccHit {
  code: string;
  /** Position in the diagnosis list (0 = principal, so secondaries start at 1). */
  index: number;
  /** The code's exclusion-table id in cc.json / mcc.json. */
  table: string;
}

export interface CcMcc {
  /** MCC if a secondary counts as MCC, else CC if one counts as CC, else none. */
  level: 'MCC' | 'CC' | 'none';
  /** The secondary diagnosis that made the level (the first counting MCC, else the first counting CC). */
  code: string | null;
  mcc: CcMccHit | null;
  cc: CcMccHit | null;
  /** The principal diagnosis's exclusion table (cc-exclusion.json), if any. */
  exclusion_table: string | null;
  /** Secondaries that are CC/MCC but do not count, because their table is the principal's exclusion table. */
  excluded: (CcMccHit & { kind: 'MCC' | 'CC' })[];
}

export interface DrgResult {
  id: string | null;
  version: string;
  status: DrgStatus;
  /** Chinese: 分组成功, or why not. */
  reason: string;
  mdc: string;
  mdc_name: string | null;
  adrg: string;
  adrg_name: string | null;
  drg: string;
  drg_name: string | null;
  cc_mcc: CcMcc | null;
  trace: string[];
}

const SEX_NAME: Record<string, string> = { '1': '男', '2': '女' };
const show = (x: number | null, unit: string) => (x === null ? '未填写' : `${x}${unit}`);

export class DrgGrouper {
  readonly tables: DrgTables;
  readonly codeMapping: CodeMapping;
  readonly traceByDefault: boolean;
  /** Whether each MDC's QY check is on, by MDC index. */
  private readonly qyOn: boolean[];

  constructor(tables: DrgTables, options: GrouperOptions = {}) {
    this.tables = tables;
    this.codeMapping = options.codeMapping ?? 'fallback';
    this.traceByDefault = options.trace ?? true;
    const o = options.qy;
    this.qyOn = tables.mdcs.map((m) => {
      if (!m.qy) return false;
      if (typeof o === 'boolean') return o;
      return o?.[m.code] ?? m.qy.enabled;
    });
  }

  get version(): string {
    return this.tables.version;
  }

  /** Which MDCs run their QY check (after overrides). */
  qyEnabled(mdc: string): boolean {
    const m = this.tables.mdcs.find((x) => x.code === mdc);
    return m ? this.qyOn[m.index]! : false;
  }

  /** Groups one case (simple shape or 4101 shape). Never throws. */
  group(input: unknown, options: { trace?: boolean } = {}): DrgResult {
    const t: string[] | null = (options.trace ?? this.traceByDefault) ? [] : null;
    let id: string | null = null;
    try {
      const n = normaliseCase(input);
      if (!n.ok) return this.ungrouped('invalid', `信息校验不通过：${n.reason}`, n.id, t);
      const c = n.case;
      id = c.id;
      if (t) {
        t.push(describeInput(c));
        for (const note of c.notes) t.push(note);
      }
      const unmapped = this.mapCodes(c, t);
      if (unmapped) return this.ungrouped('unmapped', unmapped, id, t);
      const bad = validate(c);
      if (bad) return this.ungrouped('invalid', `信息校验不通过：${bad}`, id, t);
      t?.push('信息校验通过');
      return this.assign(c, t);
    } catch (e) {
      return this.ungrouped('error', `分组器内部错误：${(e as Error).message}`, id, t);
    }
  }

  /** An "invalid" result for input the caller could not even read (e.g. a line that is not JSON). */
  reject(reason: string, id: string | null = null): DrgResult {
    return this.ungrouped('invalid', `信息校验不通过：${reason}`, id, null);
  }

  /** Returns the Chinese reason when a code cannot be mapped (strict), else null. Replaces codes in place. */
  private mapCodes(c: DrgCase, t: string[] | null): string | null {
    const mode = this.codeMapping;
    if (mode === 'off') return null;
    const { diagnosisMap, procedureMap, knownDiagnoses, knownProcedures, diagnoses, procedures } = this.tables;
    for (let k = 0; k < 2; k++) {
      const codes = k === 0 ? c.dx : c.proc;
      if (codes.length === 0) continue;
      const [map, known, names, what, file] =
        k === 0
          ? [diagnosisMap, knownDiagnoses, diagnoses, '诊断', 'diagnosis-map.json']
          : [procedureMap, knownProcedures, procedures, '手术操作', 'procedure-map.json'];
      for (let i = 0; i < codes.length; i++) {
        const code = codes[i]!;
        if (mode === 'fallback' && known.has(code)) continue;
        const to = map.get(code);
        if (to === undefined) {
          if (mode === 'strict') {
            t?.push(`${what} ${code || '（空）'} 不在 ${file} 中`);
            return `${what}不能转换为分组器支持的编码：${code || '（空编码）'}`;
          }
          t?.push(`${what} ${code || '（空）'} 不在本版本的字典与分组表中，也无法按 ${file} 转换；它不会匹配任何分组列表`);
          continue;
        }
        if (to === code) continue;
        codes[i] = to;
        t?.push(`${what} ${code} 按 ${file} 转换为 ${to}${names.has(to) ? `（${names.get(to)}）` : ''}`);
      }
    }
    return null;
  }

  private assign(c: DrgCase, t: string[] | null): DrgResult {
    const f: Facts = {
      sex: c.sex,
      age: c.age,
      ageDays: c.ageDays,
      weight: c.weight,
      los: c.los,
      dischargeWay: c.dischargeWay,
      dx: c.dx,
      proc: c.proc,
      hasMCC: false,
      hasCC: false,
    };
    for (const mdc of this.tables.mdcs) {
      if (!mdc.gate.test(f)) {
        if (t) traceGateMiss(mdc, f, t);
        continue;
      }
      t?.push(`进入 ${mdc.code}（${mdc.name}）：${mdc.gate.explain(f).text}`);
      const qy = this.qyOn[mdc.index] ? mdc.qy : null;
      const list = mdc.adrgs;
      for (let i = 0; i <= list.length; i++) {
        if (qy !== null && i === qy.at && qy.condition.test(f)) return this.qyResult(c, f, mdc, qy, t);
        if (i === list.length) break;
        const a = list[i]!;
        if (a.condition.test(f)) return this.split(c, f, mdc, a, i, t);
      }
      t?.push(`${mdc.code} 的 ${list.length} 个 ADRG 均不满足条件，继续尝试后面的 MDC`);
    }
    return this.noGroup(c, f, t);
  }

  private split(c: DrgCase, f: Facts, mdc: MdcDef, a: AdrgDef, i: number, t: string[] | null): DrgResult {
    t?.push(`在 ${mdc.code} 中按顺序检查 ADRG，第 ${i + 1} 个 ${a.code}（${a.name}）首先满足：${a.condition.explain(f).text}`);
    const sev = this.ccMcc(c.dx, t);
    f.hasMCC = sev.mcc !== null;
    f.hasCC = sev.cc !== null;
    let drg: string | null = null;
    let name: string | null = null;
    const steps: string[] = [];
    for (const r of a.rules) {
      const ok = r.test(f);
      if (t) steps.push(`${r.cond ? `条件（${r.cond.explain(f).text}）` : r.label}：${ok ? '成立' : '不成立'}`);
      if (ok) {
        drg = r.drg;
        name = r.name;
        break;
      }
    }
    if (drg === null) {
      drg = a.noMatchResult ?? a.code;
      name = this.tables.drgNames.get(drg) ?? a.name;
      t?.push(`DRG 细分：${steps.join('；')}；没有规则成立，取 ${drg}`);
    } else if (t) {
      t.push(`DRG 细分（${a.code}）：${steps.join('；')} → ${drg}`);
    }
    t?.push(`分组结果：${drg} ${name ?? ''}`.trimEnd());
    return {
      id: c.id,
      version: this.tables.version,
      status: 'grouped',
      reason: '分组成功',
      mdc: mdc.code,
      mdc_name: mdc.name,
      adrg: a.code,
      adrg_name: a.name,
      drg,
      drg_name: name,
      cc_mcc: sev,
      trace: t ?? [],
    };
  }

  /** CC/MCC of the secondary diagnoses, each judged against the principal diagnosis's exclusion table. */
  ccMcc(dx: readonly string[], t: string[] | null = null): CcMcc {
    const { ccExclusion, mcc: mccTable, cc: ccTable } = this.tables;
    const pdx = dx[0] ?? '';
    const excl = ccExclusion.get(pdx) ?? null;
    let mcc: CcMccHit | null = null;
    let cc: CcMccHit | null = null;
    const excluded: CcMcc['excluded'] = [];
    if (t) t.push(dx.length > 1 ? `并发症/合并症：主要诊断 ${pdx} 的排除表为 ${excl ?? '无'}` : '并发症/合并症：无其他诊断');
    for (let i = 1; i < dx.length; i++) {
      const d = dx[i]!;
      const tm = mccTable.get(d);
      const tc = ccTable.get(d);
      if (tm !== undefined) {
        if (excl !== null && tm === excl) {
          excluded.push({ code: d, index: i, table: tm, kind: 'MCC' });
          t?.push(`其他诊断 ${d} 是 MCC（排除表 ${tm}），与主要诊断的排除表相同，不计入`);
        } else {
          mcc ??= { code: d, index: i, table: tm };
          t?.push(`其他诊断 ${d} 是 MCC（排除表 ${tm}），未被主要诊断排除，计为 MCC`);
        }
      }
      if (tc !== undefined) {
        if (excl !== null && tc === excl) {
          excluded.push({ code: d, index: i, table: tc, kind: 'CC' });
          t?.push(`其他诊断 ${d} 是 CC（排除表 ${tc}），与主要诊断的排除表相同，不计入`);
        } else {
          cc ??= { code: d, index: i, table: tc };
          t?.push(`其他诊断 ${d} 是 CC（排除表 ${tc}），未被主要诊断排除，计为 CC`);
        }
      }
      if (tm === undefined && tc === undefined) t?.push(`其他诊断 ${d} 不是 CC 或 MCC`);
    }
    const level = mcc ? 'MCC' : cc ? 'CC' : 'none';
    return { level, code: (mcc ?? cc)?.code ?? null, mcc, cc, exclusion_table: excl, excluded };
  }

  private qyResult(c: DrgCase, f: Facts, mdc: MdcDef, qy: QyDef, t: string[] | null): DrgResult {
    const why = qy.condition.explain(f).text;
    const where = qy.at < mdc.adrgs.length ? `${mdc.adrgs[qy.at]!.code} 之前的任何 ADRG` : '任何 ADRG';
    const at = qy.at < mdc.adrgs.length ? `位于 ${mdc.adrgs[qy.at]!.code} 之前` : '位于最后一个 ADRG 之后';
    t?.push(`${mdc.code} 歧义检查（${at}）：${why}，但不满足 ${where} → ${qy.drg}`);
    return {
      id: c.id,
      version: this.tables.version,
      status: 'QY',
      reason: `歧义病案：${why}，但不满足 ${mdc.code} 中 ${where} 的条件`,
      mdc: mdc.code,
      mdc_name: mdc.name,
      adrg: qy.drg.slice(0, 3),
      adrg_name: null,
      drg: qy.drg,
      drg_name: this.tables.drgNames.get(qy.drg) ?? `${mdc.name}歧义组`,
      cc_mcc: null,
      trace: t ?? [],
    };
  }

  private noGroup(c: DrgCase, f: Facts, t: string[] | null): DrgResult {
    const why: string[] = [];
    for (const mdc of this.tables.mdcs) {
      if (mdc.gate.test(f)) {
        if (!mdc.preMdc) why.push(`进入 ${mdc.code} 但没有满足条件的 ADRG`);
      } else if (firstConjunctHolds(mdc, f)) {
        why.push(`${mdc.code}：${mdc.gate.children.filter((ch) => !ch.test(f)).map((ch) => ch.explain(f).text).join('，')}`);
      }
    }
    const pdx = c.dx[0]!;
    const unknown = this.tables.knownDiagnoses.has(pdx) ? '' : '（该编码不在本版本的字典与分组表中）';
    const reason = why.length ? `无法入组：${why.join('；')}` : `无法入组：主要诊断 ${pdx || '（空）'}${unknown} 未能进入任何 MDC`;
    return this.ungrouped('0000', reason, c.id, t);
  }

  private ungrouped(status: DrgStatus, reason: string, id: string | null, t: string[] | null): DrgResult {
    t?.push(reason);
    return {
      id,
      version: this.tables.version,
      status,
      reason,
      mdc: '0000',
      mdc_name: null,
      adrg: '00',
      adrg_name: null,
      drg: '0000',
      drg_name: null,
      cc_mcc: null,
      trace: t ?? [],
    };
  }
}

/** The gate is all[…] and its first part holds — in the tables, "the principal diagnosis is this MDC's". */
function firstConjunctHolds(mdc: MdcDef, f: Facts): boolean {
  return mdc.gate.kind === 'all' && mdc.gate.children[0]!.test(f);
}

function traceGateMiss(mdc: MdcDef, f: Facts, t: string[]): void {
  // Pre-MDCs always say why they were passed over; other MDCs only when the first part of their gate held
  // (the principal diagnosis is theirs but e.g. the sex is not), so the trace is not 20 lines of "not this MDC".
  if (mdc.preMdc || firstConjunctHolds(mdc, f)) {
    t.push(`未进入 ${mdc.code}（${mdc.name}）：${mdc.gate.explain(f).text}`);
  }
}

/** The checks of OpenDRG's GroupProxy.check, in its order. Returns the Chinese reason, or null. */
export function validate(c: DrgCase): string | null {
  if (c.sex === '') return '病人性别为空';
  // A newborn (0 years, ≤ 28 days) needs a birth weight; a missing weight counts as none.
  if (c.age === 0 && c.ageDays !== null && c.ageDays <= 28 && (c.weight === null || c.weight === 0)) return '新生儿的出生体重必须有值';
  if (c.dx.length === 0) return '诊断信息为空';
  return null;
}

function describeInput(c: DrgCase): string {
  const sex = SEX_NAME[c.sex] ?? (c.sex === '' ? '空' : `“${c.sex}”（非 1/2）`);
  const [pdx, ...others] = c.dx;
  return [
    `输入（${c.shape === '4101' ? '结算清单 4101' : '病例'}${c.id ? ` ${c.id}` : ''}）：性别 ${sex}`,
    `年龄 ${show(c.age, ' 岁')}`,
    `日龄 ${show(c.ageDays, ' 天')}`,
    `出生体重 ${show(c.weight, ' 克')}`,
    `住院天数 ${show(c.los, ' 天')}`,
    `离院方式 ${c.dischargeWay ?? '未填写'}`,
    `主要诊断 ${pdx === undefined ? '无' : pdx || '（空）'}`,
    `其他诊断 ${others.length ? others.join('、') : '无'}`,
    `手术操作 ${c.proc.length ? c.proc.join('、') : '无'}`,
  ].join('，');
}
