/**
 * 门诊慢特病备案 (chronic / special outpatient disease filings): 2503 files a person for one disease from a date,
 * 2504 cancels a filing, 5301 lists a person's filings; bulkLoadOpspFilings loads many (demo region, imports);
 * 5205 lists the drugs the person's valid 门慢特 (med_type 14) settlements paid, at any institution.
 * Filings are effective-dated per person and disease (platform/effective closeAndInsert over the valid rows): a new
 * filing from D closes the one in force on D−1, one that starts on or before a later valid filing is refused.
 * A cancelled filing keeps its row with vali_flag 0. Owns table opsp_reg (migration 0014). Every write is one
 * transaction with its operation-log row; bad input writes nothing.
 */
import { sql, type Generated, type Selectable, type Transaction } from 'kysely';
import type { Db, Tables } from '../platform/db.js';
import { conflict, forbidden, notFound, validationError } from '../platform/errors.js';
import { closeAndInsert, checkPeriod } from '../platform/effective.js';
import { formatDatedId, nextSerial } from '../platform/ids.js';
import { recordOperation, type Actor } from '../platform/oplog.js';
import { isIsoDate } from '../platform/time.js';
import { toWireTime } from './common.js';
import { findPerson } from '../enrollment/persons.js';
import { relationOn } from '../enrollment/relations.js';
import type { Caller } from './types.js';

export interface OpspRegTable {
  trt_dcla_detl_sn: string;
  psn_no: string;
  insutype: string;
  opsp_dise_code: string;
  opsp_dise_name: string;
  tel: string | null;
  addr: string | null;
  insu_optins: string;
  ide_fixmedins_no: string;
  ide_fixmedins_name: string;
  hosp_ide_date: string;
  diag_dr_codg: string;
  diag_dr_name: string;
  begndate: string;
  enddate: string | null;
  fixmedins_code: string;
  vali_flag: '0' | '1';
  msgid: string;
  cncl_msgid: string | null;
  cncl_time: Date | null;
  cncl_memo: string | null;
  crte_time: Generated<Date>;
}

/** A filing row as written (the database stamps crte_time). */
type OpspRow = Omit<OpspRegTable, 'crte_time'>;

declare module '../platform/db.js' {
  interface Tables {
    opsp_reg: OpspRegTable;
  }
}

export type OpspFiling = Selectable<OpspRegTable>;

/** 2503 input: the filing's national fields; tel, addr, insutype (default: the one held on begndate) and enddate optional. */
export type OpspFilingInput = Pick<OpspRegTable, 'psn_no' | 'opsp_dise_code' | 'opsp_dise_name' | 'insu_optins' | 'ide_fixmedins_no' | 'ide_fixmedins_name' | 'hosp_ide_date' | 'diag_dr_codg' | 'diag_dr_name' | 'begndate'> & {
  insutype?: string;
  tel?: string;
  addr?: string;
  enddate?: string;
};

/** Checks a filing against the person's insurance; returns the row to write (without its id). */
async function filingRow(db: Db, input: OpspFilingInput, today: string): Promise<Omit<OpspRow, 'trt_dcla_detl_sn' | 'fixmedins_code' | 'msgid'>> {
  const period = { begndate: input.begndate, enddate: input.enddate ?? null };
  checkPeriod(period);
  if (!isIsoDate(input.hosp_ide_date)) throw validationError(`医院鉴定日期格式错误：${input.hosp_ide_date}`, [{ field: 'hosp_ide_date', message: '应为 yyyy-MM-dd' }]);
  if (input.hosp_ide_date > today) throw validationError(`医院鉴定日期 ${input.hosp_ide_date} 晚于今天`, [{ field: 'hosp_ide_date', message: '不能晚于今天' }]);
  if (!(await findPerson(db, { psn_no: input.psn_no }))) throw notFound(`人员编号 ${input.psn_no} 不存在`);
  let rel;
  if (input.insutype) {
    rel = await relationOn(db, input.psn_no, input.insutype, input.begndate);
  } else {
    rel = await db.k.selectFrom('psn_insu').selectAll().where('psn_no', '=', input.psn_no).where('begndate', '<=', input.begndate).where((eb) => eb.or([eb('enddate', 'is', null), eb('enddate', '>=', input.begndate)])).orderBy('insutype').executeTakeFirst();
  }
  if (!rel) throw validationError(`人员 ${input.psn_no} 在 ${input.begndate} 没有${input.insutype ? `险种 ${input.insutype} 的` : ''}参保关系，不能备案`, [{ field: 'begndate', message: '备案开始日期无参保关系' }]);
  if (rel.insuplc_admdvs !== input.insu_optins) throw validationError(`参保机构 ${input.insu_optins} 与人员的参保地 ${rel.insuplc_admdvs} 不符`, [{ field: 'insu_optins', message: '与参保地不符' }]);
  return {
    psn_no: input.psn_no,
    insutype: rel.insutype,
    opsp_dise_code: input.opsp_dise_code,
    opsp_dise_name: input.opsp_dise_name,
    tel: input.tel ?? null,
    addr: input.addr ?? null,
    insu_optins: input.insu_optins,
    ide_fixmedins_no: input.ide_fixmedins_no,
    ide_fixmedins_name: input.ide_fixmedins_name,
    hosp_ide_date: input.hosp_ide_date,
    diag_dr_codg: input.diag_dr_codg,
    diag_dr_name: input.diag_dr_name,
    begndate: input.begndate,
    enddate: input.enddate ?? null,
    vali_flag: '1',
    cncl_msgid: null,
    cncl_time: null,
    cncl_memo: null,
  };
}

/**
 * Writes one checked filing inside a transaction: refuses (in the HIS's terms) a start on or before a later valid
 * filing. The person's row is locked first (SELECT … FOR UPDATE) so that the overlap check and the write see every
 * filing of the person committed before: two simultaneous 2503 of one person run one after the other, and the
 * second is checked against the first (PGlite has one connection and serialises them anyway).
 */
async function insertFiling(trx: Transaction<Tables>, row: OpspRow): Promise<Record<string, unknown> | null> {
  await trx.selectFrom('psn').select('psn_no').where('psn_no', '=', row.psn_no).forUpdate().execute();
  const later = await trx
    .selectFrom('opsp_reg')
    .select(['trt_dcla_detl_sn', 'begndate'])
    .where('psn_no', '=', row.psn_no)
    .where('opsp_dise_code', '=', row.opsp_dise_code)
    .where('vali_flag', '=', '1')
    .where('begndate', '>=', row.begndate)
    .orderBy('begndate')
    .executeTakeFirst();
  if (later) {
    throw conflict(`人员 ${row.psn_no} 的病种 ${row.opsp_dise_code} 已有自 ${later.begndate} 起的备案（${later.trt_dcla_detl_sn}），新备案的开始日期须晚于该日期`, [{ field: 'begndate', message: '与已有备案重叠' }]);
  }
  return closeAndInsert(trx, 'opsp_reg', { psn_no: row.psn_no, opsp_dise_code: row.opsp_dise_code, vali_flag: '1' }, row);
}

/** 2503 人员慢特病备案: writes the filing (closing the one in force before it); returns trt_dcla_detl_sn. */
export async function fileOpsp(caller: Caller, input: OpspFilingInput): Promise<string> {
  const row = await filingRow(caller.db, input, caller.today);
  const trt_dcla_detl_sn = formatDatedId(caller.mdtrtarea_admvs, caller.at, await nextSerial(caller.db, 'general'));
  await caller.db.k.transaction().execute(async (trx) => {
    const full: OpspRow = { trt_dcla_detl_sn, ...row, fixmedins_code: caller.institution.fixmedins_code, msgid: caller.msgid };
    const closed = await insertFiling(trx, full);
    await recordOperation(trx, caller.actor, {
      action: 'opsp.file',
      target_type: 'opsp_reg',
      target_id: trt_dcla_detl_sn,
      admdvs: row.insu_optins,
      before: closed ? { trt_dcla_detl_sn: closed.trt_dcla_detl_sn, enddate: closed.enddate } : undefined,
      after: { psn_no: input.psn_no, opsp_dise_code: input.opsp_dise_code, begndate: input.begndate, enddate: row.enddate },
    });
  });
  return trt_dcla_detl_sn;
}

/** 2504 人员慢特病备案撤销: only the filing institution may cancel; a cancelled filing cannot be cancelled again. */
export async function cancelOpsp(caller: Caller, input: { trt_dcla_detl_sn: string; psn_no: string; memo?: string }): Promise<void> {
  await caller.db.k.transaction().execute(async (trx) => {
    const f = await trx.selectFrom('opsp_reg').selectAll().where('trt_dcla_detl_sn', '=', input.trt_dcla_detl_sn).forUpdate().executeTakeFirst();
    if (!f || f.psn_no !== input.psn_no) throw notFound(`人员 ${input.psn_no} 没有待遇申报明细流水号为 ${input.trt_dcla_detl_sn} 的慢特病备案`);
    if (f.fixmedins_code !== caller.institution.fixmedins_code) throw forbidden(`备案 ${input.trt_dcla_detl_sn} 由 ${f.fixmedins_code} 办理，本机构不能撤销`);
    if (f.vali_flag !== '1') throw conflict(`备案 ${input.trt_dcla_detl_sn} 已撤销，不能重复撤销`);
    await trx.updateTable('opsp_reg').set({ vali_flag: '0', cncl_msgid: caller.msgid, cncl_time: caller.at, cncl_memo: input.memo ?? null }).where('trt_dcla_detl_sn', '=', f.trt_dcla_detl_sn).execute();
    await recordOperation(trx, caller.actor, {
      action: 'opsp.cancel',
      target_type: 'opsp_reg',
      target_id: f.trt_dcla_detl_sn,
      admdvs: f.insu_optins,
      before: { vali_flag: '1' },
      after: { vali_flag: '0', memo: input.memo ?? null },
    });
  });
}

/** A person's valid filings (5301), newest first; with `on`, only those in force that day; with a code, that disease. An unknown person is refused. */
export async function opspFilingsOf(db: Db, psn_no: string, opts: { on?: string; opsp_dise_code?: string } = {}): Promise<OpspFiling[]> {
  if (!(await findPerson(db, { psn_no }))) throw notFound(`人员编号 ${psn_no} 不存在`);
  let q = db.k.selectFrom('opsp_reg').selectAll().where('psn_no', '=', psn_no).where('vali_flag', '=', '1');
  if (opts.opsp_dise_code) q = q.where('opsp_dise_code', '=', opts.opsp_dise_code);
  if (opts.on) {
    const on = opts.on;
    q = q.where('begndate', '<=', on).where((eb) => eb.or([eb('enddate', 'is', null), eb('enddate', '>=', on)]));
  }
  return q.orderBy('begndate', 'desc').orderBy('opsp_dise_code').execute();
}

/** One filing for a bulk load: the 2503 fields plus the filing institution and an id. */
export interface OpspLoadRow extends OpspFilingInput {
  trt_dcla_detl_sn: string;
  fixmedins_code: string;
}

/**
 * Loads many filings in one transaction (the demo region's loader, imports): each is checked as 2503 checks it and
 * written as 2503 writes it; the first bad row stops the load and nothing is written. Returns the number written.
 */
export async function bulkLoadOpspFilings(db: Db, actor: Actor, rows: readonly OpspLoadRow[], today: string): Promise<number> {
  const checked: OpspRow[] = [];
  for (const r of rows) checked.push({ trt_dcla_detl_sn: r.trt_dcla_detl_sn, ...(await filingRow(db, r, today)), fixmedins_code: r.fixmedins_code, msgid: `load:${r.trt_dcla_detl_sn}` });
  await db.k.transaction().execute(async (trx) => {
    for (const row of checked) await insertFiling(trx, row);
    await recordOperation(trx, actor, { action: 'opsp.load', target_type: 'opsp_reg', after: { rows: checked.length } });
  });
  return checked.length;
}

/** 医疗收费项目类别 of drugs: 西药费, 中药饮片费, 中成药费. */
const DRUG_CHRGITM_TYPES = ['09', '10', '11'];

/**
 * 5205 人员慢特病用药记录查询: the drug lines paid by the person's valid (not reversed) 门慢特 settlements, at any
 * institution, newest first; `from` / `to` bound the fee time. Amounts stay numeric text (yuan). Unknown person refused.
 * Figures are net of 退费: a settlement pays an original line net of the refund lines settled with it (its
 * setl_feedetl amount), so the quantity is the original's minus those refunds; refund lines are not records of
 * their own, and a line refunded in full (nothing dispensed) is left out.
 */
export async function opspDrugRecordsOf(db: Db, psn_no: string, range: { from?: Date; to?: Date } = {}) {
  if (!(await findPerson(db, { psn_no }))) throw notFound(`人员编号 ${psn_no} 不存在`);
  let q = db.k
    .selectFrom('setl_feedetl as sf')
    .innerJoin('setl as s', 's.setl_id', 'sf.setl_id')
    .innerJoin('feedetl as f', 'f.feedetl_id', 'sf.feedetl_id')
    .innerJoin('mdtrt as m', 'm.mdtrt_id', 's.mdtrt_id')
    .select([
      's.mdtrt_id',
      's.setl_id',
      's.fixmedins_code',
      sql<string | null>`(select x.fixmedins_name from fixmedins x where x.fixmedins_code = s.fixmedins_code order by x.begndate desc limit 1)`.as('fixmedins_name'),
      's.setl_time',
      's.med_type',
      'm.dise_codg',
      'm.dise_name',
      'f.feedetl_sn',
      'f.fee_ocur_time',
      'f.hilist_code',
      sql<string | null>`(select h.hilist_name from hilist h where h.hilist_code = f.hilist_code order by h.begndate desc limit 1)`.as('hilist_name'),
      'f.medins_list_codg',
      'f.med_chrgitm_type',
      // the quantity net of the refund lines this settlement netted into the line
      sql<string>`(f.cnt + coalesce((select sum(r.cnt) from setl_feedetl rs inner join feedetl r on r.feedetl_id = rs.feedetl_id where rs.setl_id = s.setl_id and r.mdtrt_id = f.mdtrt_id and r.init_feedetl_sn = f.feedetl_sn), 0))::text`.as('cnt'),
      'f.pric',
      'sf.det_item_fee_sumamt',
      'f.bilg_dr_codg',
      'f.bilg_dr_name',
    ])
    .where('s.psn_no', '=', psn_no)
    .where('s.med_type', '=', '14')
    .where('s.refd_setl_flag', '=', '0')
    .where('s.vali_flag', '=', '1')
    .where('f.med_chrgitm_type', 'in', DRUG_CHRGITM_TYPES)
    .where('f.init_feedetl_sn', 'is', null);
  if (range.from) q = q.where('f.fee_ocur_time', '>=', range.from);
  if (range.to) q = q.where('f.fee_ocur_time', '<=', range.to);
  const rows = await q.orderBy('f.fee_ocur_time', 'desc').orderBy('f.feedetl_sn').execute();
  return rows.filter((r) => Number(r.cnt) !== 0).map((r) => ({ ...r, setl_time: toWireTime(r.setl_time)!, fee_ocur_time: toWireTime(r.fee_ocur_time)! }));
}
