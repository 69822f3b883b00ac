/**
 * National code formats of the catalogue items (国家医保信息业务编码标准), as yibao validates them.
 *
 * - 西药 (101): 23 characters — `X` + ATC-based class (letter, 2 digits, 2 letters, e.g. `A01AB`) + generic-name
 *   code (letter + 3 digits) + dosage-form code (letter + 3 digits) + specification/packaging (4 digits) +
 *   manufacturer (5 digits), e.g. `XA01ABD075A002010100483`.
 * - 中成药 (102): the same 23-character structure led by `Z` and the TCM classification (e.g. `ZA01AB…`).
 *   Published examples vary in length by province; yibao requires `Z` + 16–22 alphanumerics.
 * - 中药饮片 (103): `T` + 9 digits, e.g. `T000100222`.
 * - 自制剂 (104) / 民族药 (105): regional formats; 10–30 upper-case alphanumerics.
 * - 医疗服务项目 (201): 15 digits — `00` + the 9-digit price-item code of the national service-price norm
 *   (section, group, serial) + a 4-digit extension; an optional `-` + 9-digit local suffix is accepted.
 * - 医用耗材 (301): 20 characters — `C` + 19 digits (category 2+2+2, generic name 3, material 2, feature 2,
 *   manufacturer 5, specification 1).
 */
const FORMATS: Record<string, { re: RegExp; hint: string }> = {
  '101': { re: /^X[A-Z]\d{2}[A-Z]{2}[A-Z]\d{3}[A-Z]\d{3}\d{9}$/, hint: 'X + 分类5位 + 通用名4位 + 剂型4位 + 规格包装4位 + 企业5位，共23位' },
  '102': { re: /^Z[A-Z0-9]{16,22}$/, hint: 'Z 开头的17–23位字母数字' },
  '103': { re: /^T\d{9}$/, hint: 'T + 9位数字' },
  '104': { re: /^[A-Z0-9]{10,30}$/, hint: '10–30位大写字母或数字' },
  '105': { re: /^[A-Z0-9]{10,30}$/, hint: '10–30位大写字母或数字' },
  '201': { re: /^\d{15}(-\d{9})?$/, hint: '15位数字（可带“-”和9位地方扩展码）' },
  '301': { re: /^C\d{19}$/, hint: 'C + 19位数字，共20位' },
};

/** The list types each importer kind accepts. */
export const KIND_LIST_TYPES: Record<string, readonly string[]> = {
  drugs: ['101', '102', '104', '105'],
  herbs: ['103'],
  services: ['201'],
  consumables: ['301'],
};

/** Why a code does not fit its list type's national format (Chinese), or null. */
export function codeProblem(list_type: string, code: string): string | null {
  const f = FORMATS[list_type];
  if (!f) return `未知的目录类别 ${list_type}`;
  return f.re.test(code) ? null : `编码“${code}”不符合目录类别 ${list_type} 的编码格式（${f.hint}）`;
}
