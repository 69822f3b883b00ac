/**
 * Code-range helpers shared by quality control and DIP: ICD-10 range specs as data ('V01-Y98' categories, 'I25.2'
 * prefixes, 'R65' one category), the ICD-10 chapters, and the shapes of special diagnosis codes (asterisk
 * manifestation codes, morphology codes).
 */

/** 3-character category of a diagnosis code: 'K80.101' → 'K80'. */
export const categoryOf = (code: string): string => code.slice(0, 3).toUpperCase();

/** 4-character subcategory (亚目) as written with the dot: 'K80.101' → 'K80.1', 'I10.x00' → 'I10.x'; 'K80' → 'K80'. */
export const subcategoryOf = (code: string): string => {
  const c = code.trim();
  return c.charAt(0).toUpperCase() + c.slice(1, 5);
};

/**
 * Whether a diagnosis code falls in a range spec:
 *  - 'V01-Y98'  → its category is between V01 and Y98 (inclusive);
 *  - 'I25.2'    → the code starts with I25.2 (a prefix of any length);
 *  - 'R65'      → category R65.
 * Dagger-asterisk pairs ('A01.000x005+J17.0*') are judged by their dagger (first) code.
 */
export function inRange(code: string, spec: string): boolean {
  const c = code.trim().toUpperCase().split('+')[0]!;
  const s = specOf(spec);
  if (typeof s !== 'string') {
    const cat = categoryOf(c);
    return cat >= s[0] && cat <= s[1];
  }
  return c.startsWith(s);
}

/** Range specs parsed once ([low, high] categories, or the prefix): the rules, chapters and DIP ask with the same few hundred specs millions of times. */
const specs = new Map<string, readonly [string, string] | string>();
function specOf(spec: string): readonly [string, string] | string {
  let parsed = specs.get(spec);
  if (parsed === undefined) {
    const s = spec.trim().toUpperCase();
    const dash = s.indexOf('-');
    parsed = dash > 0 ? [s.slice(0, dash), s.slice(dash + 1)] : s;
    if (specs.size >= 10_000) specs.clear();
    specs.set(spec, parsed);
  }
  return parsed;
}

export const inRanges = (code: string, specs: readonly string[]): string | null => specs.find((s) => inRange(code, s)) ?? null;

/**
 * inRanges with the specs parsed once: (code) → the first spec the code falls in, or null — the same answers, for
 * rules that test every diagnosis of every list against the same ranges.
 */
export function rangeMatcher(specs: readonly string[]): (code: string) => string | null {
  const parsed = specs.map((spec) => {
    const s = spec.trim().toUpperCase();
    const dash = s.indexOf('-');
    return dash > 0 ? { spec, lo: s.slice(0, dash), hi: s.slice(dash + 1), prefix: null } : { spec, lo: '', hi: '', prefix: s };
  });
  return (code) => {
    const c = code.trim().toUpperCase().split('+')[0]!;
    const cat = categoryOf(c);
    for (const p of parsed) if (p.prefix === null ? cat >= p.lo && cat <= p.hi : c.startsWith(p.prefix)) return p.spec;
    return null;
  };
}

/** ICD-10 chapters as category ranges, in order (the comprehensive-group fallback of DIP uses them). */
export const ICD10_CHAPTERS: readonly { range: string; name: string }[] = [
  { range: 'A00-B99', name: '某些传染病和寄生虫病' },
  { range: 'C00-D48', name: '肿瘤' },
  { range: 'D50-D89', name: '血液及造血器官疾病和某些免疫疾患' },
  { range: 'E00-E90', name: '内分泌、营养和代谢疾病' },
  { range: 'F00-F99', name: '精神和行为障碍' },
  { range: 'G00-G99', name: '神经系统疾病' },
  { range: 'H00-H59', name: '眼和附器疾病' },
  { range: 'H60-H95', name: '耳和乳突疾病' },
  { range: 'I00-I99', name: '循环系统疾病' },
  { range: 'J00-J99', name: '呼吸系统疾病' },
  { range: 'K00-K93', name: '消化系统疾病' },
  { range: 'L00-L99', name: '皮肤和皮下组织疾病' },
  { range: 'M00-M99', name: '肌肉骨骼系统和结缔组织疾病' },
  { range: 'N00-N99', name: '泌尿生殖系统疾病' },
  { range: 'O00-O99', name: '妊娠、分娩和产褥期' },
  { range: 'P00-P96', name: '起源于围生期的某些情况' },
  { range: 'Q00-Q99', name: '先天性畸形、变形和染色体异常' },
  { range: 'R00-R99', name: '症状、体征和临床与实验室异常所见' },
  { range: 'S00-T98', name: '损伤、中毒和外因的某些其他后果' },
  { range: 'U00-U99', name: '特殊目的编码' },
  { range: 'V01-Y98', name: '疾病和死亡的外因' },
  { range: 'Z00-Z99', name: '影响健康状态和与保健机构接触的因素' },
];

/** The chapter of a diagnosis code, or null (morphology codes and junk have none). */
/**
 * Answers of chapterOf by code, remembered: DIP asks it for every case of a million-case year (a scan of the chapters
 * with string work for each), over a few thousand distinct codes. Dropped when it grows large.
 */
const chapters = new Map<string, { range: string; name: string } | null>();

export function chapterOf(code: string): { range: string; name: string } | null {
  let ch = chapters.get(code);
  if (ch === undefined) {
    if (chapters.size >= 100_000) chapters.clear();
    ch = !/^[A-Z]\d{2}/i.test(code.trim()) || isMorphology(code) ? null : (ICD10_CHAPTERS.find((c) => inRange(code, c.range)) ?? null);
    chapters.set(code, ch);
  }
  return ch;
}

/** An asterisk (manifestation) code on its own — 'G63.2*' — not a dagger-asterisk pair. */
export const isAsteriskOnly = (code: string): boolean => code.trim().endsWith('*') && !code.includes('+');

/** A morphology (肿瘤形态学) code: M followed by 4–5 digits and a behaviour code ('M80000/3', 'M8140/3'). */
export const isMorphology = (code: string): boolean => /^M\d{4,5}\/\d/i.test(code.trim());
