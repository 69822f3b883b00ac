/**
 * One person's life in the generated region over the months asked: enrollment rows, monthly personal-account
 * funding, the encounters of each month (timeline.ts) with their diagnoses and fee lines, and for each encounter
 * the settlement computed by the real policy engine in batch mode — classifyLine per line, settle() with the
 * person's running accumulators of the settlement year and running account balance — then every row the
 * platform would hold for it (mdtrt, mdtrt_idchk, mdtrt_diag, feedetl, setl, setl_fund, setl_feedetl,
 * setl_acc_move, fund_ledger, psn_acct_ledger; the settlement list of an inpatient stay) and, at the end, the
 * accumulator totals. Ids are in the national formats from region-wide counters, so the output depends only on
 * the seed and parameters.
 */
import type { Rng } from '../demo/prng.js';
import { formatDatedId } from '../platform/ids.js';
import { bpToRatio, fenToYuan, priceTimesQuantity } from '../platform/money.js';
import { ageOn } from '../platform/time.js';
import { classifyLine, emptyAccumulators, settle, type Accumulators, type ClassifiedLine } from '../settlement/policy/index.js';
import { clrTypeOf } from '../settlement/settle.js';
import { fundRowsOf, rowOfInfo } from '../settlement/wire.js';
import { ADMISSION, COMORBIDITIES, diagName, LEVEL_EXTRAS, oprnName, PHARMACY_ITEMS, SURGERY_EXTRA, VISIT, WARD_DAY, type Bundle, type BundleItem } from './bundles.js';
import type { Emitter } from './chunk.js';
import { addDays } from './days.js';
import type { GenPerson } from './persons.js';
import { emitSetlList } from './setl-list.js';
import { ts } from './tables.js';
import { chronicBundle, deathRate, lengthOfStay, pickBundle, pickInstitution, planMonth, READMIT_GAP_DAYS, type Kind } from './timeline.js';
import type { Institution, World } from './world.js';
import {
  chooseTypes,
  deadPsn,
  LOOKALIKE_TYPES,
  VIOLATION_TYPES,
  type Draft,
  type DraftLine,
  type EncounterRef,
  type EncounterSpec,
  type FollowUp,
  type Injection,
  type InjectResult,
  type TraceUse,
  type ViolationType,
} from './violations/index.js';

/** Generated dated-id serials start here (11-digit serial), above anything a live sequence reaches. */
export const DATED_SERIAL_BASE = 90_000_000_000;

export interface Counters {
  vio: number;
  mdtrt: number;
  setl: number;
  list: number;
  feedetl: number;
  trace: number;
}

export interface PersonContext {
  world: World;
  /** First day of the first month ('yyyy-MM-01'). */
  start: string;
  months: number;
  counters: Counters;
  emitter: Emitter;
  /** Probability that an encounter carries an injected violation (0 = none, and no draws spent on it). */
  violations: number;
}

/** How many times the asked violation rate an inpatient stay gets (docs/synthetic-data.md). */
export const IPT_RATE_FACTOR = 3;

const MED_TYPE: Record<Kind, string> = { opt: '11', mts: '14', ipt: '21', pharm: '41' };
const IDET = { 特困: '2201', 低保: '2202' } as const;
const DRUG_TYPES = new Set(['101', '102']);

export function monthStart(start: string, m: number): string {
  const y = Number(start.slice(0, 4));
  const mo = Number(start.slice(5, 7)) - 1 + m;
  return `${y + Math.floor(mo / 12)}-${String((mo % 12) + 1).padStart(2, '0')}-01`;
}

function daysIn(month: string): number {
  const d = new Date(`${month}T00:00:00Z`);
  d.setUTCMonth(d.getUTCMonth() + 1, 0);
  return d.getUTCDate();
}

/** Noon of a Beijing date, the instant dated ids are formatted from: one Date per date of the period (read only). */
const noons = new Map<string, Date>();
const noon = (date: string): Date => {
  let d = noons.get(date);
  if (!d) noons.set(date, (d = new Date(`${date}T12:00:00+08:00`)));
  return d;
};
/** '00' … '59': clock fields without a padStart per line. */
const TWO_DIGITS = Array.from({ length: 60 }, (_, i) => String(i).padStart(2, '0'));
const hhmm = (rng: Rng, from: number, to: number): string => `${TWO_DIGITS[rng.int(from, to)]}:${TWO_DIGITS[rng.int(0, 59)]}:00`;

/** A 20-digit 药品追溯码: the product prefix and a 13-digit package serial. */
function traceCode(world: World, hilist_code: string, serial: number): string {
  return `${world.traceProduct(hilist_code)}${String(serial).padStart(13, '0')}`;
}


/** A classified line's split as the columns feedetl and setl_feedetl share. */
function splitOf(c: ClassifiedLine) {
  return {
    fulamt_ownpay_amt: fenToYuan(c.fulamt_ownpay_amt),
    overlmt_amt: fenToYuan(c.overlmt_amt),
    preselfpay_amt: fenToYuan(c.preselfpay_amt),
    inscp_scp_amt: fenToYuan(c.inscp_scp_amt),
    chrgitm_lv: c.chrgitm_lv,
    selfpay_prop: bpToRatio(c.selfpay_prop),
  };
}

export interface PersonStats {
  encounters: number;
  lines: number;
}

export function generatePerson(ctx: PersonContext, p: GenPerson, rng: Rng): PersonStats {
  const { world, emitter } = ctx;
  const pool = p.insuplc_admdvs;
  const employee = p.insutype === '310';
  const firstMonth = ctx.start.slice(0, 7);
  const pe = (table: Parameters<Emitter['emit']>[0], v: Record<string, string | number | null>, month = firstMonth) => emitter.emit(table, v, month, pool);

  pe('psn_card', { card_no: p.card_no, psn_no: p.psn_no, card_stas: '1', begndate: p.begndate });
  pe('psn_insu', { psn_no: p.psn_no, insutype: p.insutype, psn_insu_stas: '1', insuplc_admdvs: pool, psn_type: p.psn_type, emp_name: p.emp_name, crt_insu_date: p.begndate, begndate: p.begndate });
  if (p.idet) pe('psn_idet', { psn_no: p.psn_no, psn_idet_type: IDET[p.idet], begndate: p.begndate });

  let balc = employee ? p.acct_balc : 0;
  if (employee) pe('psn_acct_ledger', { psn_no: p.psn_no, insutype: '310', move_type: 'credit_fund', amt: fenToYuan(balc), ref_type: null, ref_id: null, memo: '期初余额', move_time: ts(`${ctx.start} 00:00:00`) }, firstMonth);
  const monthlyCredit = employee ? (p.psn_type.startsWith('12') ? rng.int(80, 150) : rng.int(60, 260)) * 100 : 0;

  const chronic = chronicBundle(rng.fork('chronic'), ageOn(p.brdy, ctx.start), p.gend);
  const acc = new Map<number, Accumulators>();
  let busyUntil = '';
  let lastDischarge = '';
  let lastSeen = '';
  let death: string | null = null;
  const stats: PersonStats = { encounters: 0, lines: 0 };
  let mtsInst: Institution | null = null;
  let pharmacy: Institution | null = null;
  const traces = new Map<string, TraceUse>();
  const end = monthStart(ctx.start, ctx.months);
  // the city of the day's first visit: a second natural visit that day stays there
  let dayOf = { date: '', pool: '' };

  /** Generates one encounter and, depth first, the follow-ups a cross-encounter type scheduled from it. */
  const run = (spec: EncounterSpec, pick: Pick | null): void => {
    const out = encounter(ctx, p, rng, spec, acc, balc, traces, pick);
    if (!out) return;
    balc = out.balc;
    stats.encounters++;
    stats.lines += out.lines;
    if (out.ref.endDate > lastSeen) lastSeen = out.ref.endDate;
    if (spec.kind === 'ipt') {
      if (out.ref.endDate > busyUntil) busyUntil = out.ref.endDate;
      if (out.ref.endDate > lastDischarge) lastDischarge = out.ref.endDate;
    }
    for (const { up, type } of out.follow) {
      if (up.date < p.brdy || up.date >= end || (death && up.date >= death)) continue;
      run(up, { type, inject: (d) => up.inject(d, out.ref, rng, world) });
    }
  };

  for (let m = 0; m < ctx.months && !death; m++) {
    const first = monthStart(ctx.start, m);
    const month = first.slice(0, 7);
    const days = daysIn(first);
    const age = ageOn(p.brdy, first);
    if (first < p.brdy) continue;
    if (rng.chance(deathRate(age))) {
      death = addDays(first, rng.int(0, days - 1));
      // not before the end of care already generated (a stay running into the month, a scheduled follow-up)
      if (death <= lastSeen) death = addDays(lastSeen, 1);
    }
    if (employee) {
      balc += monthlyCredit;
      pe('psn_acct_ledger', { psn_no: p.psn_no, insutype: '310', move_type: 'credit_fund', amt: fenToYuan(monthlyCredit), ref_type: null, ref_id: null, memo: `${month} 个人账户划入`, move_time: ts(`${first} 02:00:00`) }, month);
    }
    for (const plan of planMonth(rng, age, p.gend, employee, chronic !== null, days)) {
      const date = addDays(first, plan.day - 1);
      if (date < p.brdy || (death && date >= death) || date <= busyUntil) continue;
      if (plan.kind === 'ipt' && lastDischarge && date <= addDays(lastDischarge, READMIT_GAP_DAYS)) continue;
      const samePool = dayOf.date === date ? dayOf.pool : undefined;
      let bundle: Bundle | null = null;
      let inst: Institution | null;
      if (plan.kind === 'pharm') {
        if (!pharmacy || rng.chance(0.2) || (samePool && pharmacy.pool !== samePool)) pharmacy = pickInstitution(rng, world, 'pharm', pool, '1', samePool);
        inst = pharmacy;
      } else if (plan.kind === 'mts') {
        bundle = chronic;
        mtsInst ??= pickInstitution(rng, world, 'mts', pool, bundle!.minLv);
        inst = mtsInst && samePool && mtsInst.pool !== samePool ? null : mtsInst;
      } else {
        bundle = pickBundle(rng, plan.kind, age, p.gend);
        inst = bundle ? pickInstitution(rng, world, plan.kind, pool, bundle.minLv, samePool) : null;
      }
      if (!inst) continue;
      dayOf = { date, pool: inst.pool };
      let spec: EncounterSpec = { kind: plan.kind, date, bundle, inst };
      let pick: Pick | null = null;
      // a violation at the rate asked (three times it for a stay: few encounters, much of the money, and most
      // types of their own); otherwise, at half that rate, a look-alike legitimate case
      const rate = plan.kind === 'ipt' ? Math.min(0.9, ctx.violations * IPT_RATE_FACTOR) : ctx.violations;
      const list = rate > 0 && rng.chance(rate) ? VIOLATION_TYPES : rate > 0 && rng.chance(rate / 2) ? LOOKALIKE_TYPES : null;
      if (list) {
        const chosen = chooseTypes(list, spec, p, rng, world);
        spec = chosen.spec;
        pick = { tries: chosen.tries };
      }
      run(spec, pick);
    }
  }

  // 冒名就医: someone keeps using a dead person's card for outpatient care
  if (death && ctx.violations > 0 && rng.chance(Math.min(1, ctx.violations * 20))) {
    const date = addDays(death, rng.int(3, 60));
    const bundle = pickBundle(rng, 'opt', ageOn(p.brdy, death), p.gend);
    const inst = date < end && bundle ? pickInstitution(rng, world, 'opt', pool, bundle.minLv) : null;
    if (inst) {
      const out = encounter(ctx, p, rng, { kind: 'opt', date, bundle, inst }, acc, balc, traces, { type: deadPsn, inject: (d) => deadPsn.inject(d, rng, world) });
      if (out) {
        balc = out.balc;
        stats.encounters++;
        stats.lines += out.lines;
      }
    }
  }

  pe('psn', { psn_no: p.psn_no, psn_cert_type: '01', certno: p.certno, psn_name: p.psn_name, gend: p.gend, brdy: p.brdy, naty: p.naty, psn_type: p.psn_type, cvlserv_flag: p.cvlserv_flag, emp_name: p.emp_name, tel: p.tel, addr: p.addr, death_date: death });
  for (const [year, a] of [...acc.entries()].sort(([x], [y]) => x - y)) {
    pe('setl_acc_year', { psn_no: p.psn_no, insutype: p.insutype, year, admissions: a.admissions, large_base: fenToYuan(a.large_base), large_paid: fenToYuan(a.large_paid), cvlserv_paid: fenToYuan(a.cvlserv_paid), maf_paid: fenToYuan(a.maf_paid) });
    for (const [grp, g] of Object.entries(a.groups).sort(([x], [y]) => x.localeCompare(y))) {
      pe('setl_acc_grp', { psn_no: p.psn_no, insutype: p.insutype, year, acc_grp: grp, dedc_used: fenToYuan(g.dedc_used), pool_base: fenToYuan(g.pool_base), pool_paid: fenToYuan(g.pool_paid) });
    }
  }
  return stats;
}

/**
 * Which injection an encounter gets: the types to try in order on its draft (the first that can be expressed
 * is injected), or one type with its own inject (a follow-up of a cross-encounter type, a dead person's visit).
 */
type Pick = { tries: readonly ViolationType[] } | { type: ViolationType; inject: (d: Draft) => InjectResult };

interface EncounterOut {
  balc: number;
  lines: number;
  ref: EncounterRef;
  /** Follow-up encounters scheduled by the injected type. */
  follow: { up: FollowUp; type: ViolationType }[];
}

function encounter(
  ctx: PersonContext,
  p: GenPerson,
  rng: Rng,
  spec: EncounterSpec,
  acc: Map<number, Accumulators>,
  balc: number,
  traces: Map<string, TraceUse>,
  pick: Pick | null,
): EncounterOut | null {
  const { world, counters } = ctx;
  const { kind, bundle, inst, date } = spec;
  const lv = inst.hosp_lv;
  const setting = kind;
  const med_type = MED_TYPE[kind];
  const staff = kind === 'pharm' ? inst.pharmacists : inst.doctors;
  let doctor = staff.length ? rng.pick(staff) : null;
  const los = kind === 'ipt' && bundle?.los ? (spec.los ?? lengthOfStay(rng, bundle.los)) : 0;
  const endDate = addDays(date, los);
  const begntime = `${date} ${spec.time ?? (kind === 'ipt' ? hhmm(rng, 8, 21) : hhmm(rng, 8, 16))}`;
  const endtime = kind === 'ipt' ? `${endDate} ${hhmm(rng, 9, 11)}` : `${date} ${begntime.slice(11, 13)}:59:00`;
  const setlDate = endDate;
  const month = setlDate.slice(0, 7);
  const age = ageOn(p.brdy, date);

  // diagnoses: the bundle's principal, its own secondaries, then age-related comorbidities
  const diags: string[] = [];
  if (bundle) {
    diags.push(bundle.diag);
    for (const d of bundle.sec ?? []) if (rng.chance(0.5) && !diags.includes(d)) diags.push(d);
    if (age >= 45 && kind !== 'opt') for (const [d, prob] of COMORBIDITIES) if (rng.chance(age >= 60 ? prob : prob / 2) && !diags.includes(d)) diags.push(d);
  }

  // fee lines
  const lines: DraftLine[] = [];
  const sn = (k: number) => String(k).padStart(4, '0');
  const line = (it: BundleItem, code: string, day: number, cnt: number): DraftLine => {
    const pric = world.price(code, lv);
    const fee_date = addDays(date, day);
    const n = String(cnt);
    // a whole count (all the bundles have) times a price in fen is exact: priceTimesQuantity's BigInt path only for fractions
    const amount = Number.isInteger(cnt) && Number.isSafeInteger(pric * cnt) ? pric * cnt : priceTimesQuantity(pric, n);
    const l: DraftLine = {
      fee: { feedetl_sn: sn(lines.length + 1), hilist_code: code, pric, cnt: n, det_item_fee_sumamt: amount, fee_date },
      order_time: `${fee_date} ${day === 0 ? begntime.slice(11) : hhmm(rng, 7, 10)}`,
      kind: it.kind,
      item: it,
    };
    lines.push(l);
    return l;
  };
  // `force`: an injected line, even of an item restricted to higher levels than this institution's (which it
  // would not otherwise stock: 限医院等级 happens only where it is injected)
  // `sure`: the item's probability `p` was already drawn (or does not apply), where a copy of the item without
  // `p` used to be passed — one object per daily line less
  const add = (it: BundleItem, day: number, daily: boolean, cnt: number, force = false, sure = false): DraftLine | undefined => {
    if (!sure && it.p !== undefined && !rng.chance(it.p)) return undefined;
    const code = world.itemCode(inst, it, setting, daily);
    if (!code) return undefined;
    const min = world.item(code, lv).restriction?.lmt_min_hosp_lv;
    if (!force && min && lv !== '9' && lv < min) return undefined;
    return line(it, code, day, cnt);
  };
  if (kind === 'pharm') {
    const n = rng.int(1, 3);
    const picked = new Set<BundleItem>();
    for (let i = 0; i < n; i++) picked.add(rng.weighted(PHARMACY_ITEMS));
    for (const it of picked) add(it, 0, false, it.cnt * rng.int(1, 2));
  } else if (kind === 'ipt') {
    for (const it of ADMISSION) add(it, 0, false, it.cnt);
    if (lv === '2' || lv === '3') for (const it of LEVEL_EXTRAS.ipt[lv]) add(it, rng.int(0, Math.max(0, los - 1)), false, it.cnt);
    // tertiary wards give injections twice a day
    const doses = lv === '3' ? 2 : 1;
    const treatDays = Math.max(1, los - 1);
    for (let day = 0; day < Math.max(1, los); day++) for (const it of WARD_DAY) add(it, day, true, it.cnt, false, true);
    const surgical = bundle!.items.some((i) => i.kind === 'surgery');
    if (surgical) for (const it of SURGERY_EXTRA) add(it, 1 <= los ? 1 : 0, false, it.cnt);
    for (const it of bundle!.items) {
      if (it.daily) {
        if (it.p !== undefined && !rng.chance(it.p)) continue;
        const days = Math.min(treatDays, 14);
        for (let day = 0; day < days; day++) add(it, day, true, it.kind === 'drug' ? it.cnt * doses : it.cnt, false, true);
      } else {
        add(it, it.kind === 'surgery' || it.kind === 'consumable' ? Math.min(1, los) : 0, false, it.cnt);
      }
    }
  } else {
    for (const it of VISIT) add(it, 0, false, it.cnt);
    if (lv === '2' || lv === '3') for (const it of LEVEL_EXTRAS.opt[lv]) add(it, 0, false, it.cnt);
    for (const it of bundle!.items) add(it, 0, false, kind === 'mts' && it.kind === 'drug' ? it.cnt * rng.int(1, 2) : it.cnt);
  }
  if (!lines.length) return null;

  // an injected violation alters the draft before anything is classified, settled or written
  let injected: { type: ViolationType; injection: Injection } | null = null;
  const follow: EncounterOut['follow'] = [];
  let idchk: Draft['idchk'] = { chk_rslt: '1' };
  let dscg_way = '1';
  if (pick) {
    let scheduled: FollowUp[] = [];
    const draft: Draft = {
      kind,
      person: p,
      inst,
      date,
      begntime,
      los,
      bundle,
      diags,
      doctor,
      lines,
      traces,
      idchk,
      dscg_way,
      addItem: (it, day, cnt) => add(it, day, false, cnt, true, true),
      addCode: (it, code, day, cnt) => line(it, code, day, cnt),
      removeLines(drop) {
        const keep = lines.filter((l) => !drop(l));
        lines.length = 0;
        for (const l of keep) lines.push({ ...l, fee: { ...l.fee, feedetl_sn: sn(lines.length + 1) } });
      },
      follow: (f) => scheduled.push(f),
    };
    const attempts: { type: ViolationType; inject: (d: Draft) => InjectResult }[] =
      'tries' in pick ? pick.tries.map((type) => ({ type, inject: (d: Draft) => type.inject(d, rng, world) })) : [pick];
    for (const a of attempts) {
      scheduled = [];
      const r = a.inject(draft);
      if (!r) continue;
      if (!('deferred' in r)) injected = { type: a.type, injection: r };
      for (const up of scheduled) follow.push({ up, type: a.type });
      break;
    }
    doctor = draft.doctor;
    idchk = draft.idchk;
    dscg_way = draft.dscg_way;
  }

  // ids
  const mdtrt_id = formatDatedId(inst.pool, noon(date), DATED_SERIAL_BASE + ++counters.mdtrt, 'mdtrt');
  const setl_id = formatDatedId(inst.pool, noon(setlDate), DATED_SERIAL_BASE + ++counters.setl, 'setl');
  const year = Number(setlDate.slice(0, 4));
  const e = ctx.emitter;
  const emit = (table: Parameters<Emitter['emit']>[0], v: Record<string, string | number | null>) => e.emit(table, v, month, p.insuplc_admdvs);

  // classification and settlement by the real engine
  const classifyCtx = { hosp_lv: lv, gend: p.gend, brdy: p.brdy, diag_codes: diags, med_type, insutype: p.insutype };
  const items = lines.map((l) => world.item(l.fee.hilist_code, lv));
  const classified: ClassifiedLine[] = lines.map((l, k) => classifyLine(l.fee, items[k], classifyCtx));
  const policy = world.policy({ insu_admdvs: p.insuplc_admdvs, insutype: p.insutype, med_type, hosp_lv: lv, psn_type: p.psn_type, on: setlDate });
  const before = acc.get(year) ?? emptyAccumulators();
  const acct_used_flag = p.insutype === '310' && balc > 0 ? '1' : '0';
  const result = settle({
    lines: classified,
    policy,
    acc: before,
    person: { psn_type: p.psn_type, cvlserv_flag: p.cvlserv_flag, idet_types: p.idet ? [IDET[p.idet]] : [] },
    account: { acct_used_flag, balc, family: [] },
  });
  acc.set(year, result.after);

  const cert = rng.weighted([['01', 60], ['03', 30], ['02', 10]] as const);
  const certNo = cert === '03' ? p.card_no : p.certno;
  const dise_name = bundle ? diagName(bundle.diag) : null;
  const oprns = (bundle?.oprn ?? []).map((code) => ({ code, name: oprnName(code), date: addDays(date, Math.min(1, los)), dr_code: doctor?.prac_code ?? null }));
  emit('mdtrt', {
    mdtrt_id,
    ipt_otp_flag: kind === 'ipt' ? '2' : '1',
    psn_no: p.psn_no,
    insutype: p.insutype,
    psn_type: p.psn_type,
    med_type,
    ipt_otp_no: `${date.replace(/-/g, '')}${String(counters.mdtrt).padStart(8, '0')}`,
    fixmedins_code: inst.fixmedins_code,
    mdtrtarea_admvs: inst.pool,
    insuplc_admdvs: p.insuplc_admdvs,
    mdtrt_cert_type: cert,
    mdtrt_cert_no: certNo,
    begntime: ts(begntime),
    endtime: ts(endtime),
    dept_name: doctor?.dept_name ?? null,
    atddr_no: doctor?.prac_code ?? null,
    dr_name: doctor?.prac_name ?? null,
    medrcdno: kind === 'ipt' ? `BA${String(counters.mdtrt).padStart(10, '0')}` : null,
    dise_codg: bundle?.diag ?? null,
    dise_name,
    oprn_oprt_code: oprns[0]?.code ?? null,
    oprn_oprt_name: oprns[0]?.name ?? null,
    dscg_dept_name: kind === 'ipt' ? (doctor?.dept_name ?? null) : null,
    dscg_way: kind === 'ipt' ? dscg_way : null,
    die_date: null,
    vali_flag: '1',
    mdtrt_stas: '2',
    setl_flag: '1',
    reg_msgid: mdtrt_id,
  });
  emit('mdtrt_idchk', {
    mdtrt_id,
    psn_no: p.psn_no,
    fixmedins_code: inst.fixmedins_code,
    chk_time: ts(begntime),
    mdtrt_cert_type: cert,
    chk_way: idchk.chk_way ?? (cert === '01' ? 'qrcode' : cert === '03' ? (kind === 'ipt' ? 'face' : 'card') : 'face'),
    chk_rslt: idchk.chk_rslt,
  });
  diags.forEach((code, i) =>
    emit('mdtrt_diag', {
      mdtrt_id,
      stage: kind === 'ipt' ? 'dscg' : 'opt',
      diag_type: '1',
      diag_srt_no: i + 1,
      diag_code: code,
      diag_name: diagName(code),
      maindiag_flag: i === 0 ? '1' : '0',
      diag_dept: doctor?.dept_name ?? null,
      dise_dor_no: doctor?.prac_code ?? null,
      dise_dor_name: doctor?.prac_name ?? null,
      diag_time: ts(kind === 'ipt' ? endtime : begntime),
      vali_flag: '1',
      msgid: mdtrt_id,
    }),
  );
  const drord = `${date.replace(/-/g, '')}${String(counters.mdtrt % 1_000_000).padStart(6, '0')}`;
  lines.forEach((l, k) => {
    const c = classified[k]!;
    // both rows carry the same split: formatted once, assigned field by field (a spread makes V8 give the row
    // object a slow shape)
    const split = splitOf(c);
    const sumamt = fenToYuan(c.det_item_fee_sumamt);
    const feedetl_id = ++counters.feedetl;
    const it = items[k]!;
    const drug = DRUG_TYPES.has(it.list_type);
    const trace = drug ? (l.trace ?? traceCode(world, l.traceOf ?? l.fee.hilist_code, ++counters.trace)) : null;
    if (trace) traces.set(l.fee.hilist_code, { trace, hilist_code: l.fee.hilist_code, name: l.item.name, fixmedins_code: inst.fixmedins_code, date: l.fee.fee_date });
    emit('feedetl', {
      feedetl_id,
      mdtrt_id,
      feedetl_sn: l.fee.feedetl_sn,
      psn_no: p.psn_no,
      drord_no: `${drord}${l.fee.feedetl_sn}`,
      rxno: drug ? drord : null,
      med_type,
      fee_ocur_time: ts(l.order_time),
      hilist_code: l.fee.hilist_code,
      medins_list_codg: `${inst.fixmedins_code.slice(-5)}-${l.fee.hilist_code.slice(0, 12)}`,
      pric: fenToYuan(l.fee.pric),
      cnt: l.fee.cnt,
      det_item_fee_sumamt: sumamt,
      prd_days: null,
      bilg_dept_name: doctor?.dept_name ?? null,
      bilg_dr_codg: doctor?.prac_code ?? null,
      bilg_dr_name: doctor?.prac_name ?? null,
      orders_dr_code: doctor?.prac_code ?? null,
      orders_dr_name: doctor?.prac_name ?? null,
      drug_trac_codg: trace,
      fulamt_ownpay_amt: split.fulamt_ownpay_amt,
      overlmt_amt: split.overlmt_amt,
      preselfpay_amt: split.preselfpay_amt,
      inscp_scp_amt: split.inscp_scp_amt,
      chrgitm_lv: split.chrgitm_lv,
      selfpay_prop: split.selfpay_prop,
      med_chrgitm_type: c.med_chrgitm_type,
      pric_uplmt_amt: c.pric_uplmt_amt === null ? null : fenToYuan(c.pric_uplmt_amt),
      lmt_used_flag: c.lmt_used_flag,
      vali_flag: '1',
      upload_msgid: mdtrt_id,
    });
    emit('setl_feedetl', {
      setl_id,
      feedetl_id,
      mdtrt_id,
      feedetl_sn: l.fee.feedetl_sn,
      det_item_fee_sumamt: sumamt,
      fulamt_ownpay_amt: split.fulamt_ownpay_amt,
      overlmt_amt: split.overlmt_amt,
      preselfpay_amt: split.preselfpay_amt,
      inscp_scp_amt: split.inscp_scp_amt,
      chrgitm_lv: split.chrgitm_lv,
      selfpay_prop: split.selfpay_prop,
    });
  });

  const setlTime = `${setlDate} ${endtime.slice(11)}`;
  const clr_type = clrTypeOf(med_type);
  emit('setl', {
    setl_id,
    mdtrt_id,
    psn_no: p.psn_no,
    insutype: p.insutype,
    psn_type: p.psn_type,
    cvlserv_flag: p.cvlserv_flag,
    med_type,
    mdtrt_cert_type: cert,
    psn_setlway: '01',
    acct_used_flag,
    mid_setl_flag: '0',
    setl_time: ts(setlTime),
    policy_id: policy.policy_id,
    ...rowOfInfo(result.setlinfo),
    medins_setl_id: setl_id,
    fixmedins_code: inst.fixmedins_code,
    mdtrtarea_admvs: inst.pool,
    insuplc_admdvs: p.insuplc_admdvs,
    clr_optins: inst.pool,
    clr_way: '1',
    clr_type,
    refd_setl_flag: '0',
    vali_flag: '1',
  });
  for (const f of fundRowsOf(setl_id, result.setldetail)) emit('setl_fund', { ...f });
  const [grp, g] = Object.entries(result.delta.groups)[0] ?? [policy.acc_grp, { dedc_used: 0, pool_base: 0, pool_paid: 0 }];
  const d = result.delta;
  emit('setl_acc_move', {
    setl_id,
    psn_no: p.psn_no,
    insutype: p.insutype,
    year,
    acc_grp: grp,
    admissions: d.admissions,
    dedc_used: fenToYuan(g.dedc_used),
    pool_base: fenToYuan(g.pool_base),
    pool_paid: fenToYuan(g.pool_paid),
    large_base: fenToYuan(d.large_base),
    large_paid: fenToYuan(d.large_paid),
    cvlserv_paid: fenToYuan(d.cvlserv_paid),
    maf_paid: fenToYuan(d.maf_paid),
  });
  for (const f of result.setldetail) {
    if (f.fund_payamt === 0) continue;
    emit('fund_ledger', {
      setl_id,
      init_setl_id: null,
      fund_pay_type: f.fund_pay_type,
      amt: fenToYuan(f.fund_payamt),
      insu_admdvs: p.insuplc_admdvs,
      mdtrtarea_admvs: inst.pool,
      fixmedins_code: inst.fixmedins_code,
      psn_no: p.psn_no,
      insutype: p.insutype,
      clr_type,
      setl_time: ts(setlTime),
    });
  }
  if (result.setlinfo.acct_pay > 0) {
    emit('psn_acct_ledger', { psn_no: p.psn_no, insutype: '310', move_type: 'pay', amt: fenToYuan(-result.setlinfo.acct_pay), ref_type: 'setl', ref_id: setl_id, memo: `就诊ID ${mdtrt_id} 结算`, move_time: ts(setlTime) });
  }
  if (injected) {
    const { type, injection: inj } = injected;
    const involved = inj.feedetl_sns ? classified.filter((c) => inj.feedetl_sns!.includes(c.feedetl_sn)) : [];
    const info = result.setlinfo;
    const amt = inj.amt === 'insured' ? info.fund_pay_sumamt + info.acct_pay + info.acct_mulaid_pay : inj.amt === 'overlmt' ? involved.reduce((t, c) => t + c.overlmt_amt, 0) : inj.amt;
    emit('gen_violation', {
      vio_id: `V${String(++counters.vio).padStart(10, '0')}`,
      vio_type: type.code,
      vio_name: type.name,
      legit_flag: type.legit ? '1' : '0',
      psn_no: p.psn_no,
      mdtrt_id,
      setl_id,
      feedetl_sns: inj.feedetl_sns ? inj.feedetl_sns.join(',') : null,
      amt: fenToYuan(amt),
      memo: inj.memo,
    });
  }
  if (kind === 'ipt') {
    emitSetlList(e, {
      setl_list_id: formatDatedId(inst.pool, noon(setlDate), DATED_SERIAL_BASE + ++counters.list, 'general'),
      setl_id,
      mdtrt_id,
      fixmedins_code: inst.fixmedins_code,
      fixmedins_name: inst.fixmedins_name,
      psn_no: p.psn_no,
      psn_name: p.psn_name,
      certno: p.certno,
      gend: p.gend,
      brdy: p.brdy,
      age,
      insutype: p.insutype,
      insuplc: p.insuplc_admdvs,
      adm_time: begntime,
      dscg_time: endtime,
      act_ipt_days: Math.max(1, los),
      dscg_way,
      dept_name: doctor?.dept_name ?? '',
      diags: diags.map((code) => ({ code, name: diagName(code) })),
      oprns,
      lines: classified,
      result,
      month,
    });
  }
  const ref: EncounterRef = { mdtrt_id, kind, date, endDate, begntime, inst, bundle, los, diags, lines };
  return { balc: result.setlinfo.balc, lines: lines.length, ref, follow };
}
