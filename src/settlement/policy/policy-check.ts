/**
 * Validation of a policy's shape, shared by the store (before a row is written) and the engine (before a
 * policy is used): keys from their code lists, amounts non-negative whole fen, ratios within 0–100 %,
 * bands ascending and ending open, and each optional layer complete. Problems name the field in national
 * or column terms, in Chinese, so an import report can show them.
 */
import { checkPeriod } from '../../platform/effective.js';
import { validationError, type FieldProblem } from '../../platform/errors.js';
import type { Band, PolicyInput } from './types.js';

const FAMS = ['11', '14', '21', '41'];
const LVS = ['1', '2', '3', '9', '*'];
const GRPS = ['11', '12', '14', '15', '*'];

export function policyProblems(p: PolicyInput, row?: number): FieldProblem[] {
  const out: FieldProblem[] = [];
  const add = (field: string, message: string) => out.push({ row, field, message });
  const amount = (field: string, v: number) => {
    if (!Number.isSafeInteger(v) || v < 0) add(field, '应为非负金额');
  };
  const ratio = (field: string, v: number) => {
    if (!Number.isInteger(v) || v < 0 || v > 10_000) add(field, '比例应在0至100%之间');
  };
  const bands = (field: string, list: readonly Band[]) => {
    if (!list.length) return add(field, '至少需要一个分段');
    list.forEach((b, i) => {
      ratio(`${field}[${i + 1}].ratio`, b.bp);
      const last = i === list.length - 1;
      if (last && b.upto !== null) add(`${field}[${i + 1}].upto_amt`, '最后一段不应设上限');
      if (!last && b.upto === null) add(`${field}[${i + 1}].upto_amt`, '只有最后一段可以不设上限');
      if (b.upto !== null) {
        amount(`${field}[${i + 1}].upto_amt`, b.upto);
        const prev = i > 0 ? list[i - 1]!.upto : 0;
        if (prev !== null && b.upto <= prev) add(`${field}[${i + 1}].upto_amt`, '分段上限应逐段递增');
      }
    });
  };

  if (!/^\d{6}$/.test(p.insu_admdvs)) add('insu_admdvs', '应为6位区划代码');
  if (!/^\d{3,5}$/.test(p.insutype)) add('insutype', '险种类型格式错误');
  if (!FAMS.includes(p.med_type_fam)) add('med_type_fam', '应为 11 门诊、14 门慢特、21 住院或 41 药店');
  if (!LVS.includes(p.hosp_lv)) add('hosp_lv', '应为 1、2、3、9 或 *');
  if (!GRPS.includes(p.psn_type_grp)) add('psn_type_grp', '应为 11 在职、12 退休、14 学生儿童、15 居民或 *');
  if (!p.acc_grp.trim()) add('acc_grp', '累计分组不能为空');
  try {
    checkPeriod({ begndate: p.begndate, enddate: p.enddate ?? null }, row);
  } catch (e) {
    add('begndate', (e as Error).message);
  }

  if (p.dedc.scope !== 'year' && p.dedc.scope !== 'admission') add('dedc_scope', '应为 year 或 admission');
  amount('dedc_amt', p.dedc.amt);
  if (p.dedc.amt_next !== null) amount('dedc_amt_next', p.dedc.amt_next);

  if (!/^\d{6}$/.test(p.pool.fund)) add('pool_fund', '基金支付类型应为6位代码');
  if (p.pool.basis !== 'settlement' && p.pool.basis !== 'year') add('pool_band_basis', '应为 settlement 或 year');
  bands('pool_bands', p.pool.bands);
  amount('pool_lmt_amt', p.pool.lmt);

  if (p.large) {
    if (p.large.fund !== '330100' && p.large.fund !== '390200') add('large_fund', '应为 330100 或 390200');
    if (p.large.basis !== 'over_limit' && p.large.basis !== 'burden') add('large_basis', '应为 over_limit 或 burden');
    amount('large_dedc_amt', p.large.threshold);
    bands('large_bands', p.large.bands);
    amount('large_lmt_amt', p.large.lmt);
  }
  if (p.cvlserv) {
    ratio('cvl_dedc_ratio', p.cvlserv.dedc_bp);
    ratio('cvl_ratio', p.cvlserv.bp);
    amount('cvl_lmt_amt', p.cvlserv.lmt);
  }
  if (p.maf) {
    const entries = Object.entries(p.maf.ratios);
    if (!entries.length) add('maf_idet', '医疗救助至少需要一种救助身份');
    for (const [idet, bp] of entries) ratio(`maf_ratio[${idet}]`, bp);
    amount('maf_lmt_amt', p.maf.lmt);
  }
  return out;
}

/** Throws a validation error listing every problem of the policy. */
/** Policies already found valid: settlement and the generator check the same cached policy object on every call. */
const checked = new WeakSet<PolicyInput>();

export function checkPolicy(p: PolicyInput): void {
  if (checked.has(p)) return;
  const problems = policyProblems(p);
  if (problems.length) throw validationError(`待遇政策参数错误：${problems.map((x) => `${x.field}${x.message}`).join('；')}`, problems);
  checked.add(p);
}
