/**
 * Data for the 事前事中提醒 and 医保结算清单 pages of the browser journeys and the screenshots, at one hospital of a
 * city (default 乙市 990200):
 *  - settlement lists uploaded through the settlement-list service itself (uploadSetlList: quality control, versions,
 *    status), one re-uploaded with a QC warning and one refused by QC, then a DRG year paid from a case file whose case
 *    ids are those settlement ids (as generated data is paid), so a list shows its DRG group;
 *  - 3101/3102 evaluations written into the evaluation log as the audit engine's log writer stores them (audit_eval,
 *    audit_warn_rslt with judge details, audit_warn_dspo for the doctors' 3103 answers), for real rules of the rule
 *    base and real insured persons.
 * Deterministic: the same call gives the same rows (ids from the hospital code and a counter).
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'kysely';
import { runPayYear, saveParams } from '../../src/payment/pay/index.js';
import { SetlListQcError, uploadSetlList } from '../../src/payment/setl-list/index.js';
import type { SetlListInput } from '../../src/payment/setl-list/fields.js';
import { adultList, FIXTURE_DIAGNOSES, FIXTURE_PROCEDURES, newbornList, setField } from '../../src/payment/setl-list/testing.js';
import type { Db } from '../../src/platform/db.js';
import type { Actor } from '../../src/platform/oplog.js';
import { DIAGNOSES, insertBundled, PROCEDURES } from '../../src/standards/coded-list.js';

export interface SetlListSeed {
  fixmedins_code: string;
  fixmedins_name: string;
  /** Lists in force: [clean, re-uploaded with a warning, newborn]. */
  setl_ids: string[];
  /** The upload QC refused (only its QC run is kept). */
  refused_setl_id: string;
  run_id: string;
}

async function hospitalOf(db: Db, admdvs: string) {
  return db.k
    .selectFrom('fixmedins')
    .select(['fixmedins_code', 'fixmedins_name', 'admdvs', 'hosp_lv'])
    .where('admdvs', 'like', `${admdvs.slice(0, 4)}%`)
    .where('fixmedins_type', '=', '1')
    .orderBy('hosp_lv', 'desc')
    .orderBy('fixmedins_code')
    .executeTakeFirstOrThrow();
}

/** The diagnosis and procedure codes the fixture lists use, where the code tables lack them. */
async function ensureFixtureCodes(db: Db): Promise<void> {
  const haveDiag = new Set((await db.k.selectFrom('diagnosis').select('diag_code').where('diag_code', 'in', [...FIXTURE_DIAGNOSES.keys()]).execute()).map((r) => r.diag_code));
  const haveOprn = new Set((await db.k.selectFrom('procedure_code').select('oprn_oprt_code').where('oprn_oprt_code', 'in', [...FIXTURE_PROCEDURES.keys()]).execute()).map((r) => r.oprn_oprt_code));
  await db.k.transaction().execute(async (trx) => {
    const diag = [...FIXTURE_DIAGNOSES].filter(([c]) => !haveDiag.has(c)).map(([code, name]) => ({ code, name }));
    const oprn = [...FIXTURE_PROCEDURES].filter(([c]) => !haveOprn.has(c)).map(([code, name]) => ({ code, name }));
    if (diag.length) await insertBundled(trx, DIAGNOSES, diag);
    if (oprn.length) await insertBundled(trx, PROCEDURES, oprn);
  });
}

/** Uploads settlement lists at a hospital of `admdvs` and pays a DRG year in which one of them is a case. */
export async function seedSetlLists(db: Db, o: { admdvs?: string } = {}): Promise<SetlListSeed> {
  const admdvs = o.admdvs ?? '990200';
  const h = await hospitalOf(db, admdvs);
  await ensureFixtureCodes(db);
  const actor: Actor = { id: h.fixmedins_code, name: h.fixmedins_name, admdvs: [h.admdvs] };
  const upload = (l: SetlListInput) => {
    l.setlinfo.fixmedins_code = h.fixmedins_code;
    l.setlinfo.fixmedins_name = h.fixmedins_name;
    return uploadSetlList({ db, actor, fixmedins_code: h.fixmedins_code, msgid: null, admdvs: `${admdvs.slice(0, 4)}00`, at: new Date() }, l, { settlementLookup: null });
  };
  const id = (n: number) => `E2E${h.fixmedins_code.slice(1, 7)}${String(n).padStart(4, '0')}`;
  const [clean, warned, newborn, refused] = [id(1), id(2), id(3), id(4)];
  await upload(adultList(clean, `M${clean}`));
  await upload(adultList(warned, `M${warned}`));
  await upload(setField(adultList(warned, `M${warned}`), 'setlinfo.poscode', '12345'));
  await upload(newbornList(newborn, `M${newborn}`));
  try {
    await upload(setField(newbornList(refused, `M${refused}`), 'setlinfo.nwb_bir_wt', '150'));
  } catch (e) {
    if (!(e instanceof SetlListQcError)) throw e;
  }
  // a DRG year (2025, weights from 2024) in which the clean list is a case: its group shows on the list's page
  const dir = mkdtempSync(join(tmpdir(), 'yibao-e2e-setl-'));
  try {
    const file = join(dir, 'cases.jsonl');
    const GZ13 = { gend: '1', age: 60, diagnoses: ['K22.301', 'K11.901'], procedures: [] };
    const OB19 = { gend: '2', age: 35, diagnoses: ['O82.000'], procedures: ['74.1x01'] };
    const lines = [2024, 2025].flatMap((y) =>
      [0, 1, 2, 3, 4, 5].map((i) =>
        JSON.stringify({
          id: y === 2025 && i === 0 ? clean : `${h.fixmedins_code}-${y}-${i}`,
          fixmedins_code: h.fixmedins_code,
          hosp_lv: h.hosp_lv,
          dscg_date: `${y}-${String(1 + i * 2).padStart(2, '0')}-12`,
          medfee_sumamt: (6_000 + i * 450).toFixed(2),
          psn_part_amt: '1200.00',
          ipt_days: 5 + i,
          dscg_way: '1',
          ...(i % 2 ? OB19 : GZ13),
        }),
      ),
    );
    writeFileSync(file, `${lines.join('\n')}\n`);
    const key = { admdvs: `${admdvs.slice(0, 4)}00`, pay_type: 'drg' as const, setl_year: 2025 };
    const payer: Actor = { id: 'jingban', name: '经办员', admdvs: [key.admdvs] };
    await saveParams(db, payer, key, { begndate: '2025-01-01', budget: '60000.00', base_rate: '9500.00', params: { year_weights: { '2024': 1 }, trim: { method: 'none' } } });
    const run = await runPayYear(db, payer, { pay_type: 'drg', year: 2025, admdvs: key.admdvs, cases: file });
    return { fixmedins_code: h.fixmedins_code, fixmedins_name: h.fixmedins_name, setl_ids: [clean, warned, newborn], refused_setl_id: refused, run_id: run.run_id };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

export interface EvalSeed {
  fixmedins_code: string;
  fixmedins_name: string;
  /** Newest first: [no hit, a warning the doctor insisted on (3102), two warnings: one adopted, one unanswered (3101)]. */
  eval_ids: string[];
  rule_ids: string[];
  psn_no: string;
  psn_name: string;
}

/**
 * Three evaluations at a hospital of `admdvs` (default 乙市), a day apart: one with two warnings (one adopted by the
 * doctor, one unanswered), one with a warning the doctor insisted on, one without any hit.
 */
export async function seedEvaluations(db: Db, o: { admdvs?: string } = {}): Promise<EvalSeed> {
  const admdvs = o.admdvs ?? '990200';
  const h = await hospitalOf(db, admdvs);
  const rules = await db.k.selectFrom('audit_rule').select(['rule_id', 'rule_ver', 'rule_name', 'sev_deg', 'vola_bhvr_type']).where('enddate', 'is', null).where('stages', 'like', '%1%').orderBy('rule_id').limit(2).execute();
  if (rules.length < 2) throw new Error('规则库中事前规则不足两条');
  const psn = await db.k
    .selectFrom('psn as p')
    .innerJoin('psn_insu as i', 'i.psn_no', 'p.psn_no')
    .select(['p.psn_no', 'p.psn_name'])
    .where('i.insuplc_admdvs', 'like', `${admdvs.slice(0, 4)}%`)
    .orderBy('p.psn_no')
    .executeTakeFirstOrThrow();
  const doctor = await db.k.selectFrom('practitioner').select(['prac_code', 'prac_name']).where('fixmedins_code', '=', h.fixmedins_code).orderBy('prac_code').executeTakeFirst();
  const base = `E2E${h.fixmedins_code}`;
  const day = (n: number) => new Date(Date.now() - n * 86_400_000);
  const specs = [
    { n: 3, trig: '2', infno: '3101', warns: [{ rule: rules[0]!, dspo: '1' as string | null }, { rule: rules[1]!, dspo: null as string | null }] },
    { n: 2, trig: '6', infno: '3102', warns: [{ rule: rules[1]!, dspo: '2' as string | null }] },
    { n: 1, trig: '1', infno: '3101', warns: [] as { rule: (typeof rules)[number]; dspo: string | null }[] },
  ];
  const ids: string[] = [];
  for (const s of specs) {
    const eval_id = `${base}EV${s.n}`;
    const at = day(s.n);
    const mdtrt_id = `${base}MD${s.n}`;
    const vola = s.warns.length * 36.5;
    await sql`insert into audit_eval (eval_id, infno, task_id, fixmedins_code, msgid, trig_scen, med_type, patn_ids, mdtrt_ids, reqt_time, rsp_time, ana_dura, rules_run, rule_cnt, hit_cnt, warn_msg, medfee_sumamt, vola_amt, hist_src)
      values (${eval_id}, ${s.infno}, ${`T${eval_id}`}, ${h.fixmedins_code}, null, ${s.trig}, '11', ${psn.psn_no}, ${mdtrt_id}, ${at}, ${new Date(at.getTime() + 18)}, ${(14.2 + s.n).toFixed(3)},
              ${rules.map((r) => r.rule_id).join(',')}, ${rules.length}, ${s.warns.length}, ${s.warns.length ? `事前提醒 ${s.warns.length} 条` : null}, '268.00', ${vola.toFixed(2)}, '2')`.execute(db.k);
    for (const [i, w] of s.warns.entries()) {
      const warn_rslt_id = `${eval_id}W${i + 1}`;
      const detail = [{ jrd_id: `${warn_rslt_id}D1`, patn_id: psn.psn_no, mdtrt_id, rx_id: `RX${s.n}${i + 1}`, vola_item_type: '1', vola_amt: 36.5 }];
      await sql`insert into audit_warn_rslt (warn_rslt_id, eval_id, task_id, infno, trig_scen, med_type, fixmedins_code, patn_id, mdtrt_id, reqt_time, rsp_time, ana_dura, rule_id, rule_ver, rule_name, rule_sev_deg, vola_bhvr_type, warn_cont, medfee_sumamt, vola_amt, vola_amt_stas, detail, warn_dspo_way, dspo_dscr, dspo_time)
        values (${warn_rslt_id}, ${eval_id}, ${`T${eval_id}`}, ${s.infno}, ${s.trig}, '11', ${h.fixmedins_code}, ${psn.psn_no}, ${mdtrt_id}, ${at}, ${new Date(at.getTime() + 18)}, ${(14.2 + s.n).toFixed(3)},
                ${w.rule.rule_id}, ${w.rule.rule_ver}, ${w.rule.rule_name}, ${w.rule.sev_deg}, ${w.rule.vola_bhvr_type}, ${`${w.rule.rule_name}：处方 RX${s.n}${i + 1} 疑似违规`}, '268.00', '36.50', '1',
                ${JSON.stringify(detail)}::jsonb, ${w.dspo}, ${w.dspo ? (w.dspo === '1' ? '已修改医嘱' : '病情需要，坚持执行') : null}, ${w.dspo ? new Date(at.getTime() + 60_000) : null})`.execute(db.k);
      if (w.dspo) {
        await sql`insert into audit_warn_dspo (warn_rslt_id, warn_dspo_way, dspo_dscr, dr_codg, dr_name, fixmedins_code, dspo_time)
          values (${warn_rslt_id}, ${w.dspo}, ${w.dspo === '1' ? '已修改医嘱' : '病情需要，坚持执行'}, ${doctor?.prac_code ?? null}, ${doctor?.prac_name ?? null}, ${h.fixmedins_code}, ${new Date(at.getTime() + 60_000)})`.execute(db.k);
      }
    }
    ids.push(eval_id);
  }
  return { fixmedins_code: h.fixmedins_code, fixmedins_name: h.fixmedins_name, eval_ids: ids.reverse(), rule_ids: rules.map((r) => r.rule_id), psn_no: psn.psn_no, psn_name: psn.psn_name };
}
