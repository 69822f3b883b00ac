/**
 * Turns either accepted input shape into the one internal case the grouper works on. Never throws.
 *
 * 1. The simple case shape (national field names where they exist):
 *      { id?, gend, age, age_days, nwb_bir_wt, ipt_days, dscg_way,
 *        diagnoses: ["K22.301", …] | [{ diag_code }, …],      // [0] = principal diagnosis
 *        procedures: ["51.2300", …] | [{ oprn_oprt_code }, …] } // [0] = main procedure; may be empty/absent
 *    Aliases: sex / gender for gend; nwb_age / ageDay for age_days; birth_weight / weight for nwb_bir_wt;
 *    act_ipt_days / inHospitalTime for ipt_days; leavingType for dscg_way; zdList / ssList for the lists
 *    (OpenDRG's MedicalRecord names, so its sample records can be fed as they are).
 * 2. The settlement-list (4101) shape: { setlinfo, diseinfo[], oprninfo[] }, optionally wrapped in `input`.
 *    Principal diagnosis = the diseinfo row with maindiag_flag = 1, then the other rows in order; rows with
 *    diag_type 2/3 (中医主病/主证, not ICD-10) are left out. Main procedure = the oprninfo row with
 *    main_oprn_flag = 1, or else oprn_oprt_type = 1 (主要手术); without either, the first row.
 *    Age: setlinfo.age; nwb_age (days, under one year) → age 0; without both, from brdy and adm_time.
 *
 * Numbers: a JSON number, or a numeric string ("73.0" → 73). An empty string counts as 0 and a missing field
 * (absent or null) stays missing, so it satisfies no comparison — both as the tables' README says.
 */

export interface DrgCase {
  id: string | null;
  shape: 'simple' | '4101';
  /** "1" male, "2" female, "" empty, anything else kept as given (satisfies neither sex gate). */
  sex: string;
  age: number | null;
  ageDays: number | null;
  weight: number | null;
  los: number | null;
  dischargeWay: string | null;
  dx: string[];
  proc: string[];
  /** What normalisation did that a reader of the trace should know. */
  notes: string[];
}

export type Normalised = { ok: true; case: DrgCase } | { ok: false; id: string | null; reason: string };

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

class Bad extends Error {}

function first(o: Record<string, unknown>, keys: readonly string[]): [string, unknown] {
  for (const k of keys) if (o[k] !== undefined) return [k, o[k]];
  return [keys[0]!, undefined];
}

const NUMERIC = /^[+]?(\d+(\.\d*)?|\.\d+)$/;

function num(o: Record<string, unknown>, keys: readonly string[], label: string): number | null {
  const [k, v] = first(o, keys);
  if (v === undefined || v === null) return null;
  if (typeof v === 'number') {
    if (!Number.isFinite(v) || v < 0) throw new Bad(`${label}（${k}）必须是非负数，实际为 ${JSON.stringify(v)}`);
    return v;
  }
  if (typeof v === 'string') {
    const s = v.trim();
    if (s === '') return 0;
    if (!NUMERIC.test(s)) throw new Bad(`${label}（${k}）不是有效的数字：${JSON.stringify(v)}`);
    return Number(s);
  }
  throw new Bad(`${label}（${k}）必须是数字，实际为 ${JSON.stringify(v)}`);
}

/** Birth weight may hold several comma-separated values (multiple births); the first is the case's. */
function weightOf(o: Record<string, unknown>, keys: readonly string[], notes: string[]): number | null {
  const [k, v] = first(o, keys);
  if (typeof v === 'string' && /[,，]/.test(v)) {
    const head = v.split(/[,，]/)[0]!;
    notes.push(`出生体重（${k}）有多个值“${v}”，取第一个 ${head.trim() || '（空）'}`);
    return num({ [k]: head }, [k], '出生体重');
  }
  return num(o, keys, '出生体重');
}

function str(o: Record<string, unknown>, keys: readonly string[], label: string): string | null {
  const [k, v] = first(o, keys);
  if (v === undefined || v === null) return null;
  if (typeof v === 'string') return v.trim();
  if (typeof v === 'number' && Number.isFinite(v)) return String(v);
  throw new Bad(`${label}（${k}）必须是字符串，实际为 ${JSON.stringify(v)}`);
}

function sexOf(o: Record<string, unknown>, keys: readonly string[]): string {
  const s = str(o, keys, '性别') ?? '';
  return s === '男' ? '1' : s === '女' ? '2' : s;
}

function idOf(o: Record<string, unknown>, keys: readonly string[]): string | null {
  const [, v] = first(o, keys);
  return typeof v === 'string' || (typeof v === 'number' && Number.isFinite(v)) ? String(v) : null;
}

function code(v: unknown, objKeys: readonly string[], label: string, i: number): string {
  let c = v;
  if (isObject(v)) c = first(v, objKeys)[1];
  if (typeof c !== 'string') throw new Bad(`第 ${i + 1} 个${label}的编码必须是字符串，实际为 ${JSON.stringify(c ?? v)}`);
  return c.trim();
}

function codeList(o: Record<string, unknown>, keys: readonly string[], objKeys: readonly string[], label: string): string[] {
  const [k, v] = first(o, keys);
  if (v === undefined || v === null) return [];
  if (!Array.isArray(v)) throw new Bad(`${label}列表（${k}）必须是数组`);
  return v.map((x, i) => code(x, objKeys, label, i));
}

const DX_KEYS = ['diag_code', 'code'] as const;
const PROC_KEYS = ['oprn_oprt_code', 'oprn_code', 'code'] as const;

/** 'yyyy-MM-dd' (optionally followed by a time) → days since the epoch, or null. */
function dayNumber(v: unknown): number | null {
  if (typeof v !== 'string') return null;
  const m = /^(\d{4})-(\d{2})-(\d{2})/.exec(v.trim());
  if (!m) return null;
  const t = Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]));
  return Number.isNaN(t) ? null : t / 86_400_000;
}

function ageFromDates(brdy: unknown, on: unknown): { age: number; days: number } | null {
  const b = dayNumber(brdy);
  const d = dayNumber(on);
  if (b === null || d === null || d < b) return null;
  const [by, bm, bd] = (brdy as string).trim().slice(0, 10).split('-').map(Number) as [number, number, number];
  const [y, m, dd] = (on as string).trim().slice(0, 10).split('-').map(Number) as [number, number, number];
  const age = y - by - (m < bm || (m === bm && dd < bd) ? 1 : 0);
  return { age, days: d - b };
}

function simple(o: Record<string, unknown>): DrgCase {
  const notes: string[] = [];
  let age = num(o, ['age'], '年龄');
  let ageDays = num(o, ['age_days', 'nwb_age', 'ageDay'], '日龄');
  if (age === null && ageDays === null) {
    const d = ageFromDates(o.brdy, o.adm_time);
    if (d) {
      age = d.age;
      ageDays = d.days;
      notes.push(`年龄由出生日期与入院时间推算：${d.age} 岁（${d.days} 天）`);
    }
  }
  return {
    id: idOf(o, ['id', 'setl_id', 'mdtrt_id', 'medcasno', 'Index']),
    shape: 'simple',
    sex: sexOf(o, ['gend', 'sex', 'gender']),
    age,
    ageDays,
    weight: weightOf(o, ['nwb_bir_wt', 'birth_weight', 'weight'], notes),
    los: num(o, ['ipt_days', 'act_ipt_days', 'inHospitalTime'], '住院天数'),
    dischargeWay: str(o, ['dscg_way', 'leavingType'], '离院方式'),
    dx: codeList(o, ['diagnoses', 'zdList'], DX_KEYS, '诊断'),
    proc: codeList(o, ['procedures', 'ssList'], PROC_KEYS, '手术操作'),
    notes,
  };
}

const flagged = (v: unknown): boolean => v === '1' || v === 1 || v === true;

function settlementList(root: Record<string, unknown>): DrgCase {
  const s = root.setlinfo;
  if (!isObject(s)) throw new Bad('结算清单的 setlinfo 必须是对象');
  const notes: string[] = [];
  let age = num(s, ['age'], '年龄');
  const nwbAge = num(s, ['nwb_age'], '不足1周岁天数');
  let ageDays = nwbAge;
  if (age === null && nwbAge !== null) {
    age = 0;
    notes.push(`年龄未填，按不足1周岁天数（nwb_age=${nwbAge}）取 0 岁`);
  }
  if (age === null || ageDays === null) {
    const d = ageFromDates(s.brdy, s.adm_time);
    if (d) {
      if (age === null) {
        age = d.age;
        notes.push(`年龄由出生日期与入院时间推算：${d.age} 岁`);
      }
      ageDays ??= d.days;
    }
  }

  // Diagnoses: western-medicine rows only; the principal one first.
  const dise = root.diseinfo ?? [];
  if (!Array.isArray(dise)) throw new Bad('结算清单的 diseinfo 必须是数组');
  let main: string | null = null;
  const others: string[] = [];
  let tcm = 0;
  for (let i = 0; i < dise.length; i++) {
    const row: unknown = dise[i];
    if (!isObject(row)) throw new Bad(`diseinfo 第 ${i + 1} 行必须是对象`);
    const type = row.diag_type === undefined || row.diag_type === null ? '1' : String(row.diag_type).trim();
    if (type === '2' || type === '3') {
      tcm++;
      continue;
    }
    const c = code(row, ['diag_code'], '诊断', i);
    if (flagged(row.maindiag_flag)) {
      if (main !== null) throw new Bad(`diseinfo 有多个主诊断（maindiag_flag=1）：${main}、${c}`);
      main = c;
    } else others.push(c);
  }
  if (tcm) notes.push(`略过中医诊断 ${tcm} 条（diag_type 2/3 不参与 DRG 分组）`);
  if (main === null && others.length) throw new Bad('结算清单没有主诊断：diseinfo 中没有 maindiag_flag=1 的西医诊断');
  const dx = main === null ? [] : [main, ...others];

  // Procedures: the main one first.
  const oprn = root.oprninfo ?? [];
  if (!Array.isArray(oprn)) throw new Bad('结算清单的 oprninfo 必须是数组');
  const rows = oprn.map((row, i) => {
    if (!isObject(row)) throw new Bad(`oprninfo 第 ${i + 1} 行必须是对象`);
    return { code: code(row, ['oprn_oprt_code'], '手术操作', i), row };
  });
  let mainIdx = rows.findIndex((r) => flagged(r.row.main_oprn_flag));
  if (mainIdx < 0) mainIdx = rows.findIndex((r) => r.row.oprn_oprt_type === '1' || r.row.oprn_oprt_type === 1);
  if (mainIdx < 0 && rows.length) {
    mainIdx = 0;
    notes.push(`oprninfo 未标明主要手术（main_oprn_flag / oprn_oprt_type=1），取第一条 ${rows[0]!.code}`);
  }
  const proc = rows.length ? [rows[mainIdx]!.code, ...rows.filter((_, i) => i !== mainIdx).map((r) => r.code)] : [];

  return {
    id: idOf(s, ['setl_id', 'mdtrt_id', 'medcasno']),
    shape: '4101',
    sex: sexOf(s, ['gend']),
    age,
    ageDays,
    weight: weightOf(s, ['nwb_bir_wt'], notes),
    los: num(s, ['act_ipt_days', 'ipt_days'], '住院天数'),
    dischargeWay: str(s, ['dscg_way'], '离院方式'),
    dx,
    proc,
    notes,
  };
}

/** Either shape → the internal case, or a Chinese reason why the input cannot be read. */
export function normaliseCase(input: unknown): Normalised {
  if (!isObject(input)) return { ok: false, id: null, reason: `输入必须是 JSON 对象，实际为 ${Array.isArray(input) ? '数组' : JSON.stringify(input)}` };
  const root = isObject(input.input) && isObject(input.input.setlinfo) ? input.input : input;
  const is4101 = root.setlinfo !== undefined;
  try {
    return { ok: true, case: is4101 ? settlementList(root) : simple(root) };
  } catch (e) {
    if (!(e instanceof Bad)) throw e;
    const id = is4101 && isObject(root.setlinfo) ? idOf(root.setlinfo, ['setl_id', 'mdtrt_id', 'medcasno']) : idOf(root, ['id', 'setl_id', 'mdtrt_id', 'medcasno', 'Index']);
    return { ok: false, id, reason: e.message };
  }
}
