/**
 * Family mutual aid (家庭共济): an employee's personal account (职工医保个人账户) may pay the medical costs of
 * bound close relatives — spouse, children, parents, other close relatives (国办发〔2021〕14号 and the 2024
 * extension to 近亲属). A binding is effective-dated; unbinding closes it. Paying for a member debits the
 * owner's account with a 共济 movement that names the member, inside the caller's settlement transaction.
 */
import type { Selectable, Transaction } from 'kysely';
import type { Db, Tables } from '../platform/db.js';
import { conflict, notFound, validationError } from '../platform/errors.js';
import type { Fen } from '../platform/money.js';
import { recordOperation, type Actor } from '../platform/oplog.js';
import { requireActorCovers } from '../platform/scope.js';
import { isIsoDate } from '../platform/time.js';
import { moveAccount } from './account.js';
import { relationOn } from './relations.js';
import { FAMILY_RLTS, type PsnFamilyTable } from './types.js';

export type FamilyLink = Selectable<PsnFamilyTable>;

export interface BindInput {
  /** The account owner (an employee with 310 insurance). */
  psn_no: string;
  mem_psn_no: string;
  rlts: string;
  begndate: string;
}

type Exec = Db | Transaction<Tables>;
const kOf = (e: Exec) => ('k' in e ? e.k : e);

/** Links valid on a date where `psn_no` is the owner. */
export async function familyMembers(db: Exec, psn_no: string, on: string): Promise<FamilyLink[]> {
  return kOf(db)
    .selectFrom('psn_family')
    .selectAll()
    .where('psn_no', '=', psn_no)
    .where('begndate', '<=', on)
    .where((eb) => eb.or([eb('enddate', 'is', null), eb('enddate', '>=', on)]))
    .orderBy('mem_psn_no')
    .execute();
}

/**
 * Links read inside a transaction, by transaction: a settlement asks whose accounts pay twice (to lock them, then
 * to pay) and the answer cannot change under its own feet unless it binds or unbinds, which settlements never do.
 * Outside a transaction every call reads.
 */
const ownersInTransaction = new WeakMap<object, Map<string, Promise<FamilyLink[]>>>();

/** Links valid on a date where `mem_psn_no` is the member: whose accounts may pay for this person. */
export async function accountOwnersFor(db: Exec, mem_psn_no: string, on: string): Promise<FamilyLink[]> {
  const k = kOf(db);
  if (!k.isTransaction) return readOwners(db, mem_psn_no, on);
  let m = ownersInTransaction.get(k);
  if (!m) ownersInTransaction.set(k, (m = new Map()));
  const key = `${mem_psn_no}|${on}`;
  let p = m.get(key);
  if (!p) m.set(key, (p = readOwners(db, mem_psn_no, on)));
  // copies: callers may sort or change what they get
  return (await p).map((l) => ({ ...l }));
}

function readOwners(db: Exec, mem_psn_no: string, on: string): Promise<FamilyLink[]> {
  return kOf(db)
    .selectFrom('psn_family')
    .selectAll()
    .where('mem_psn_no', '=', mem_psn_no)
    .where('begndate', '<=', on)
    .where((eb) => eb.or([eb('enddate', 'is', null), eb('enddate', '>=', on)]))
    .orderBy('psn_no')
    .execute();
}

/** 共济绑定: validates both persons, the relationship code and the owner's employee insurance, then binds. */
export async function bindFamily(db: Db, actor: Actor, input: BindInput): Promise<FamilyLink> {
  const problems = [];
  if (!isIsoDate(input.begndate)) problems.push({ field: 'begndate', message: '应为 yyyy-MM-dd' });
  if (!(input.rlts in FAMILY_RLTS)) problems.push({ field: 'rlts', message: `关系代码“${input.rlts}”无效（10 配偶、20 子女、30 父母、40 其他近亲属）` });
  if (input.psn_no === input.mem_psn_no) problems.push({ field: 'mem_psn_no', message: '不能与本人绑定共济' });
  if (problems.length) throw validationError(`家庭共济绑定信息有误：${problems.map((p) => `${p.field}：${p.message}`).join('；')}`, problems);
  return db.k.transaction().execute(async (trx) => {
    const persons = await trx.selectFrom('psn').select(['psn_no', 'psn_name', 'death_date']).where('psn_no', 'in', [input.psn_no, input.mem_psn_no]).forUpdate().execute();
    const owner = persons.find((p) => p.psn_no === input.psn_no);
    const member = persons.find((p) => p.psn_no === input.mem_psn_no);
    if (!owner) throw notFound(`账户所有人 ${input.psn_no} 不存在`);
    if (!member) throw notFound(`共济人员 ${input.mem_psn_no} 不存在`);
    if (member.death_date && member.death_date <= input.begndate) throw conflict(`共济人员 ${member.psn_name} 已于 ${member.death_date} 死亡`);
    const rel = await relationOn(trx, input.psn_no, '310', input.begndate);
    if (!rel || rel.psn_insu_stas !== '1') throw conflict(`${owner.psn_name} 在 ${input.begndate} 没有正常的职工基本医疗保险参保关系，不能设立共济账户`);
    requireActorCovers(actor, rel.insuplc_admdvs);
    const clash = await trx
      .selectFrom('psn_family')
      .select(['begndate'])
      .where('psn_no', '=', input.psn_no)
      .where('mem_psn_no', '=', input.mem_psn_no)
      .where((eb) => eb.or([eb('enddate', 'is', null), eb('enddate', '>=', input.begndate)]))
      .executeTakeFirst();
    if (clash) throw conflict(`${owner.psn_name} 与 ${member.psn_name} 自 ${clash.begndate} 起已有共济绑定`);
    const link: FamilyLink = { psn_no: input.psn_no, mem_psn_no: input.mem_psn_no, rlts: input.rlts, begndate: input.begndate, enddate: null };
    await trx.insertInto('psn_family').values(link).execute();
    await recordOperation(trx, actor, { action: 'psn_family.bind', target_type: 'psn_family', target_id: `${input.psn_no}/${input.mem_psn_no}`, admdvs: rel.insuplc_admdvs, after: link });
    return link;
  });
}

/** 共济解绑: closes the binding in force; the last covered day is `enddate`. */
export async function unbindFamily(db: Db, actor: Actor, input: { psn_no: string; mem_psn_no: string; enddate: string }): Promise<FamilyLink> {
  if (!isIsoDate(input.enddate)) throw validationError(`解绑日期格式错误：${input.enddate}`, [{ field: 'enddate', message: '应为 yyyy-MM-dd' }]);
  return db.k.transaction().execute(async (trx) => {
    const [link] = await familyMembers(trx, input.psn_no, input.enddate).then((l) => l.filter((x) => x.mem_psn_no === input.mem_psn_no));
    if (!link) throw notFound(`${input.psn_no} 与 ${input.mem_psn_no} 在 ${input.enddate} 没有有效的共济绑定`);
    const rel = await relationOn(trx, input.psn_no, '310', link.begndate);
    if (rel) requireActorCovers(actor, rel.insuplc_admdvs);
    await trx
      .updateTable('psn_family')
      .set({ enddate: input.enddate })
      .where('psn_no', '=', link.psn_no)
      .where('mem_psn_no', '=', link.mem_psn_no)
      .where('begndate', '=', link.begndate)
      .execute();
    const closed = { ...link, enddate: input.enddate };
    await recordOperation(trx, actor, { action: 'psn_family.unbind', target_type: 'psn_family', target_id: `${input.psn_no}/${input.mem_psn_no}`, admdvs: rel?.insuplc_admdvs ?? null, before: link, after: closed });
    return closed;
  });
}

/**
 * Pays a member's cost from the owner's account (共济支付) inside the caller's transaction. The binding must be
 * valid on the service date; the balance check and lock are the ledger's. Returns the owner's balance after.
 */
export async function payForFamilyMember(
  trx: Transaction<Tables>,
  m: { owner_psn_no: string; mem_psn_no: string; amt_fen: Fen; on: string; ref_type?: string; ref_id?: string },
  opts: { personLocked?: boolean } = {},
): Promise<Fen> {
  if (m.amt_fen <= 0) throw validationError('共济支付金额必须大于0');
  const links = await familyMembers(trx, m.owner_psn_no, m.on);
  if (!links.some((l) => l.mem_psn_no === m.mem_psn_no)) throw conflict(`${m.owner_psn_no} 的个人账户在 ${m.on} 未与 ${m.mem_psn_no} 绑定共济，不能支付`);
  return moveAccount(trx, {
    psn_no: m.owner_psn_no,
    amt_fen: -m.amt_fen,
    move_type: 'mulaid_out',
    ...(m.ref_type ? { ref_type: m.ref_type } : {}),
    ...(m.ref_id ? { ref_id: m.ref_id } : {}),
    memo: `为共济人员 ${m.mem_psn_no} 支付`,
  }, opts);
}
