/**
 * 2601 冲正: undoes an earlier request identified by its msgid and infno, when the HIS does not know whether it went
 * through (a timeout). What was written is found by the msgid every write stores: a settlement (medins_setl_id) is
 * reversed as by 2208 / 2305, an upload's lines (upload_msgid) are cancelled as by 2205 / 2302, a registration
 * or admission (reg_msgid) is cancelled as by 2202 / 2404, a discharge (dscg_msgid) as by 2405. Undoing what is
 * already undone, or what never took effect, is a success with nothing to do — that is what a HIS needs after a
 * timeout. The gateway checks the msgid store first (src/gateway/tx/2601.ts).
 */
import { conflict, validationError } from '../platform/errors.js';
import { newSetlId } from '../platform/ids.js';
import { cancelDischarge, cancelEncounter } from './encounters.js';
import { cancelFees } from './fees.js';
import { requireEncounter } from './context.js';
import { reverseRow } from './reverse.js';
import type { Caller } from './types.js';

/** The original transactions 2601 can undo, and what undoing them means. */
export const REVERSIBLE: Record<string, string> = {
  '2201': '撤销挂号',
  '2401': '撤销入院',
  '2204': '撤销费用明细',
  '2301': '撤销费用明细',
  '2207': '撤销结算',
  '2304': '撤销结算',
  '2402': '撤销出院',
};

export interface CorrectionResult {
  /** What was done, in Chinese (for the log and tests). */
  done: string;
}

export async function undoByMsgid(caller: Caller, input: { psn_no: string; omsgid: string; oinfno: string }): Promise<CorrectionResult> {
  const code = caller.institution.fixmedins_code;
  const checkPsn = (psn_no: string) => {
    if (psn_no !== input.psn_no) throw validationError(`人员编号 ${input.psn_no} 与原交易 ${input.omsgid} 的参保人不符`, [{ field: 'psn_no', message: '与原交易不符' }]);
  };
  const { db } = caller;
  switch (input.oinfno) {
    case '2207':
    case '2304': {
      const orig = await db.k.selectFrom('setl').select(['setl_id', 'psn_no', 'mdtrt_id']).where('fixmedins_code', '=', code).where('medins_setl_id', '=', input.omsgid).where('refd_setl_flag', '=', '0').executeTakeFirst();
      if (!orig) return { done: '原结算未生效，无需冲正' };
      checkPsn(orig.psn_no);
      const rev_id = await newSetlId(db, caller.mdtrtarea_admvs, caller.at);
      return db.k.transaction().execute(async (trx) => {
        await requireEncounter(trx, caller, orig.mdtrt_id, { psn_no: input.psn_no, kind: input.oinfno === '2304' ? '2' : '1', forUpdate: true, valid: false });
        const row = await trx.selectFrom('setl').selectAll().where('setl_id', '=', orig.setl_id).forUpdate().executeTakeFirstOrThrow();
        if (row.vali_flag !== '1') return { done: `原结算 ${row.setl_id} 已撤销，无需冲正` };
        const out = await reverseRow(caller, trx, row, rev_id);
        return { done: `已撤销结算 ${row.setl_id}（撤销结算ID ${out.setlinfo.setl_id}）` };
      });
    }
    case '2204':
    case '2301': {
      const line = await db.k
        .selectFrom('feedetl')
        .innerJoin('mdtrt', 'mdtrt.mdtrt_id', 'feedetl.mdtrt_id')
        .select(['feedetl.mdtrt_id', 'feedetl.psn_no'])
        .where('mdtrt.fixmedins_code', '=', code)
        .where('feedetl.upload_msgid', '=', input.omsgid)
        .executeTakeFirst();
      if (!line) return { done: '原费用明细未上传，无需冲正' };
      checkPsn(line.psn_no);
      const enc = await requireEncounter(db.k, caller, line.mdtrt_id, { valid: false });
      const valid = await db.k.selectFrom('feedetl').select('feedetl_id').where('mdtrt_id', '=', enc.mdtrt_id).where('upload_msgid', '=', input.omsgid).where('vali_flag', '=', '1').executeTakeFirst();
      if (!valid) return { done: '原费用明细已撤销，无需冲正' };
      if (enc.setl_flag === '1') throw conflict(`原交易上传的费用明细已结算（就诊ID ${enc.mdtrt_id}），请先冲正或撤销结算`);
      const n = await cancelFees(caller, enc.ipt_otp_flag, { mdtrt_id: enc.mdtrt_id, psn_no: input.psn_no }, [{ upload_msgid: input.omsgid }]);
      return { done: `已撤销 ${n} 条费用明细` };
    }
    case '2201':
    case '2401': {
      const enc = await db.k.selectFrom('mdtrt').select(['mdtrt_id', 'psn_no', 'vali_flag', 'ipt_otp_flag']).where('fixmedins_code', '=', code).where('reg_msgid', '=', input.omsgid).executeTakeFirst();
      if (!enc) return { done: '原登记未生效，无需冲正' };
      checkPsn(enc.psn_no);
      if (enc.vali_flag !== '1') return { done: `就诊ID ${enc.mdtrt_id} 已撤销，无需冲正` };
      await cancelEncounter(caller, enc.ipt_otp_flag, { mdtrt_id: enc.mdtrt_id, psn_no: input.psn_no });
      return { done: `已撤销就诊ID ${enc.mdtrt_id}` };
    }
    case '2402': {
      const enc = await db.k.selectFrom('mdtrt').select(['mdtrt_id', 'psn_no']).where('fixmedins_code', '=', code).where('dscg_msgid', '=', input.omsgid).executeTakeFirst();
      if (!enc) return { done: '原出院办理未生效或已撤销，无需冲正' };
      checkPsn(enc.psn_no);
      await cancelDischarge(caller, { mdtrt_id: enc.mdtrt_id, psn_no: input.psn_no });
      return { done: `已撤销就诊ID ${enc.mdtrt_id} 的出院办理` };
    }
    default:
      throw validationError(`交易 ${input.oinfno} 不支持冲正；可冲正的交易：${Object.keys(REVERSIBLE).join('、')}`, [{ field: 'oinfno', message: '不支持冲正' }]);
  }
}
