/**
 * Quality control: every rule of QC_RULES fires on a list crafted to break it (and says which rule, field and why
 * in Chinese), and no rule fires on the clean adult or newborn list. A meta-test makes sure every rule has a case.
 */
import { describe, expect, test } from 'vitest';
import type { SetlListInput } from '../setl-list/fields.js';
import { adultList, cloneList, fixtureContext, newbornList, setField } from '../setl-list/testing.js';
import { describeFinding, parseDuration, runQc, type QcContext } from './engine.js';
import { QC_RULES, type QcRule } from './rules.js';
import { chapterOf, inRange, isAsteriskOnly, isMorphology } from './codes.js';

interface Case {
  /** how the clean list is broken */
  make: () => SetlListInput;
  ctx?: (l: SetlListInput) => QcContext;
  /** the value the finding must name (optional) */
  value?: string | null;
}

const adult = (...edits: [string, string | undefined][]) => () => edits.reduce((l, [p, v]) => setField(l, p, v), adultList());
const newborn = (...edits: [string, string | undefined][]) => () => edits.reduce((l, [p, v]) => setField(l, p, v), newbornList());

/** Where a rule's field lives in the clean list ('diseinfo.diag_code' → 'diseinfo.0.diag_code'). */
function concrete(field: string): string {
  const [node, f] = field.split('.');
  return node === 'setlinfo' ? field : `${node}.0.${f}`;
}

/** A row that satisfies the other mandatory fields of nodes the clean adult list leaves empty. */
const FILLERS: Record<string, Record<string, string>> = {
  opspdiseinfo: { diag_code: 'E11.900', diag_name: '2型糖尿病', oprn_oprt_code: '89.0200', oprn_oprt_name: '问诊和评估' },
};

function withRow(l: SetlListInput, node: string): SetlListInput {
  const filler = FILLERS[node];
  const rows = (l as unknown as Record<string, Record<string, string>[]>)[node]!;
  if (filler && !rows.length) rows.push({ ...filler });
  return l;
}

/** Cases the generic kinds can derive from the rule itself. */
function generic(rule: QcRule): Case | null {
  const path = concrete(rule.field);
  const node = rule.field.split('.')[0]!;
  const base = () => withRow(rule.params?.when === 'newborn' || rule.params?.when === 'infant' ? newbornList() : adultList(), node);
  switch (rule.kind) {
    case 'required':
      return { make: () => setField(base(), path, undefined), value: null };
    case 'dict':
      return { make: () => setField(base(), path, 'ZZ'), value: 'ZZ' };
    case 'numeric':
      return { make: () => setField(base(), path, 'abc'), value: 'abc' };
    case 'dateFormat':
      return { make: () => setField(base(), path, '2025-13-45'), value: '2025-13-45' };
    case 'pattern':
      return { make: () => setField(base(), path, '1234!'), value: '1234!' };
    case 'duration':
      return { make: () => setField(base(), path, '1/25/0'), value: '1/25/0' };
    default:
      return null;
  }
}

const SPECIAL: Record<string, Case> = {
  '2005-diseinfo': { make: () => ({ ...adultList(), diseinfo: [] }) },
  '2005-iteminfo': { make: () => ({ ...adultList(), iteminfo: [] }) },
  '2005-oprninfo.anst_dr_code': { make: adult(['oprninfo.0.anst_dr_code', undefined]) },
  '2006-payinfo.fund_pay_type': { make: adult(['payinfo.0.fund_pay_type', '310101']), value: '310101' },
  '2006-dscg_way': { make: adult(['setlinfo.dscg_way', '7']), value: '7' }, // drg-dip.md §7.5
  '2130-poscode': { make: adult(['setlinfo.poscode', '12345']), value: '12345' }, // §7.5
  '2132-nwb_bir_wt': { make: newborn(['setlinfo.nwb_bir_wt', '150']), value: '150' }, // §7.5
  '2132-nwb_adm_wt': { make: newborn(['setlinfo.nwb_adm_wt', '100']), value: '100' },
  '2140-nwb_bir_wt': { make: newborn(['setlinfo.nwb_bir_wt', '3000;2800']), value: '3000;2800' },
  '3002-adm_time': { make: adult(['setlinfo.adm_time', '2025-12-09 08:00:00']), value: '2025-12-09 08:00:00' },
  '3002-brdy': { make: adult(['setlinfo.brdy', '2025-12-05']), value: '2025-12-05' },
  '3002-setl_begn_date': { make: adult(['setlinfo.setl_begn_date', '2025-12-08'], ['setlinfo.setl_end_date', '2025-12-07']) },
  '2137-setl_begn_date': { make: adult(['setlinfo.setl_begn_date', '2025-11-30']), value: '2025-11-30' },
  '2137-setl_end_date': { make: adult(['setlinfo.setl_end_date', '2025-12-09']), value: '2025-12-09' },
  '2136': { make: adult(['icuinfo.0.scs_cutd_inpool_time', '2025-11-30 10:00:00']) }, // §7.5: ICU before admission
  '2134': { make: adult(['oprninfo.0.anst_begntime', '2025-12-02 11:00:00']) },
  '3041': { make: adult(['oprninfo.0.oprn_oprt_date', '2025-12-10']) },
  '3003': { make: adult(['setlinfo.act_ipt_days', '9']), value: '9' },
  '3004': { make: adult(['setlinfo.age', '30']), value: '30' },
  '3006-age': { make: adult(['setlinfo.age', '200']), value: '200' },
  '3006-act_ipt_days': { make: adult(['setlinfo.act_ipt_days', '99999999999']), value: '99999999999' },
  '3005-nwb_age': { make: newborn(['setlinfo.nwb_age', '400']), value: '400' },
  '3005-nwb_age.adult': { make: adult(['setlinfo.nwb_age', '10']), value: '10' },
  '2139': { make: adult(['diseinfo.0.maindiag_flag', '0']) }, // §7.5
  '3026': { make: adult(['diseinfo.1.maindiag_flag', '1']), value: 'I10.x00' },
  '3010': { make: adult(['diseinfo.1.diag_code', 'I99.999']), value: 'I99.999' },
  '3011': { make: adult(['diseinfo.1.diag_name', '高血压']), value: '高血压' },
  '2138-wm_dise_code': { make: adult(['setlinfo.wm_dise_code', 'K99.999']), value: 'K99.999' },
  '2138-opspdiseinfo.diag_code': { make: () => withRow(setField(adultList(), 'opspdiseinfo.0.diag_code', 'Q99.999'), 'opspdiseinfo'), value: 'Q99.999' },
  '3020': { make: adult(['diseinfo.0.diag_code', 'W19.x00']), value: 'W19.x00' },
  '3021': { make: adult(['diseinfo.0.diag_code', 'M80000/3']), value: 'M80000/3' },
  '3022': { make: adult(['diseinfo.0.diag_code', 'G63.2*']), value: 'G63.2*' },
  '3023': { make: adult(['diseinfo.0.diag_code', 'B96.200']), value: 'B96.200' },
  '3024': { make: adult(['diseinfo.0.diag_code', 'R50.900']), value: 'R50.900' },
  '3025': { make: adult(['diseinfo.0.adm_cond_type', '4']), value: '4' },
  '3027': { make: adult(['diseinfo.0.diag_code', 'C34.900'], ['oprninfo.0.oprn_oprt_code', '99.2500']), value: 'C34.900' },
  '3030': { make: adult(['diseinfo.1.diag_code', 'O80.000']), value: 'O80.000' },
  '3031': { make: adult(['setlinfo.gend', '2'], ['diseinfo.1.diag_code', 'N40.x00']), value: 'N40.x00' },
  '3032': { make: adult(['diseinfo.0.diag_code', 'P07.300']), value: 'P07.300' },
  '3033': { make: newborn(['setlinfo.brdy', '2025-10-02'], ['setlinfo.nwb_age', '60']), value: 'P59.900' },
  '3040': { make: adult(['diseinfo.2.diag_type', '1'], ['diseinfo.2.diag_code', 'I10.x00'], ['diseinfo.2.diag_name', '原发性高血压'], ['diseinfo.2.adm_cond_type', '1']), value: 'I10.x00' },
  '3036-diag_code_cnt': { make: adult(['setlinfo.diag_code_cnt', '5']), value: '5' },
  '2133': { make: adult(['oprninfo.0.oprn_oprt_code', '99.9999']), value: '99.9999' },
  '3013': { make: adult(['oprninfo.0.oprn_oprt_name', '阑尾切除']), value: '阑尾切除' },
  '3034': { make: () => ({ ...adultList(), oprninfo: [adultList().oprninfo![0]!, { ...adultList().oprninfo![0]!, oprn_oprt_code: '89.0200', oprn_oprt_name: '问诊和评估' }] }) },
  '3035': { make: adult(['oprninfo.0.oprn_oprt_type', '2']) },
  '3036-oprn_oprt_code_cnt': { make: adult(['setlinfo.oprn_oprt_code_cnt', '3']), value: '3' },
  '3050': { make: adult(), ctx: (l) => fixtureContext(l, { settlement: null }), value: 'S0001' },
  '3051': { make: adult(), ctx: (l) => fixtureContext(l, { settlement: { ...fixtureContext(l).settlement!, valid: false } }), value: 'S0001' },
  '3052': { make: adult(), ctx: (l) => fixtureContext(l, { settlement: { ...fixtureContext(l).settlement!, fixmedins_code: 'H99010200003' } }), value: 'S0001' },
  '3053': { make: adult(), ctx: (l) => fixtureContext(l, { settlement: { ...fixtureContext(l).settlement!, mdtrt_id: 'M9999' } }), value: 'M0001' },
  '3054': { make: adult(['setlinfo.fixmedins_code', 'H99010200003']), value: 'H99010200003' },
  '3060': { make: adult(['payinfo.0.fund_payamt', '9000.00']), value: '10000.00' },
};

function caseOf(rule: QcRule): Case | null {
  return SPECIAL[rule.rule_id] ?? generic(rule);
}

describe('the clean lists pass', () => {
  test.each([
    ['adult', adultList],
    ['newborn', newbornList],
  ])('%s: no finding at all', (_n, make) => {
    const l = make();
    const r = runQc(l, fixtureContext(l));
    expect(r.errors.map(describeFinding)).toEqual([]);
    expect(r.warnings.map(describeFinding)).toEqual([]);
    expect(r.passed).toBe(true);
    expect(r.rules).toBe(QC_RULES.length);
  });
});

describe('every rule fires on its crafted bad list', () => {
  test('rule ids are unique and every rule has a case', () => {
    const ids = QC_RULES.map((r) => r.rule_id);
    expect(new Set(ids).size).toBe(ids.length);
    expect(QC_RULES.filter((r) => !caseOf(r)).map((r) => r.rule_id)).toEqual([]);
    for (const r of QC_RULES) expect(r.message).toMatch(/[\u4e00-\u9fa5]/);
  });

  test.each(QC_RULES.map((r) => [r.rule_id, r] as const))('%s', (_id, rule) => {
    const c = caseOf(rule)!;
    const list = c.make();
    const r = runQc(list, (c.ctx ?? fixtureContext)(list));
    const hits = [...r.errors, ...r.warnings].filter((x) => x.rule_id === rule.rule_id);
    expect(hits.length, `${rule.rule_id} did not fire; findings: ${[...r.errors, ...r.warnings].map(describeFinding).join(' | ')}`).toBeGreaterThan(0);
    const hit = hits[0]!;
    expect(hit.code).toBe(rule.code);
    expect(hit.level).toBe(rule.level);
    expect(hit.message).toMatch(/[\u4e00-\u9fa5]/);
    expect(hit.message).not.toMatch(/\{\w+\}/); // every placeholder filled
    if (c.value !== undefined) expect(hit.value).toBe(c.value);
    if (rule.level === 'blocking') expect(r.passed).toBe(false);
    // and the same rule stays silent on the clean list of the same kind
    const clean = rule.params?.when === 'newborn' || rule.params?.when === 'infant' ? newbornList() : adultList();
    expect(runQc(clean, fixtureContext(clean)).errors.concat(runQc(clean, fixtureContext(clean)).warnings).filter((x) => x.rule_id === rule.rule_id)).toEqual([]);
  });
});

describe('findings name the row, the field and the reason', () => {
  test('drg-dip.md §7.5 examples: 2132, 2139, 2136, 2006, 2130', () => {
    const l = newbornList();
    setField(l, 'setlinfo.nwb_bir_wt', '150');
    setField(l, 'setlinfo.dscg_way', '7');
    setField(l, 'setlinfo.poscode', '12345');
    setField(l, 'diseinfo.0.maindiag_flag', '0');
    l.icuinfo = [{ scs_cutd_ward_type: '2', scs_cutd_inpool_time: '2025-11-30 10:00:00', scs_cutd_exit_time: '2025-12-02 10:00:00', scs_cutd_sum_dura: '2/0/0' }];
    const r = runQc(l, fixtureContext(l));
    const codes = [...r.errors, ...r.warnings].map((x) => x.code);
    expect(codes).toEqual(expect.arrayContaining(['2132', '2139', '2136', '2006', '2130']));
    expect(r.errors.find((x) => x.code === '2132')).toMatchObject({ field: 'setlinfo.nwb_bir_wt', value: '150', message: '新生儿出生体重 150 克超出 200–20000 克' });
    expect(r.errors.find((x) => x.code === '2136')).toMatchObject({ node: 'icuinfo', row: 1, message: '重症监护时间 2025-11-30 10:00:00 早于入院时间 2025-12-01 08:30:00' });
    expect(r.errors.find((x) => x.code === '2006')!.message).toBe('离院方式“7”不在码表中（应为 1、2、3、4、5、9）');
    expect(r.warnings.find((x) => x.code === '2130')!.level).toBe('warning');
  });

  test('row findings are 1-based and describeFinding reads as a person would', () => {
    const l = setField(adultList(), 'diseinfo.1.diag_code', 'I99.999');
    const x = runQc(l, fixtureContext(l)).errors.find((e) => e.rule_id === '3010')!;
    expect(x).toMatchObject({ node: 'diseinfo', row: 2, field: 'diseinfo.diag_code' });
    expect(describeFinding(x)).toBe('[3010] diseinfo第2行 diseinfo.diag_code：诊断编码 I99.999 在出院日期 2025-12-08 不是有效的医保版 2.0 疾病诊断编码');
  });

  test('TCM diagnoses (diag_type 2/3) are not checked against the ICD-10 dictionary and cannot be the western principal', () => {
    const l = adultList();
    l.diseinfo!.push({ diag_type: '2', diag_code: 'BNG010', diag_name: '消渴病', adm_cond_type: '1', maindiag_flag: '0' });
    l.setlinfo.diag_code_cnt = '3';
    expect(runQc(l, fixtureContext(l)).errors).toEqual([]);
  });

  test('without the dictionaries or settlement in the context those rules are skipped, not failed', () => {
    const l = setField(adultList(), 'diseinfo.1.diag_code', 'I99.999');
    const r = runQc(l, { caller: 'H99010200001' });
    expect(r.errors.filter((x) => ['3010', '3050', '2133'].includes(x.code))).toEqual([]);
  });

  test('a region may pass its own rule list (a warning made blocking)', () => {
    const rules = QC_RULES.map((r) => (r.rule_id === '2130-poscode' ? { ...r, level: 'blocking' as const } : r));
    const l = setField(adultList(), 'setlinfo.poscode', '12345');
    expect(runQc(l, fixtureContext(l), rules).passed).toBe(false);
  });

  test('a multiple birth: several comma-separated weights are each checked', () => {
    const l = setField(newbornList(), 'setlinfo.nwb_bir_wt', '2400,1900');
    expect(runQc(l, fixtureContext(l)).errors).toEqual([]);
    setField(l, 'setlinfo.nwb_bir_wt', '2400,120');
    expect(runQc(l, fixtureContext(l)).errors.map((x) => x.rule_id)).toEqual(['2132-nwb_bir_wt']);
  });

  test('a list that is not a list at all still gets a report, never an exception', () => {
    const l = cloneList({ setlinfo: {} });
    const r = runQc(l, {});
    expect(r.passed).toBe(false);
    expect(r.errors.some((x) => x.rule_id === '2005-setl_id')).toBe(true);
    expect(r.errors.some((x) => x.rule_id === '2005-diseinfo')).toBe(true);
  });
});

describe('code helpers', () => {
  test('ranges, chapters, asterisk and morphology codes', () => {
    expect(inRange('W19.x00', 'V01-Y98')).toBe(true);
    expect(inRange('Z51.100', 'V01-Y98')).toBe(false);
    expect(inRange('I25.200', 'I25.2')).toBe(true);
    expect(inRange('A01.000x005+J17.0*', 'A00-B99')).toBe(true);
    expect(chapterOf('K80.100')!.range).toBe('K00-K93');
    expect(chapterOf('M80000/3')).toBeNull();
    expect(isAsteriskOnly('G63.2*')).toBe(true);
    expect(isAsteriskOnly('A01.000x005+J17.0*')).toBe(false);
    expect(isMorphology('M80000/3')).toBe(true);
    expect(isMorphology('M54.500')).toBe(false); // chapter M (musculoskeletal) is a disease, not a morphology
  });

  test('durations 天/小时/分钟', () => {
    expect(parseDuration('1/2/30')).toEqual({ d: 1, h: 2, m: 30 });
    expect(parseDuration('0天5小时30分钟')).toEqual({ d: 0, h: 5, m: 30 });
    expect(parseDuration('1/25/0')).toBeNull();
    expect(parseDuration('1/0/61')).toBeNull();
    expect(parseDuration('5')).toBeNull();
  });
});
