/**
 * 结算事中审核处置配置 (table setl_audit_cfg, migration 0015): which severities of a 事中 audit hit only warn and which
 * refuse fund payment for the offending lines, per insured region. Writing a setting is effective-dated (the row in
 * force closes the day before, platform/effective.closeAndInsert) with its operation-log row, in one transaction.
 * Reading the setting that applies is audit.ts's `auditActions` (cached; a write here invalidates it).
 */
import type { Db } from '../platform/db.js';
import { closeAndInsert, validOnSql } from '../platform/effective.js';
import { Problems } from './common.js';
import { recordOperation, type Actor } from '../platform/oplog.js';
import { requireActorCovers } from '../platform/scope.js';
import { isIsoDate } from '../platform/time.js';
import { writingTo } from '../platform/cache.js';

export interface AuditActionInput {
  /** 000000 = national default; otherwise the insured region (参保地) the setting covers. */
  admdvs: string;
  /** 1 明确违规, 2 高度可疑, 3 可疑. */
  sev_deg: string;
  /** 1 仅提醒, 2 不予基金支付. */
  audit_act: string;
  begndate: string;
  memo?: string;
}

/** Sets what a hit of one severity does in a region from `begndate` on. */
export async function setAuditAction(db: Db, actor: Actor, input: AuditActionInput): Promise<void> {
  const p = new Problems();
  if (!/^\d{6}$/.test(input.admdvs)) p.add('admdvs', `医保区划“${input.admdvs}”应为6位数字`);
  if (!['1', '2', '3'].includes(input.sev_deg)) p.add('sev_deg', `严重程度“${input.sev_deg}”无效（1 明确违规、2 高度可疑、3 可疑）`);
  if (!['1', '2'].includes(input.audit_act)) p.add('audit_act', `处置方式“${input.audit_act}”无效（1 仅提醒、2 不予基金支付）`);
  if (!isIsoDate(input.begndate)) p.add('begndate', `开始日期“${input.begndate}”应为 yyyy-MM-dd`);
  p.throwIfAny('结算事中审核处置配置有误');
  // a national (000000) setting needs an actor without area limits
  requireActorCovers(actor, input.admdvs);
  const row = {
    admdvs: input.admdvs,
    sev_deg: input.sev_deg as '1' | '2' | '3',
    audit_act: input.audit_act as '1' | '2',
    memo: input.memo ?? null,
    begndate: input.begndate,
    enddate: null,
    opter_id: actor.id,
  };
  await writingTo('audit_cfg', () => db.k.transaction().execute(async (trx) => {
    const before = await closeAndInsert(trx, 'setl_audit_cfg', { admdvs: input.admdvs, sev_deg: input.sev_deg }, row);
    await recordOperation(trx, actor, {
      action: 'setl_audit_cfg.set',
      target_type: 'setl_audit_cfg',
      target_id: `${input.admdvs}-${input.sev_deg}`,
      admdvs: input.admdvs,
      before: before ? { audit_act: before.audit_act, begndate: before.begndate } : null,
      after: { audit_act: row.audit_act, begndate: row.begndate, memo: row.memo },
    });
  }));
}

/** Every setting in force on a date. */
export async function listAuditActions(db: Db, on: string) {
  return db.k.selectFrom('setl_audit_cfg').select(['admdvs', 'sev_deg', 'audit_act', 'memo', 'begndate', 'enddate']).where(validOnSql(on)).orderBy('admdvs').orderBy('sev_deg').execute();
}
