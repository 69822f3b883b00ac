/**
 * Fee-line classification (settlement-policy.md §1): splits each line into 全自费, 超限价自费, 先行自付 and
 * 符合政策范围 by the treating region's catalogue item in force on the fee date. Pure: the caller supplies
 * the items (catalogue-loader.ts fetches them). Restrictions are judged by the catalogue's own
 * `checkRestrictions`, so settlement and audit never disagree on what a restriction means.
 */
import { validationError } from '../../platform/errors.js';
import { applyRatio, fenToYuan, priceTimesQuantity, type Fen } from '../../platform/money.js';
import { ageOn } from '../../platform/time.js';
import { validOnDate } from '../../platform/effective.js';
import { checkRestrictions, type RestrictionBreach } from '../../standards/catalogue/restrictions.js';
import type { CatalogueItem } from '../../standards/catalogue/types.js';
import { requireMedTypeFamily, sceneOf } from './keys.js';
import { exactLineAmount } from './price.js';
import { pct } from './text.js';
import type { ClassifiedLine, ClassifyContext, FeeLine, OwnpayKind } from './types.js';

const LV_NAMES: Record<string, string> = { '01': '甲类', '02': '乙类', '03': '丙类' };

/** The catalogue item for a line (the version in force on its fee date), or undefined when there is none. */
export type ItemLookup = (line: FeeLine) => CatalogueItem | undefined;

export function classifyLines(lines: readonly FeeLine[], itemFor: ItemLookup, ctx: ClassifyContext): ClassifiedLine[] {
  return lines.map((line) => classifyLine(line, itemFor(line), ctx));
}

export function classifyLine(line: FeeLine, item: CatalogueItem | undefined, ctx: ClassifyContext): ClassifiedLine {
  checkLine(line);
  const amount = line.det_item_fee_sumamt;
  if (!item) return ownpay(line, undefined, 'not_listed', [], '未纳入医保目录，全自费');
  // A lookup that returned another date's version would silently use the wrong class, price cap or ratio.
  if (!validOnDate(item, line.fee_date)) {
    return ownpay(line, item, 'not_in_force', [], `医保目录项目在费用发生日 ${line.fee_date} 不在有效期内，全自费`);
  }
  if (item.chrgitm_lv === '03') return ownpay(line, item, 'class_c', [], '丙类项目，全自费');
  // an unknown med_type is refused whatever the item; most items have no restriction, and then no age is worked out
  const scene = sceneOf(requireMedTypeFamily(ctx.med_type));
  const breaches = item.restriction
    ? checkRestrictions(item.restriction, {
        gend: ctx.gend,
        age: ageOn(ctx.brdy, line.fee_date),
        diag_codes: ctx.diag_codes,
        hosp_lv: ctx.hosp_lv,
        scene,
        insutype: ctx.insutype,
      })
    : [];
  if (breaches.length) {
    return ownpay(line, item, 'restricted', breaches, `不符合限定支付范围（${breaches.map((b) => b.message).join('；')}），全自费`);
  }

  const reasons: string[] = [LV_NAMES[item.chrgitm_lv] ?? `等级${item.chrgitm_lv}`];
  let overlmt: Fen = 0;
  if (item.pric_uplmt_fen !== null) {
    const capTotal = priceTimesQuantity(item.pric_uplmt_fen, line.cnt);
    if (amount > capTotal) {
      overlmt = amount - capTotal;
      reasons.push(`超限价：限价 ${fenToYuan(item.pric_uplmt_fen)} 元 × ${line.cnt} = ${fenToYuan(capTotal)} 元，超出 ${fenToYuan(overlmt)} 元自费`);
    }
  }
  const rest = amount - overlmt;
  const preselfpay = applyRatio(rest, item.selfpay_bp);
  if (item.selfpay_bp > 0) reasons.push(`先行自付 ${pct(item.selfpay_bp)}：${fenToYuan(preselfpay)} 元`);
  reasons.push(`符合政策范围 ${fenToYuan(rest - preselfpay)} 元`);
  return {
    ...base(line, item),
    fulamt_ownpay_amt: 0,
    overlmt_amt: overlmt,
    preselfpay_amt: preselfpay,
    inscp_scp_amt: rest - preselfpay,
    chrgitm_lv: item.chrgitm_lv,
    selfpay_prop: item.selfpay_bp,
    ownpay_kind: null,
    breaches: [],
    reason: reasons.join('；'),
  };
}

function checkLine(line: FeeLine): void {
  const field = (f: string, message: string) => validationError(`费用明细 ${line.feedetl_sn}：${message}`, [{ field: f, message }]);
  if (!Number.isSafeInteger(line.pric) || line.pric < 0) throw field('pric', '单价应为非负金额');
  if (!Number.isSafeInteger(line.det_item_fee_sumamt) || line.det_item_fee_sumamt < 0) throw field('det_item_fee_sumamt', '明细金额应为非负金额（退费应先与原明细冲抵）');
  const expected = line.pric_exact !== undefined ? exactLineAmount(line.pric_exact, line.cnt) : priceTimesQuantity(line.pric, line.cnt);
  if (expected !== line.det_item_fee_sumamt) {
    throw field('det_item_fee_sumamt', `明细金额 ${fenToYuan(line.det_item_fee_sumamt)} 元与单价 × 数量 ${fenToYuan(expected)} 元不符`);
  }
}

function base(line: FeeLine, item: CatalogueItem | undefined) {
  return {
    feedetl_sn: line.feedetl_sn,
    hilist_code: line.hilist_code,
    hilist_name: item?.hilist_name ?? null,
    fee_date: line.fee_date,
    pric: line.pric,
    cnt: line.cnt,
    det_item_fee_sumamt: line.det_item_fee_sumamt,
    med_chrgitm_type: item?.med_chrgitm_type ?? null,
    lmt_used_flag: item?.restriction ? ('1' as const) : ('0' as const),
    pric_uplmt_amt: item?.pric_uplmt_fen ?? null,
  };
}

function ownpay(line: FeeLine, item: CatalogueItem | undefined, kind: OwnpayKind, breaches: RestrictionBreach[], reason: string): ClassifiedLine {
  return {
    ...base(line, item),
    fulamt_ownpay_amt: line.det_item_fee_sumamt,
    overlmt_amt: 0,
    preselfpay_amt: 0,
    inscp_scp_amt: 0,
    // the national responses report a line outside the catalogue as 丙类 with self-pay ratio 1
    chrgitm_lv: item && kind !== 'not_in_force' ? item.chrgitm_lv : '03',
    selfpay_prop: 10_000,
    ownpay_kind: kind,
    breaches,
    reason,
  };
}
