/**
 * Insured persons (参保人员): enrolling one person or many, finding a person by psn_no / certno / card, and the
 * 1101-shaped view (baseinfo, insuinfo[], idetinfo[]). Validation before any write: certno check digit and
 * its agreement with sex and birth date, code tables, areas, duplicates — all-or-nothing.
 */
import { sql, type Kysely, type Selectable } from 'kysely';
import type { Db } from '../platform/db.js';
import { conflict, notFound, validationError, type FieldProblem } from '../platform/errors.js';
import { fenToYuan, fenToYuanNumber, yuanToFen, type Fen } from '../platform/money.js';
import { newPsnNo, nextSerial, formatPsnNo } from '../platform/ids.js';
import { recordOperation, type Actor } from '../platform/oplog.js';
import { addDays, ageOn, beijingDate, isIsoDate } from '../platform/time.js';
import { requireActorCovers } from '../platform/scope.js';
import { admdvsValidOn } from '../standards/admdvs.js';
import { dictProblem, loadDictSnapshot } from '../standards/dict.js';
import { checkColumns, readDelimitedFile, rejectIfProblems, type ImportReport } from '../standards/import-report.js';
import { certnoProblem, parseCertno } from './certno.js';
import { IDET_TYPES, type PsnIdetTable, type PsnTable } from './types.js';
import type { PsnInsu } from './relations.js';

export interface EnrollInput {
  row?: number;
  certno: string;
  psn_name: string;
  gend: string;
  brdy: string;
  naty: string;
  psn_type: string;
  insutype: string;
  insuplc_admdvs: string;
  begndate: string;
  tel?: string | null;
  addr?: string | null;
  emp_name?: string | null;
  cvlserv_flag?: '0' | '1';
  /** Opening personal-account balance in fen (employee insurance). */
  acct_balc?: Fen;
  card_no?: string | null;
  idet_type?: string | null;
}

/** Validates enrollment rows against certno rules, code tables and areas; returns every problem. */
export async function checkEnrollments(db: Db, rows: EnrollInput[]): Promise<FieldProblem[]> {
  const problems: FieldProblem[] = [];
  const today = beijingDate();
  const dict = await loadDictSnapshot(db, today);
  const areas = await admdvsValidOn(db, today);
  const seen = new Map<string, number>();
  const seenCard = new Map<string, number>();
  rows.forEach((r, i) => {
    const row = r.row ?? i + 1;
    const p = (field: string, message: string) => problems.push({ row, field, message });
    const cp = certnoProblem(r.certno, today);
    if (cp) p('certno', cp);
    else {
      const parts = parseCertno(r.certno);
      if (r.gend && parts.gend !== r.gend) p('gend', `性别与身份证号不符（身份证号对应${parts.gend === '1' ? '男' : '女'}）`);
      if (r.brdy && parts.brdy !== r.brdy) p('brdy', `出生日期与身份证号不符（身份证号对应 ${parts.brdy}）`);
    }
    if (!isIsoDate(r.brdy)) p('brdy', '出生日期应为 yyyy-MM-dd');
    if (r.cvlserv_flag !== undefined && r.cvlserv_flag !== '0' && r.cvlserv_flag !== '1') p('cvlserv_flag', '公务员标志应为 0 或 1');
    if (r.card_no) {
      if (!/^[0-9A-Z]{6,20}$/.test(r.card_no)) p('card_no', '社会保障卡号应为6至20位数字或大写字母');
      if (seenCard.has(r.card_no)) p('card_no', `社会保障卡号在文件中重复（另见第${seenCard.get(r.card_no)}行）`);
      seenCard.set(r.card_no, row);
    }
    if (seen.has(r.certno)) p('certno', `身份证号在文件中重复（另见第${seen.get(r.certno)}行）`);
    seen.set(r.certno, row);
    if (!r.psn_name || r.psn_name.length > 50) p('psn_name', '姓名不能为空且不超过50个字符');
    for (const [field, table] of [['gend', 'gend'], ['naty', 'naty'], ['psn_type', 'psn_type'], ['insutype', 'insutype']] as const) {
      const dp = dictProblem(dict, table, r[field]);
      if (dp) p(field, dp);
    }
    if (!areas.has(r.insuplc_admdvs)) p('insuplc_admdvs', `未知的医保区划：${r.insuplc_admdvs}`);
    else if (areas.get(r.insuplc_admdvs)!.poolarea_flag !== '1') p('insuplc_admdvs', `${r.insuplc_admdvs} 不是统筹区`);
    if (!isIsoDate(r.begndate)) p('begndate', '应为 yyyy-MM-dd');
    else if (isIsoDate(r.brdy) && r.begndate < r.brdy) p('begndate', '参保开始日期早于出生日期');
    if (r.acct_balc !== undefined && (r.acct_balc < 0 || !Number.isSafeInteger(r.acct_balc))) p('acct_balc', '账户余额不能为负数');
    if (r.acct_balc && r.insutype !== '310') p('acct_balc', '只有职工基本医疗保险（310）设个人账户');
    if (r.idet_type && !(r.idet_type in IDET_TYPES)) p('idet_type', `人员身份“${r.idet_type}”无效`);
  });
  const certnos = rows.map((r) => r.certno);
  for (let i = 0; i < certnos.length; i += 5000) {
    const dup = await db.k.selectFrom('psn').select(['certno', 'psn_no']).where('certno', 'in', certnos.slice(i, i + 5000)).execute();
    for (const d of dup) problems.push({ row: rows.find((r) => r.certno === d.certno)?.row, field: 'certno', message: `该身份证号已参保（人员编号 ${d.psn_no}）` });
  }
  const cards = rows.filter((r) => r.card_no).map((r) => r.card_no!);
  for (let i = 0; i < cards.length; i += 5000) {
    const dup = await db.k.selectFrom('psn_card').select(['card_no', 'psn_no']).where('card_no', 'in', cards.slice(i, i + 5000)).execute();
    for (const d of dup) problems.push({ row: rows.find((r) => r.card_no === d.card_no)?.row, field: 'card_no', message: `社会保障卡号已被人员 ${d.psn_no} 使用` });
  }
  return problems;
}

/**
 * Enrolls many persons in one transaction: person, card, first insurance relation, identity, opening account
 * credit. `psnNoFor` lets a deterministic generator choose the psn_no; otherwise the sequence is used.
 */
export async function bulkEnroll(db: Db, rows: EnrollInput[], actor: Actor, opts: { psnNoFor?: (i: number, r: EnrollInput) => string; file?: string } = {}): Promise<{ report: ImportReport; psn_nos: string[] }> {
  rejectIfProblems('参保人员', await checkEnrollments(db, rows));
  const psn_nos: string[] = [];
  for (let i = 0; i < rows.length; i++) psn_nos.push(opts.psnNoFor ? opts.psnNoFor(i, rows[i]!) : formatPsnNo(rows[i]!.insuplc_admdvs, await nextSerial(db, 'psn')));
  await db.k.transaction().execute(async (trx) => {
    // eslint-disable-next-line @typescript-eslint/no-explicit-any
    const t = trx as unknown as Kysely<any>;
    for (let i = 0; i < rows.length; i += 1000) {
      const chunk = rows.slice(i, i + 1000);
      const nos = psn_nos.slice(i, i + 1000);
      await t
        .insertInto('psn')
        .values(chunk.map((r, j) => ({ psn_no: nos[j], psn_cert_type: '01', certno: r.certno, psn_name: r.psn_name, gend: r.gend, brdy: r.brdy, naty: r.naty, psn_type: r.psn_type, cvlserv_flag: r.cvlserv_flag ?? '0', emp_name: r.emp_name ?? null, tel: r.tel ?? null, addr: r.addr ?? null })))
        .execute();
      await t
        .insertInto('psn_insu')
        .values(chunk.map((r, j) => ({ psn_no: nos[j], insutype: r.insutype, psn_insu_stas: '1', insuplc_admdvs: r.insuplc_admdvs, psn_type: r.psn_type, emp_name: r.emp_name ?? null, crt_insu_date: r.begndate, begndate: r.begndate, enddate: null })))
        .execute();
      // civil servants also hold the 公务员医疗补助 relation
      const cvl = chunk.map((r, j) => [r, nos[j]] as const).filter(([r]) => r.cvlserv_flag === '1');
      if (cvl.length) await t.insertInto('psn_insu').values(cvl.map(([r, no]) => ({ psn_no: no, insutype: '320', psn_insu_stas: '1', insuplc_admdvs: r.insuplc_admdvs, psn_type: r.psn_type, emp_name: r.emp_name ?? null, crt_insu_date: r.begndate, begndate: r.begndate, enddate: null }))).execute();
      const cards = chunk.map((r, j) => [r, nos[j]] as const).filter(([r]) => r.card_no);
      if (cards.length) await t.insertInto('psn_card').values(cards.map(([r, no]) => ({ card_no: r.card_no, card_sn: null, psn_no: no, card_stas: '1', begndate: r.begndate, enddate: null }))).execute();
      const idets = chunk.map((r, j) => [r, nos[j]] as const).filter(([r]) => r.idet_type);
      if (idets.length) await t.insertInto('psn_idet').values(idets.map(([r, no]) => ({ psn_no: no, psn_idet_type: r.idet_type, psn_type_lv: null, memo: null, begndate: r.begndate, enddate: null }))).execute();
      const credits = chunk.map((r, j) => [r, nos[j]] as const).filter(([r]) => r.acct_balc);
      if (credits.length) await t.insertInto('psn_acct_ledger').values(credits.map(([r, no]) => ({ psn_no: no, insutype: '310', move_type: 'credit_fund', amt: fenToYuan(r.acct_balc!), ref_type: 'opening', ref_id: null, memo: '期初余额' }))).execute();
    }
    // One person at the window is logged with its content; a bulk import with its file and size.
    const only = rows.length === 1 && !opts.file ? rows[0]! : null;
    await recordOperation(
      trx,
      actor,
      only
        ? { action: 'psn.enroll', target_type: 'psn', target_id: psn_nos[0]!, admdvs: only.insuplc_admdvs, after: { ...only, acct_balc: only.acct_balc ?? 0 } }
        : { action: 'psn.enroll_bulk', target_type: 'psn', after: { file: opts.file ?? null, read: rows.length } },
    );
  });
  return { report: { kind: 'persons', file: opts.file ?? '(rows)', read: rows.length, inserted: rows.length, closed: 0, rejected: [] }, psn_nos };
}

/** Enrolls one person (经办 at the window); returns the new psn_no. */
export async function enrollPerson(db: Db, actor: Actor, input: EnrollInput): Promise<string> {
  requireActorCovers(actor, input.insuplc_admdvs);
  const problems = await checkEnrollments(db, [input]);
  const dupe = problems.find((p) => p.message.startsWith('该身份证号已参保'));
  if (dupe) throw conflict(dupe.message, [dupe]);
  if (problems.length) throw validationError(`参保登记信息有误：${problems.map((p) => `${p.field}：${p.message}`).join('；')}`, problems);
  const psn_no = await newPsnNo(db, input.insuplc_admdvs);
  await bulkEnroll(db, [input], actor, { psnNoFor: () => psn_no });
  return psn_no;
}

export type PersonKey = { psn_no: string } | { certno: string } | { card_no: string };

export async function findPerson(db: Db, key: PersonKey): Promise<Selectable<PsnTable> | undefined> {
  if ('psn_no' in key) return db.k.selectFrom('psn').selectAll().where('psn_no', '=', key.psn_no).executeTakeFirst();
  if ('certno' in key) return db.k.selectFrom('psn').selectAll().where('certno', '=', key.certno.toUpperCase()).executeTakeFirst();
  const card = await db.k.selectFrom('psn_card').select(['psn_no', 'card_stas']).where('card_no', '=', key.card_no).executeTakeFirst();
  if (!card) return undefined;
  if (card.card_stas !== '1') throw conflict(`社会保障卡 ${key.card_no} 状态异常（${card.card_stas === '2' ? '挂失' : '注销'}），不能使用`);
  return db.k.selectFrom('psn').selectAll().where('psn_no', '=', card.psn_no).executeTakeFirst();
}

/** A person on a date as one read: the row, the relations and identities in force, the employee account's balance. */
export interface PersonOn {
  psn: Selectable<PsnTable>;
  /** Relations (参保关系) in force on the date, by insutype. */
  insu: PsnInsu[];
  idet: Selectable<PsnIdetTable>[];
  /** Personal account (310) balance now. */
  balc: Fen;
}

/**
 * The person by psn_no or certno with everything in force on `on`, in ONE statement (the settlement path asks it
 * on every step; four round trips were most of 1101's time). Undefined when no such person.
 */
export async function personOn(db: Db, key: { psn_no: string } | { certno: string }, on: string): Promise<PersonOn | undefined> {
  if (!isIsoDate(on)) throw validationError(`日期格式错误：${on}`, [{ field: 'on', message: '应为 yyyy-MM-dd' }]);
  let q = db.k
    .selectFrom('psn as p')
    .selectAll('p')
    .select([
      sql<PsnInsu[]>`(select coalesce(json_agg(i order by i.insutype), '[]'::json) from psn_insu i where i.psn_no = p.psn_no and i.begndate <= ${on}::date and (i.enddate is null or i.enddate >= ${on}::date))`.as('insu_rows'),
      sql<Selectable<PsnIdetTable>[]>`(select coalesce(json_agg(d), '[]'::json) from psn_idet d where d.psn_no = p.psn_no and d.begndate <= ${on}::date and (d.enddate is null or d.enddate >= ${on}::date))`.as('idet_rows'),
      sql<string>`(select coalesce(sum(a.amt), 0)::numeric(16,2) from psn_acct_ledger a where a.psn_no = p.psn_no and a.insutype = '310')`.as('acct_balc'),
    ]);
  q = 'psn_no' in key ? q.where('p.psn_no', '=', key.psn_no) : q.where('p.certno', '=', key.certno.toUpperCase());
  const r = await q.executeTakeFirst();
  if (!r) return undefined;
  const { insu_rows, idet_rows, acct_balc, ...psn } = r;
  return { psn, insu: insu_rows, idet: idet_rows, balc: yuanToFen(acct_balc) };
}

/** The 1101 output of a person read by `personOn`. */
export function personView(p: PersonOn, on: string) {
  const { psn } = p;
  return {
    baseinfo: { psn_no: psn.psn_no, psn_cert_type: psn.psn_cert_type, certno: psn.certno, psn_name: psn.psn_name, gend: psn.gend, naty: psn.naty, brdy: psn.brdy, age: ageOn(psn.brdy, on), exp_content: null },
    insuinfo: p.insu.map((r) => ({
      balc: r.insutype === '310' ? fenToYuanNumber(p.balc) : 0,
      insutype: r.insutype,
      psn_type: r.psn_type,
      psn_insu_stas: r.psn_insu_stas,
      psn_insu_date: r.crt_insu_date,
      paus_insu_date: r.paus_insu_date,
      cvlserv_flag: psn.cvlserv_flag,
      insuplc_admdvs: r.insuplc_admdvs,
      emp_name: r.emp_name,
    })),
    idetinfo: p.idet.map((r) => ({ psn_idet_type: r.psn_idet_type, psn_type_lv: r.psn_type_lv, memo: r.memo, begntime: `${r.begndate} 00:00:00`, endtime: r.enddate ? `${r.enddate} 23:59:59` : null })),
  };
}

/** The 1101 output for a person on a date: baseinfo, insuinfo[] (relations in force) and idetinfo[]. */
export async function getPersonView(db: Db, psn_no: string, on: string = beijingDate()) {
  const p = await personOn(db, { psn_no }, on);
  if (!p) throw notFound(`参保人 ${psn_no} 不存在`);
  return personView(p, on);
}

/** CSV/TSV: certno,psn_name,gend,brdy,naty,psn_type,insutype,insuplc_admdvs,begndate[,tel,addr,emp_name,acct_balc,card_no,idet_type,cvlserv_flag] */
export async function importPersonsFile(db: Db, filePath: string, actor: Actor): Promise<ImportReport> {
  const d = readDelimitedFile(filePath);
  checkColumns(d, ['certno', 'psn_name', 'gend', 'brdy', 'naty', 'psn_type', 'insutype', 'insuplc_admdvs', 'begndate'], ['tel', 'addr', 'emp_name', 'acct_balc', 'card_no', 'idet_type', 'cvlserv_flag']);
  const problems: FieldProblem[] = [];
  const rows: EnrollInput[] = d.rows.map(({ row, values: v }) => {
    let acct: number | undefined;
    if (v.acct_balc) {
      try {
        acct = yuanToFen(v.acct_balc, 'acct_balc');
      } catch (e) {
        problems.push({ row, field: 'acct_balc', message: (e as Error).message });
      }
    }
    return {
      row,
      certno: (v.certno ?? '').toUpperCase(),
      psn_name: v.psn_name ?? '',
      gend: v.gend ?? '',
      brdy: v.brdy ?? '',
      naty: v.naty ?? '',
      psn_type: v.psn_type ?? '',
      insutype: v.insutype ?? '',
      insuplc_admdvs: v.insuplc_admdvs ?? '',
      begndate: v.begndate ?? '',
      tel: v.tel || null,
      addr: v.addr || null,
      emp_name: v.emp_name || null,
      acct_balc: acct,
      card_no: v.card_no || null,
      ...(v.cvlserv_flag ? { cvlserv_flag: v.cvlserv_flag as '0' | '1' } : {}),
      idet_type: v.idet_type || null,
    };
  });
  rejectIfProblems('参保人员', [...problems, ...(await checkEnrollments(db, rows))]);
  return (await bulkEnroll(db, rows, actor, { file: filePath })).report;
}

/**
 * Records a death (死亡登记): the person's death date is set and every relation still open is terminated from
 * the next day, in one transaction. Care after that date is refused by the benefit check (冒名就医).
 */
export async function recordDeath(db: Db, actor: Actor, psn_no: string, death_date: string): Promise<void> {
  if (!isIsoDate(death_date)) throw validationError(`死亡日期格式错误：${death_date}`, [{ field: 'death_date', message: '应为 yyyy-MM-dd' }]);
  await db.k.transaction().execute(async (trx) => {
    const before = await trx.selectFrom('psn').selectAll().where('psn_no', '=', psn_no).forUpdate().executeTakeFirst();
    if (!before) throw notFound(`参保人 ${psn_no} 不存在`);
    if (death_date < before.brdy) throw validationError('死亡日期早于出生日期', [{ field: 'death_date', message: '早于出生日期' }]);
    if (before.death_date) throw conflict(`参保人 ${before.psn_name} 已登记死亡（${before.death_date}）`);
    const open = await trx.selectFrom('psn_insu').selectAll().where('psn_no', '=', psn_no).where('enddate', 'is', null).execute();
    for (const r of open) requireActorCovers(actor, r.insuplc_admdvs);
    await trx.updateTable('psn').set({ death_date, updt_time: new Date() }).where('psn_no', '=', psn_no).execute();
    const next = addDays(death_date, 1);
    for (const r of open) {
      if (r.begndate > death_date) throw conflict(`参保关系 ${r.insutype} 自 ${r.begndate} 起生效，晚于死亡日期`);
      await trx.updateTable('psn_insu').set({ enddate: death_date }).where('psn_insu_rltsid', '=', r.psn_insu_rltsid).execute();
      const { psn_insu_rltsid: _id, ...rest } = r;
      void _id;
      await trx.insertInto('psn_insu').values({ ...rest, psn_insu_stas: '4', memo: '死亡终止', begndate: next, enddate: null }).execute();
    }
    await recordOperation(trx, actor, { action: 'psn.death', target_type: 'psn', target_id: psn_no, admdvs: open[0]?.insuplc_admdvs ?? null, before: { death_date: null }, after: { death_date, terminated: open.map((r) => r.insutype) } });
  });
}
