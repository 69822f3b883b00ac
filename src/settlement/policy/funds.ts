/**
 * Fund payment types (基金支付类型, national-interface.md §4.7) the engine pays from, with their names for
 * setldetail.fund_pay_type_name. 310200 (the personal account) is not a pooled fund: it is part of the
 * personal part and is excluded from fund_pay_sumamt.
 */
export const FUND_NAMES: Record<string, string> = {
  '310100': '城镇职工基本医疗保险统筹基金',
  '310200': '城镇职工基本医疗保险个人账户基金',
  '320100': '公务员医疗补助基金',
  '330100': '大额医疗费用补助基金',
  '390100': '城乡居民基本医疗保险基金',
  '390200': '城乡居民大病医疗保险基金',
  '610100': '医疗救助基金',
};

export const ACCOUNT_FUND = '310200';
export const CIVIL_SERVANT_FUND = '320100';
export const ASSISTANCE_FUND = '610100';

export function fundName(code: string): string {
  return FUND_NAMES[code] ?? `基金${code}`;
}
