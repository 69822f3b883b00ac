/**
 * Test data for the settlement pages: real outpatient settlements (and reversals) made through the settlement
 * service itself (registerEncounter → uploadFees → settleEncounter → reverseSettlementOf), exactly as the
 * gateway's 2201 / 2204 / 2207 / 2208 would, so the console reads rows the platform really writes. Used by the
 * server route tests and the browser journeys; never by the running platform.
 */
import { yuanToFen, fenToYuan, type Fen } from '../../platform/money.js';
import type { Db } from '../../platform/db.js';
import { SYSTEM_ACTOR } from '../../platform/oplog.js';
import { beijingDate, beijingDateTime } from '../../platform/time.js';
import { registerEncounter, reverseSettlementOf, settleEncounter, uploadFees, type Caller } from '../../settlement/index.js';

let serial = 0;

export interface VisitSpec {
  fixmedins_code: string;
  psn_no: string;
  /** The attending doctor (a qualified practitioner of the institution). */
  atddr_no: string;
  insutype?: string;
  /** Catalogue items with unit price in yuan and count. */
  items: { hilist_code: string; pric: string; cnt: number }[];
  /** When the visit is settled (default now): the settlement service takes the request's time as given. */
  at?: Date;
}

async function callerFor(db: Db, fixmedins_code: string, at = new Date()): Promise<Caller> {
  const institution = await db.k.selectFrom('fixmedins').selectAll().where('fixmedins_code', '=', fixmedins_code).orderBy('begndate', 'desc').limit(1).executeTakeFirstOrThrow();
  serial += 1;
  return {
    db,
    actor: SYSTEM_ACTOR,
    institution,
    msgid: `${fixmedins_code}T${Date.now()}${String(serial).padStart(5, '0')}`.slice(0, 30),
    at,
    today: beijingDate(at),
    // the pooling area (prefecture) the institution belongs to
    mdtrtarea_admvs: `${institution.admdvs.slice(0, 4)}00`,
  };
}

/** One outpatient visit settled now; returns its ids and the total. */
export async function settleVisit(db: Db, v: VisitSpec): Promise<{ setl_id: string; mdtrt_id: string; medfee_sumamt: Fen }> {
  const insutype = v.insutype ?? '310';
  const at = v.at ?? new Date();
  const reg = await registerEncounter(await callerFor(db, v.fixmedins_code, at), {
    ipt_otp_flag: '1',
    psn_no: v.psn_no,
    insutype,
    begntime: beijingDateTime(new Date(at.getTime() - 3_600_000)),
    mdtrt_cert_type: '02',
    ipt_otp_no: `MZ${Date.now()}${++serial}`,
    atddr_no: v.atddr_no,
    dept_code: 'A03',
    dept_name: '内科',
  });
  let total: Fen = 0;
  const lines = v.items.map((it, i) => {
    const amount = (yuanToFen(it.pric) * it.cnt) as Fen;
    total += amount;
    return {
      feedetl_sn: `F${String(i + 1).padStart(3, '0')}`,
      mdtrt_id: reg.mdtrt_id,
      psn_no: v.psn_no,
      chrg_bchno: 'B001',
      fee_ocur_time: beijingDateTime(new Date(at.getTime() - 1_800_000)),
      med_list_codg: it.hilist_code,
      medins_list_codg: `LOCAL-${it.hilist_code.slice(0, 8)}`,
      det_item_fee_sumamt: fenToYuan(amount),
      cnt: String(it.cnt),
      pric: it.pric,
      bilg_dept_codg: 'A03',
      bilg_dept_name: '内科',
      bilg_dr_codg: v.atddr_no,
      hosp_appr_flag: '1',
    };
  });
  await uploadFees(await callerFor(db, v.fixmedins_code, at), '1', lines);
  const out = await settleEncounter(await callerFor(db, v.fixmedins_code, at), '1', {
    mdtrt_id: reg.mdtrt_id,
    psn_no: v.psn_no,
    insutype,
    med_type: '11',
    mdtrt_cert_type: '02',
    medfee_sumamt: total,
    psn_setlway: '01',
    acct_used_flag: '1',
    chrg_bchno: 'B001',
  });
  return { setl_id: String(out.setlinfo.setl_id), mdtrt_id: reg.mdtrt_id, medfee_sumamt: total };
}

/** 2208: reverses a settlement; returns the reversal's setl_id. */
export async function reverseVisit(db: Db, fixmedins_code: string, s: { setl_id: string; mdtrt_id: string }, psn_no: string): Promise<string> {
  const out = await reverseSettlementOf(await callerFor(db, fixmedins_code), '1', { setl_id: s.setl_id, mdtrt_id: s.mdtrt_id, psn_no });
  return String(out.setlinfo.setl_id);
}

/**
 * Settlements in the demo region (which has none by default), for the browser journeys and screenshots: for
 * `institutions` hospitals of each city (the first 甲市 hospital by code — the demo 机构用户's — always among
 * them), `visits` outpatient settlements each by employees insured in that city, with 甲类 drugs at their price
 * cap, plus one reversal (today) of each institution's first visit. With `months` the visits spread over
 * that many past months (for a trend to show); by default they are all settled now. A visit the rules refuse is
 * skipped; none settling at all is an error.
 */
export async function seedDemoSettlements(db: Db, opts: { institutions?: number; visits?: number; months?: number } = {}): Promise<{ settled: string[]; reversed: string[] }> {
  const perCity = opts.institutions ?? 2;
  const visits = opts.visits ?? 4;
  const today = beijingDate();
  const settled: string[] = [];
  const reversed: string[] = [];
  const problems: string[] = [];
  for (const city of ['9901', '9902']) {
    const hospitals = await db.k
      .selectFrom('fixmedins as f')
      .select(['f.fixmedins_code', 'f.hosp_lv'])
      .where('f.fixmedins_type', '=', '1')
      .where('f.fixmedins_code', 'like', `H${city}%`)
      .where('f.enddate', 'is', null)
      .where('f.hosp_lv', 'in', ['1', '2', '3'])
      .where((eb) => eb.exists(eb.selectFrom('fixmedins_agreement as a').select('a.fixmedins_code').whereRef('a.fixmedins_code', '=', 'f.fixmedins_code').where('a.agmt_stas', '=', '1').where('a.begndate', '<=', today).where((e) => e.or([e('a.enddate', 'is', null), e('a.enddate', '>=', today)]))))
      .orderBy('f.fixmedins_code')
      .limit(perCity)
      .execute();
    const persons = await db.k
      .selectFrom('psn_insu as i')
      .innerJoin('psn as p', 'p.psn_no', 'i.psn_no')
      .select('i.psn_no')
      .where('i.insutype', '=', '310')
      .where('i.psn_insu_stas', '=', '1')
      .where('i.insuplc_admdvs', '=', `${city}00`)
      .where('i.enddate', 'is', null)
      .where('p.death_date', 'is', null)
      .orderBy('i.psn_no')
      .limit(perCity * visits)
      .execute();
    let next = 0;
    for (const h of hospitals) {
      const doctor = await db.k
        .selectFrom('practitioner as d')
        .select('d.prac_code')
        .where('d.fixmedins_code', '=', h.fixmedins_code)
        .where('d.prac_type', '=', '1')
        .where('d.enddate', 'is', null)
        .where((eb) => eb.not(eb.exists(eb.selectFrom('practitioner_qualification as q').select('q.prac_code').whereRef('q.prac_code', '=', 'd.prac_code').where('q.qual_stas', '<>', '1').where((e) => e.or([e('q.enddate', 'is', null), e('q.enddate', '>=', today)])))))
        .orderBy('d.prac_code')
        .limit(1)
        .executeTakeFirst();
      const drugs = await db.k
        .selectFrom('hilist as l')
        .innerJoin('hilist_pric_uplmt as c', 'c.hilist_code', 'l.hilist_code')
        .select(['l.hilist_code', 'c.pric_uplmt_amt'])
        .where('l.list_type', '=', '101')
        .where('l.chrgitm_lv', '=', '01')
        .where('l.lmt_used_flag', '=', '0')
        .where('l.enddate', 'is', null)
        .where('c.hosp_lv', '=', h.hosp_lv)
        .where('c.enddate', 'is', null)
        .where('c.pric_uplmt_amt', '>', '0')
        .orderBy('l.hilist_code')
        .limit(6)
        .execute();
      if (!doctor || drugs.length < 2) continue;
      const mine: { setl_id: string; mdtrt_id: string; psn_no: string }[] = [];
      for (let i = 0; i < visits && next < persons.length; i++) {
        const psn_no = persons[next++]!.psn_no;
        const items = [drugs[i % drugs.length]!, drugs[(i + 1) % drugs.length]!].map((d, k) => ({ hilist_code: d.hilist_code, pric: d.pric_uplmt_amt, cnt: 2 + ((i + k) % 5) * 3 }));
        try {
          // oldest first; the last visit of each institution is today's
          const back = opts.months ? (visits - 1 - i) % (opts.months + 1) : 0;
          const at = new Date(Date.now() - back * 30 * 86_400_000);
          const s = await settleVisit(db, { fixmedins_code: h.fixmedins_code, psn_no, atddr_no: doctor.prac_code, items, at });
          mine.push({ ...s, psn_no });
          settled.push(s.setl_id);
        } catch (e) {
          problems.push(`${h.fixmedins_code} ${psn_no}: ${(e as Error).message}`);
        }
      }
      const first = mine[0];
      if (mine.length > 1 && first) reversed.push(await reverseVisit(db, h.fixmedins_code, first, first.psn_no));
    }
  }
  if (!settled.length) throw new Error(`演示结算一笔也没有成功：${problems.slice(0, 5).join('；')}`);
  return { settled, reversed };
}
