/**
 * Data for the DRG/DIP and smart-audit pages of the browser journeys and the screenshots: a DRG pay year of the
 * demo city run through the payment service itself (parameters saved with saveParams, the year paid by runPayYear
 * from a JSONL file of cases at the city's real hospitals), and suspects (疑点) inserted into audit_suspect as the
 * batch engine writes them, for real rules of the installed rule base and real settlements when there are some.
 * Deterministic: the same call gives the same cases and amounts.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'kysely';
import type { Db } from '../../src/platform/db.js';
import type { Actor } from '../../src/platform/oplog.js';
import { runPayYear, saveParams } from '../../src/payment/pay/index.js';

const PAY_ACTOR: Actor = { id: 'jingban', name: '甲市经办员', admdvs: ['990100'] };

/** Case shapes the CHS-DRG 1.1 grouper places in known groups (as in payment/pay's own tests), plus one 0000 case. */
const SHAPES = [
  { mean: 10_000, c: { gend: '1', age: 60, diagnoses: ['K22.301', 'K11.901'], procedures: [] } },
  { mean: 5_000, c: { gend: '2', age: 35, diagnoses: ['O82.000'], procedures: ['74.1x01'] } },
  { mean: 8_000, c: { gend: '1', age: 70, diagnoses: ['J18.900'], procedures: [] } },
  { mean: 12_000, c: { gend: '2', age: 66, diagnoses: ['I63.900'], procedures: [] } },
  { mean: 6_000, c: { gend: '1', age: 45, diagnoses: ['K35.800'], procedures: ['47.0100'] } },
  { mean: 3_000, c: { gend: '1', age: 50, diagnoses: ['W19.x00'], procedures: [] } },
];

/** A small deterministic generator (no Math.random: the screenshots and journeys see the same numbers). */
function lcg(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1_664_525) + 1_013_904_223) >>> 0;
    return s / 2 ** 32;
  };
}

export interface PaySeed {
  run_id: string;
  admdvs: string;
  setl_year: number;
  hospitals: { fixmedins_code: string; fixmedins_name: string; hosp_lv: string }[];
}

/**
 * Pays a DRG year of `admdvs` (default 甲市 990100) for `year`: history cases the year before, `perHospital` paid
 * cases per hospital (a few dearer and cheaper ones become 高倍率 / 低倍率), parameters with two versions.
 */
export async function seedPayYear(db: Db, o: { admdvs?: string; year?: number; hospitals?: number; perHospital?: number } = {}): Promise<PaySeed> {
  const admdvs = o.admdvs ?? '990100';
  const year = o.year ?? 2026;
  const hospitals = await db.k
    .selectFrom('fixmedins')
    .select(['fixmedins_code', 'fixmedins_name', 'hosp_lv'])
    .where('admdvs', 'like', `${admdvs.slice(0, 4)}%`)
    .where('fixmedins_type', '=', '1')
    .where('hosp_lv', 'in', ['1', '2', '3'])
    .orderBy('hosp_lv', 'desc')
    .orderBy('fixmedins_code')
    .limit(o.hospitals ?? 4)
    .execute();
  if (!hospitals.length) throw new Error(`区划 ${admdvs} 没有定点医院`);
  const rnd = lcg(year);
  const lines: string[] = [];
  const per = o.perHospital ?? 30;
  for (const [y, n] of [
    [year - 1, per],
    [year, per],
  ] as const) {
    hospitals.forEach((h, hi) => {
      for (let i = 0; i < n; i++) {
        const shape = SHAPES[(i + hi) % SHAPES.length]!;
        // mostly around the mean; every 13th case far dearer, every 11th far cheaper
        let f = 0.7 + rnd() * 0.6;
        if (y === year && i % 13 === 7) f = 3.5 + rnd();
        if (y === year && i % 11 === 5) f = 0.2 + rnd() * 0.1;
        const cost = Math.round(shape.mean * f * (1 + Number(h.hosp_lv) * 0.05) * 100);
        const month = 1 + ((i * 7 + hi) % 12);
        lines.push(
          JSON.stringify({
            id: `${h.fixmedins_code}-${y}-${i}`,
            fixmedins_code: h.fixmedins_code,
            hosp_lv: h.hosp_lv,
            dscg_date: `${y}-${String(month).padStart(2, '0')}-${String(1 + (i % 27)).padStart(2, '0')}`,
            medfee_sumamt: (cost / 100).toFixed(2),
            psn_part_amt: ((Math.round(cost * 0.22) / 100)).toFixed(2),
            ipt_days: 4 + (i % 9),
            dscg_way: '1',
            ...shape.c,
          }),
        );
      }
    });
  }
  const dir = mkdtempSync(join(tmpdir(), 'yibao-e2e-pay-'));
  try {
    const file = join(dir, 'cases.jsonl');
    writeFileSync(file, `${lines.join('\n')}\n`);
    const key = { admdvs, pay_type: 'drg' as const, setl_year: year };
    const params = { year_weights: { [String(year - 1)]: 1 }, trim: { method: 'none' } };
    await saveParams(db, PAY_ACTOR, key, { begndate: `${year}-01-01`, budget: String(hospitals.length * per * 6_000), base_rate: '9500.00', params });
    await saveParams(db, PAY_ACTOR, key, { begndate: `${year}-07-01`, budget: String(hospitals.length * per * 6_500), base_rate: '9800.00', params });
    const r = await runPayYear(db, PAY_ACTOR, { pay_type: 'drg', year, admdvs, cases: file });
    return { run_id: r.run_id, admdvs, setl_year: year, hospitals };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

export interface SuspectSeed {
  suspect_ids: string[];
  rule_ids: string[];
  fixmedins_code: string;
}

/**
 * Inserts `n` open suspects (stas 0 待处理) of 事后 rules at one hospital of `admdvs`, as the batch engine writes
 * them: rule id, version and name from the rule base, the settlement and person of a real settlement there when
 * one exists, evidence as JSON, amounts in yuan.
 */
export async function seedSuspects(db: Db, o: { admdvs?: string; n?: number; fixmedins_code?: string } = {}): Promise<SuspectSeed> {
  const admdvs = o.admdvs ?? '990100';
  const n = o.n ?? 8;
  const rules = await db.k.selectFrom('audit_rule').select(['rule_id', 'rule_ver', 'rule_name', 'sev_deg', 'vola_bhvr_type']).where('enddate', 'is', null).orderBy('rule_id').limit(4).execute();
  if (!rules.length) throw new Error('规则库为空');
  const setlsOf = (code: string | null) =>
    db.k
      .selectFrom('setl')
      .select(['setl_id', 'mdtrt_id', 'psn_no', 'fixmedins_code'])
      .where('refd_setl_flag', '=', '0')
      .where('vali_flag', '=', '1')
      .where('fixmedins_code', code ? '=' : 'like', code ?? `H${admdvs.slice(0, 4)}%`)
      .orderBy('setl_id')
      .limit(n)
      .execute();
  const found = await setlsOf(o.fixmedins_code ?? null);
  const inst =
    o.fixmedins_code ??
    found[0]?.fixmedins_code ??
    (await db.k.selectFrom('fixmedins').select('fixmedins_code').where('admdvs', 'like', `${admdvs.slice(0, 4)}%`).orderBy('fixmedins_code').executeTakeFirstOrThrow()).fixmedins_code;
  // only settlements of that one institution
  const setls = found.filter((x) => x.fixmedins_code === inst);
  const instArea = (await db.k.selectFrom('fixmedins').select('admdvs').where('fixmedins_code', '=', inst).executeTakeFirst())?.admdvs ?? admdvs;
  const psns = setls.length ? [] : await db.k.selectFrom('psn').select('psn_no').orderBy('psn_no').limit(n).execute();
  const ids: string[] = [];
  for (let i = 0; i < n; i++) {
    const r = rules[i % rules.length]!;
    const s = setls.length ? setls[i % setls.length] : undefined;
    const id = `E2E${admdvs}${String(i + 1).padStart(6, '0')}`;
    const amt = (120 + i * 37.5).toFixed(2);
    const evidence = {
      summary: `${r.rule_name}：第 ${i + 1} 条命中`,
      items: [{ hilist_code: 'XA05BAR096A005010100601', hilist_name: '示例药品', cnt: 2 + i, pric: '18.50', det_item_fee_sumamt: amt }],
      basis: '《医疗保障基金使用监督管理条例》',
    };
    await sql`insert into audit_suspect (suspect_id, stage, rule_id, rule_ver, rule_name, sev_deg, vola_bhvr_type, admdvs, fixmedins_code, psn_no, mdtrt_id, setl_id, mdtrt_ids, vola_cont, vola_amt, vola_amt_stas, evidence, dedup_key, stas, crte_time)
      values (${id}, '3', ${r.rule_id}, ${r.rule_ver}, ${r.rule_name}, ${r.sev_deg ?? '2'}, ${r.vola_bhvr_type}, ${instArea}, ${inst}, ${s?.psn_no ?? psns[i % Math.max(psns.length, 1)]?.psn_no ?? 'P0'},
              ${s?.mdtrt_id ?? null}, ${s?.setl_id ?? null}, ${s?.mdtrt_id ?? ''}, ${`${r.rule_name}：疑似违规费用 ${amt} 元`}, ${amt}, '1', ${JSON.stringify(evidence)}::jsonb, ${id}, '0', now())`.execute(db.k);
    ids.push(id);
  }
  return { suspect_ids: ids, rule_ids: [...new Set(rules.map((r) => r.rule_id))], fixmedins_code: inst };
}
