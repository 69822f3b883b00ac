/**
 * 退费明细 (refund lines) at upload (2204 / 2301): a line with negative cnt and det_item_fee_sumamt whose
 * init_feedetl_sn names the line it refunds. Owns the checks that make netting at settlement safe: the original is a
 * valid line of the SAME encounter (another encounter's line, an unknown or cancelled one is refused by name), it is
 * not itself a refund, the item and unit price are the same, it is not settled (a settled line cannot be refunded
 * separately), and all its refunds together — earlier ones and this batch's — never exceed its quantity or amount,
 * with the remaining amount still equal to price × remaining quantity (so the netted line stays exact).
 * Problems are added to the upload's list; nothing here writes.
 */
import { fenToYuan, yuanToFen, type Fen } from '../platform/money.js';
import { cnt10k, exactLineAmount, pricMicro } from './policy/index.js';
import type { Problems } from './common.js';
import type { Mdtrt } from './context.js';
import { cntText, settledLineIds } from './lines.js';
import type { FeeLineInput } from './fees.js';
import type { Exec } from './types.js';

/** A refund line: one that names the line it refunds (an empty init_feedetl_sn counts as none). */
export function isRefund(l: Pick<FeeLineInput, 'init_feedetl_sn'>): boolean {
  return !!l.init_feedetl_sn && l.init_feedetl_sn.trim() !== '';
}

const safe = <T>(f: () => T): T | undefined => {
  try {
    return f();
  } catch {
    return undefined;
  }
};

/** Checks every refund line of an upload batch against the encounter's stored lines (see the header). */
export async function checkRefunds(exec: Exec, enc: Mdtrt, lines: readonly FeeLineInput[], node: string, p: Problems): Promise<void> {
  const refunds = lines.map((l, i) => ({ l, i })).filter(({ l }) => isRefund(l));
  if (!refunds.length) return;
  const inits = [...new Set(refunds.map(({ l }) => l.init_feedetl_sn!.trim()))];
  const originals = await exec.selectFrom('feedetl').selectAll().where('mdtrt_id', '=', enc.mdtrt_id).where('vali_flag', '=', '1').where('feedetl_sn', 'in', inits).execute();
  const bySn = new Map(originals.map((o) => [o.feedetl_sn, o]));
  const earlier = await exec.selectFrom('feedetl').select(['init_feedetl_sn', 'cnt', 'det_item_fee_sumamt']).where('mdtrt_id', '=', enc.mdtrt_id).where('vali_flag', '=', '1').where('init_feedetl_sn', 'in', inits).execute();
  const settled = await settledLineIds(exec, enc.mdtrt_id);
  const missing = inits.filter((sn) => !bySn.has(sn));
  const elsewhere = missing.length
    ? await exec
        .selectFrom('feedetl')
        .select(['feedetl_sn', 'mdtrt_id'])
        .where('psn_no', '=', enc.psn_no)
        .where('mdtrt_id', '<>', enc.mdtrt_id)
        .where('vali_flag', '=', '1')
        .where('feedetl_sn', 'in', missing)
        .execute()
    : [];
  const otherEnc = new Map(elsewhere.map((r) => [r.feedetl_sn, r.mdtrt_id]));
  const batchSns = new Set(lines.filter((l) => !isRefund(l)).map((l) => l.feedetl_sn));

  // running totals per original: quantity (10⁻⁴) and amount (fen) still unrefunded
  const left = new Map<string, { cnt: bigint; amt: Fen }>();
  for (const o of originals) left.set(o.feedetl_sn, { cnt: cnt10k(o.cnt), amt: yuanToFen(o.det_item_fee_sumamt) });
  for (const e of earlier) {
    const t = left.get(e.init_feedetl_sn!);
    if (t) left.set(e.init_feedetl_sn!, { cnt: t.cnt + cnt10k(e.cnt), amt: t.amt + yuanToFen(e.det_item_fee_sumamt) });
  }

  for (const { l, i } of refunds) {
    const f = (name: string) => `${node}[${i}].${name}`;
    const sn = l.feedetl_sn;
    const init = l.init_feedetl_sn!.trim();
    const o = bySn.get(init);
    if (!o) {
      const other = otherEnc.get(init);
      if (other) p.add(f('init_feedetl_sn'), `退费明细 ${sn} 的原费用明细 ${init} 属于另一就诊（就诊ID ${other}），不能在就诊ID ${enc.mdtrt_id} 中退费`);
      else if (batchSns.has(init)) p.add(f('init_feedetl_sn'), `退费明细 ${sn} 的原费用明细 ${init} 与其在同一批上传，请先上传原明细再退费`);
      else p.add(f('init_feedetl_sn'), `退费明细 ${sn} 的原费用明细 ${init} 在就诊ID ${enc.mdtrt_id} 中不存在或已撤销`);
      continue;
    }
    if (o.init_feedetl_sn !== null) {
      p.add(f('init_feedetl_sn'), `费用明细 ${init} 本身是退费明细，不能再对其退费`);
      continue;
    }
    if (settled.has(o.feedetl_id)) {
      p.add(f('init_feedetl_sn'), `原费用明细 ${init} 已结算，不能单独退费；请先撤销该结算后再退费`);
      continue;
    }
    const sameItem = o.hilist_code === l.med_list_codg;
    const samePrice = safe(() => pricMicro(l.pric)) === pricMicro(o.pric);
    if (!sameItem) p.add(f('med_list_codg'), `退费明细 ${sn} 的医疗目录编码 ${l.med_list_codg} 与原费用明细 ${init} 的 ${o.hilist_code} 不是同一项目`);
    if (!samePrice) p.add(f('pric'), `退费明细 ${sn} 的单价 ${l.pric} 与原费用明细 ${init} 的单价 ${o.pric} 不符`);
    if (!sameItem || !samePrice) continue;
    const cnt = safe(() => cnt10k(l.cnt));
    const amt = safe(() => yuanToFen(l.det_item_fee_sumamt));
    if (cnt === undefined || amt === undefined || cnt >= 0n || amt >= 0) continue; // reported by the line checks
    const t = left.get(init)!;
    const after = { cnt: t.cnt + cnt, amt: t.amt + amt };
    left.set(init, after);
    if (after.cnt < 0n || after.amt < 0) {
      p.add(f('cnt'), `退费明细 ${sn} 退费后原费用明细 ${init} 的剩余数量为 ${cntText(after.cnt)}、剩余金额为 ${fenToYuan(after.amt)} 元：退费不能超过原收费（原数量 ${o.cnt}，原金额 ${o.det_item_fee_sumamt} 元）`);
    } else if (exactLineAmount(o.pric, cntText(after.cnt)) !== after.amt) {
      p.add(f('det_item_fee_sumamt'), `退费明细 ${sn} 退费后原费用明细 ${init} 的剩余金额 ${fenToYuan(after.amt)} 元与单价 ${o.pric} × 剩余数量 ${cntText(after.cnt)} 不符`);
    }
  }
}
