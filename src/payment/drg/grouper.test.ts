/**
 * The grouper on the real CHS-DRG 1.1 tables (reference-data/chs-drg-1.1): the documented worked example, the
 * test cases listed in shared/reference/drg-dip.md §7, and a hand-made case for every branch of the algorithm
 * and every condition kind as it occurs in the tables.
 */
import { describe, expect, it } from 'vitest';
import { drgGrouper, type DrgResult } from './index.js';

const g = drgGrouper('chs-drg-1.1');
const group = (input: unknown) => g.group(input);

function expectDrg(r: DrgResult, drg: string, adrg = drg.slice(0, 3), mdc = `MDC${drg[0]}`): void {
  expect({ status: r.status, mdc: r.mdc, adrg: r.adrg, drg: r.drg }, r.trace.join('\n')).toEqual({ status: 'grouped', mdc, adrg, drg });
  expect(r.drg_name).toBe(g.tables.drgNames.get(drg));
}

function expect0000(r: DrgResult, status: DrgResult['status'] = '0000'): void {
  expect({ status: r.status, mdc: r.mdc, adrg: r.adrg, drg: r.drg, drg_name: r.drg_name, cc_mcc: r.cc_mcc }).toEqual({
    status,
    mdc: '0000',
    adrg: '00',
    drg: '0000',
    drg_name: null,
    cc_mcc: null,
  });
}

const adult = (diagnoses: string[], procedures: string[] = [], gend = '1') => ({ gend, age: 60, diagnoses, procedures });
const newborn = (diagnoses: string[], days: number, weight: number | null, procedures: string[] = []) => ({
  gend: '1',
  age: 0,
  age_days: days,
  nwb_bir_wt: weight,
  diagnoses,
  procedures,
});

describe('worked example (OpenDRG/DRG_Python README case #1, drg-dip.md §1.5, §7.1)', () => {
  it('K22.301 食管破裂 (exclusion table 111) with CC K11.901 (table 110) → GZ13', () => {
    const r = group(adult(['K22.301', 'K11.901']));
    expectDrg(r, 'GZ13');
    expect(r.drg_name).toBe('其他消化系统诊断，伴并发症或合并症');
    expect(r.cc_mcc).toEqual({
      level: 'CC',
      code: 'K11.901',
      mcc: null,
      cc: { code: 'K11.901', index: 1, table: '110' },
      exclusion_table: '111',
      excluded: [],
    });
    expect(r.trace).toContain('并发症/合并症：主要诊断 K22.301 的排除表为 111');
    expect(r.trace).toContain('其他诊断 K11.901 是 CC（排除表 110），未被主要诊断排除，计为 CC');
    expect(r.trace).toContain('DRG 细分（GZ1）：伴 CC 或 MCC：成立 → GZ13');
    expect(r.trace.at(-1)).toBe('分组结果：GZ13 其他消化系统诊断，伴并发症或合并症');
  });

  it('the same case from a settlement list (4101) groups the same', () => {
    const r = group({
      setlinfo: { setl_id: 'S1', gend: '1', age: 60, act_ipt_days: 7, dscg_way: '1' },
      diseinfo: [
        { diag_type: '1', diag_code: 'K11.901', maindiag_flag: '0' },
        { diag_type: '1', diag_code: 'K22.301', maindiag_flag: '1' },
      ],
      oprninfo: [],
    });
    expectDrg(r, 'GZ13');
    expect(r.id).toBe('S1');
  });
});

describe('drg-dip.md §7.2 — version-contrast cases under 1.1', () => {
  it('male 45, K80.101 + I50.900, 51.2300 腹腔镜胆囊切除 → HC29 (HC2 unsplit in 1.1)', () => {
    const r = group({ gend: '1', age: 45, diagnoses: ['K80.101', 'I50.900'], procedures: ['51.2300'] });
    expectDrg(r, 'HC29');
    expect(r.cc_mcc?.level).toBe('MCC');
  });

  it('male 68, 医嘱离院, K80.000x004 + K86.000, I10.x04, E11.600x051, 51.2300 → HC29', () => {
    const r = group({ gend: '1', age: 68, dscg_way: '1', diagnoses: ['K80.000x004', 'K86.000', 'I10.x04', 'E11.600x051'], procedures: ['51.2300'] });
    expectDrg(r, 'HC29');
    // K86.000 is a CC of the principal's own exclusion table 118; E11.600x051 counts.
    expect(r.cc_mcc).toMatchObject({ level: 'CC', code: 'E11.600x051', exclusion_table: '118', excluded: [{ code: 'K86.000', kind: 'CC', table: '118' }] });
  });
});

describe('drg-dip.md §7.3 — validation and edge cases', () => {
  it('sex empty → 信息校验不通过 "病人性别为空"', () => {
    const r = group({ gend: '', age: 60, diagnoses: ['K22.301'] });
    expect0000(r, 'invalid');
    expect(r.reason).toBe('信息校验不通过：病人性别为空');
    expect(group({ age: 60, diagnoses: ['K22.301'] }).reason).toBe('信息校验不通过：病人性别为空');
  });

  it('age 0, ≤ 28 days, birth weight 0 (or missing) → newborn birth weight required', () => {
    expect(group(newborn(['P22.000'], 3, 0)).reason).toBe('信息校验不通过：新生儿的出生体重必须有值');
    expect(group(newborn(['P22.000'], 28, null)).status).toBe('invalid');
    expect(group({ gend: '1', age: '', age_days: '', nwb_bir_wt: '', diagnoses: ['P22.000'] }).status).toBe('invalid');
    expectDrg(group(newborn(['P22.000'], 29, null)), 'PV15', 'PV1'); // older than 28 days: no weight needed
  });

  it('no diagnoses → 诊断信息为空', () => {
    expect(group(adult([])).reason).toBe('信息校验不通过：诊断信息为空');
    expect(group({ gend: '1', age: 60 }).status).toBe('invalid');
  });

  it('validation runs in OpenDRG order: sex before diagnoses', () => {
    expect(group({ gend: '', diagnoses: [] }).reason).toBe('信息校验不通过：病人性别为空');
  });

  it('dx not in diagnosis-map with strict code mapping → unmapped', () => {
    const strict = drgGrouper('chs-drg-1.1', { codeMapping: 'strict' });
    const r = strict.group(adult(['K22.301', 'NOT.A.CODE']));
    expect0000(r, 'unmapped');
    expect(r.reason).toBe('诊断不能转换为分组器支持的编码：NOT.A.CODE');
    expect(strict.group(adult(['K22.301'], ['99.9999'])).reason).toBe('手术操作不能转换为分组器支持的编码：99.9999');
    // A 医保版 code that is missing from the map is refused too — that is what strict (TRANS_CODE) means.
    expect(strict.group(adult(['A04.701'])).status).toBe('unmapped');
    expectDrg(strict.group(adult(['K22.301', 'K11.901'])), 'GZ13');
  });

  it('PD in no MDC list → MDC 0000, ADRG 00, DRG 0000, 无法入组', () => {
    const r = group(adult(['W19.x00']));
    expect0000(r);
    expect(r.reason).toBe('无法入组：主要诊断 W19.x00 未能进入任何 MDC');
    expect(group(adult(['NOT.A.CODE'])).reason).toContain('该编码不在本版本的字典与分组表中');
  });

  it('PD in the MDCN list only, sex male → MDCN skipped → 0000, reason names the sex', () => {
    const r = group(adult(['A18.100x024+N74.1*'], [], '1'));
    expect0000(r);
    expect(r.reason).toBe('无法入组：MDCN：性别为男，不符合要求（女）');
    expect(r.trace).toContain('未进入 MDCN（女性生殖系统疾病及功能障碍）：主要诊断 A18.100x024+N74.1* 在 MDCN 的主要诊断表中，性别为男，不符合要求（女）');
    expectDrg(group(adult(['A18.100x024+N74.1*'], [], '2')), 'NS19', 'NS1');
  });

  it('PD in the MDCM list only, sex female → 0000', () => {
    expect(group(adult(['A06.800x004+N51.2*'], [], '2')).reason).toBe('无法入组：MDCM：性别为女，不符合要求（男）');
  });

  it('a sex other than 1/2 passes validation but satisfies neither sex gate', () => {
    const r = group(adult(['A18.100x024+N74.1*'], [], '9'));
    expect0000(r);
    expect(r.reason).toContain('性别为“9”');
    expectDrg(group(adult(['A18.100x024+N74.1*'], [], '女')), 'NS19', 'NS1');
  });

  it('MDCZ principal diagnosis with injuries in only one region → not MDCZ', () => {
    const one = group(adult(['S01.801', 'S01.800x011']));
    expectDrg(one, 'BY15', 'BY1');
    expect(one.trace).toContain('未进入 MDCZ（多发严重创伤）：主要诊断 S01.801 在 MDCZ 的主要诊断表中，创伤部位 1 个（头颈部创伤），不满足 ≥ 2');
    expectDrg(group(adult(['S01.801', 'S21.101'])), 'ZZ15', 'ZZ1');
  });

  it('newborn ≤ 28 days with a PS-list diagnosis, birth weight 1400 / 1800 / 2200 / 2600 g → PS1 / PS2 / PS3 / PS4', () => {
    expectDrg(group(newborn(['P07.200'], 3, 1400)), 'PS15', 'PS1');
    expectDrg(group(newborn(['P07.200'], 3, 1800)), 'PS25', 'PS2');
    expectDrg(group(newborn(['P07.200'], 3, 2200)), 'PS39', 'PS3');
    expectDrg(group(newborn(['P07.200'], 3, 2600)), 'PS45', 'PS4');
    // The band bounds: 1500 is PS2, 2500 is PS4.
    expectDrg(group(newborn(['P07.200'], 3, 1500)), 'PS25', 'PS2');
    expectDrg(group(newborn(['P07.200'], 3, 2500)), 'PS45', 'PS4');
  });

  it('W19.x00 as principal diagnosis (a V01–Y98 external cause) is ungroupable under 1.1 too', () => {
    expect0000(group(adult(['W19.x00'])));
  });

  it('QY on for MDCG (as in regional schemes): MDCG PD + valid OR procedure outside MDCG surgical ADRGs → GQY', () => {
    const qy = drgGrouper('chs-drg-1.1', { qy: { MDCG: true } });
    expect(qy.qyEnabled('MDCG')).toBe(true);
    expect(qy.qyEnabled('MDCB')).toBe(false);
    const r = qy.group(adult(['K22.301'], ['36.1000']));
    expect({ status: r.status, mdc: r.mdc, adrg: r.adrg, drg: r.drg }).toEqual({ status: 'QY', mdc: 'MDCG', adrg: 'GQY', drg: 'GQY' });
    expect(r.reason).toBe('歧义病案：手术 36.1000 是有效手术室手术，但不满足 MDCG 中 GR1 之前的任何 ADRG 的条件');
    // A surgical ADRG of the MDC still wins; no valid OR procedure → medical ADRG.
    expectDrg(qy.group(adult(['K22.301'], ['40.5902'])), 'GB15', 'GB1');
    expectDrg(qy.group(adult(['K22.301'], ['00.0100'])), 'GZ15', 'GZ1');
  });

  it('QY is off in every MDC of 1.1 as shipped: the same case is GZ15', () => {
    expect(g.tables.mdcs.every((m) => !g.qyEnabled(m.code))).toBe(true);
    expectDrg(group(adult(['K22.301'], ['36.1000'])), 'GZ15', 'GZ1');
    const all = drgGrouper('chs-drg-1.1', { qy: true });
    expect(all.group(adult(['K22.301'], ['36.1000'])).drg).toBe('AQY'); // MDCA's check sits after its last ADRG
  });
});

describe('pre-MDCs', () => {
  it('MDCA: gate = main procedure is a valid OR procedure; transplants by main procedure', () => {
    expectDrg(group(adult(['K74.600'], ['50.5100'])), 'AB19');
    expectDrg(group(adult(['N18.500'], ['55.6100'])), 'AE19');
    const r = group(adult(['N18.500'], ['52.8000', '00.0100']));
    expectDrg(r, 'AD19');
  });

  it('MDCA AC1 双手术: pancreas and kidney procedures anywhere in the list', () => {
    expectDrg(group(adult(['N18.500'], ['55.6100', '52.8000'])), 'AC19');
  });

  it('MDCA AH1 splits by MCC only', () => {
    expectDrg(group(adult(['J96.000', 'I50.900'], ['96.7201'])), 'AH11');
    expectDrg(group(adult(['J96.000', 'K11.901'], ['96.7201'])), 'AH15');
  });

  it('MDCA gate open but no MDCA ADRG → the next MDCs', () => {
    const r = group(adult(['K80.101'], ['51.2300']));
    expectDrg(r, 'HC29');
    expect(r.trace).toContain('进入 MDCA（先期分组疾病及相关操作）：主要手术 51.2300 是有效手术室手术');
    expect(r.trace).toContain('MDCA 的 9 个 ADRG 均不满足条件，继续尝试后面的 MDC');
  });

  it('MDCA gate closed when the valid OR procedure is not the main one', () => {
    const r = group(adult(['K80.101'], ['00.0100', '50.5100']));
    expect(r.trace[2]).toBe('未进入 MDCA（先期分组疾病及相关操作）：主要手术 00.0100 不是有效手术室手术');
  });

  it('MDCP: gate = PD in the MDCP list and age 0; ADRGs by age in days and procedure', () => {
    expectDrg(group(newborn(['P22.000'], 2, 3000)), 'PR15', 'PR1');
    expectDrg(group(newborn(['P22.000', 'I50.900'], 2, 3000)), 'PR11', 'PR1');
    expectDrg(group(newborn(['P22.000'], 10, 3000, ['34.0200x003'])), 'PB19', 'PB1');
    expectDrg(group(newborn(['P22.000'], 29, 3000, ['34.0200x003'])), 'PV15', 'PV1'); // PB1 needs ≤ 28 days; PV1 is "always"
    const r = group({ gend: '1', age: 1, age_days: 400, diagnoses: ['P22.000'] });
    expect0000(r);
    expect(r.reason).toBe('无法入组：MDCP：年龄 1 岁不满足 = 0');
  });

  it('MDCP: a newborn with unknown age in days does not meet the ≤ 28 days ADRGs', () => {
    expectDrg(group({ gend: '2', age: 0, nwb_bir_wt: 1200, diagnoses: ['P07.200'] }), 'PV15', 'PV1');
  });

  it('MDCY: HIV principal diagnosis; YC1 with any HIV diagnosis and a valid OR main procedure', () => {
    expectDrg(group(adult(['B20.001'])), 'YR15', 'YR1');
    expectDrg(group(adult(['B20.001'], ['51.2300'])), 'YC15', 'YC1');
    expectDrg(group(adult(['Z21.x00x001'])), 'YR29', 'YR2');
  });

  it('MDCZ: ≥ 2 trauma regions; ZB1 by procedure, ZZ1 = no valid OR procedure', () => {
    expectDrg(group(adult(['S01.801', 'S21.101'], ['01.0900x006'])), 'ZB19', 'ZB1');
    expectDrg(group(adult(['S01.801', 'S21.101'], ['51.2300'])), 'ZJ15', 'ZJ1');
    expectDrg(group(adult(['S01.801', 'S21.101'], ['00.0100'])), 'ZZ15', 'ZZ1');
  });

  it('MDCZ needs the principal diagnosis in its list: regions from secondaries alone do not count', () => {
    expectDrg(group(adult(['K22.301', 'S01.801', 'S21.101'])), 'GZ13', 'GZ1');
  });
});

describe('MDC by principal diagnosis, sex gates, ADRG order', () => {
  it('a code in both the MDCM and MDCN lists goes by sex', () => {
    // C79.800x228 is in no ADRG of MDCM/MDCN other than their lists, so both continue to 0000; the trace shows the gate.
    const m = group(adult(['C79.800x228'], [], '1'));
    expect(m.trace).toContain('进入 MDCM（男性生殖系统疾病及功能障碍）：主要诊断 C79.800x228 在 MDCM 的主要诊断表中，性别为男，符合要求（男）');
    const f = group(adult(['C79.800x228'], [], '2'));
    expect(f.trace).toContain('进入 MDCN（女性生殖系统疾病及功能障碍）：主要诊断 C79.800x228 在 MDCN 的主要诊断表中，性别为女，符合要求（女）');
  });

  it('first matching ADRG wins: IB1 (both spine lists) before IB3', () => {
    expectDrg(group(adult(['A18.000x047+M49.0*'], ['03.0900x007', '03.0900x025'])), 'IB19', 'IB1');
    expectDrg(group(adult(['A18.000x047+M49.0*'], ['03.0900x025'])), 'IB39', 'IB3');
  });

  it('procedure groups: JA1 (1+2), JA2 (1, or 2+3), NA1 (1, or 2+3)', () => {
    expectDrg(group(adult(['C50.900x005'], ['85.4300x003', '85.5300x001'], '2')), 'JA19', 'JA1');
    expectDrg(group(adult(['C50.900x005'], ['85.4303'], '2')), 'JA29', 'JA2');
    expectDrg(group(adult(['C50.900x005'], ['85.2100x003', '40.2100'], '2')), 'JA29', 'JA2');
    expectDrg(group(adult(['C57.800x004'], ['54.4x00x006', '40.2900x023'], '2')), 'NA19', 'NA1');
    expectDrg(group(adult(['C57.800x004'], ['54.4x00x006'], '2')), 'NJ19', 'NJ1');
  });

  it('"存在手术" ADRGs (mainProcValidOr): SB1, TB1, WJ1, XJ1', () => {
    expectDrg(group(adult(['A41.900'], ['51.2300'])), 'SB15', 'SB1');
    expectDrg(group(adult(['F20.000'], ['51.2300'])), 'TB19', 'TB1');
    expectDrg(group(adult(['T20.000'], ['51.2300'])), 'WJ19', 'WJ1');
    expectDrg(group(adult(['B90.000'], ['51.2300'])), 'XJ15', 'XJ1');
  });

  it('no ADRG in the MDC → the next MDC, and 0000 when none is left', () => {
    const r = group({ gend: '2', age: 28, diagnoses: ['O80.000'] });
    expect0000(r);
    expect(r.reason).toBe('无法入组：进入 MDCO 但没有满足条件的 ADRG');
    expect(r.trace).toContain('MDCO 的 13 个 ADRG 均不满足条件，继续尝试后面的 MDC');
  });

  it('empty procedures: medical ADRG; a non-OR procedure does not make it surgical', () => {
    expectDrg(group(adult(['K80.101'])), g.group(adult(['K80.101'], ['00.0100'])).drg);
    expect(group({ gend: '1', age: 60, diagnoses: ['K22.301'] }).status).toBe('grouped');
  });
});

describe('CC / MCC with exclusion tables', () => {
  it('MCC → x1, CC → x3, none → x5 (YR1: MCC → CC_OR_MCC → ELSE)', () => {
    const mcc = group(adult(['B20.001', 'I50.900']));
    expectDrg(mcc, 'YR11', 'YR1');
    expect(mcc.cc_mcc).toMatchObject({ level: 'MCC', code: 'I50.900', mcc: { code: 'I50.900', index: 1, table: '95' } });
    expectDrg(group(adult(['B20.001', 'K11.901'])), 'YR13', 'YR1');
    expectDrg(group(adult(['B20.001'])), 'YR15', 'YR1');
    expectDrg(group(adult(['B20.001', 'A00.000'])), 'YR15', 'YR1'); // a secondary that is neither
  });

  it('an MCC satisfies "CC_OR_MCC" in a two-way split (GZ13/GZ15)', () => {
    expectDrg(group(adult(['K22.301', 'I50.900'])), 'GZ13', 'GZ1');
  });

  it('a CC in the principal diagnosis\'s exclusion table does not count', () => {
    const r = group(adult(['K22.301', 'K22.000']));
    expectDrg(r, 'GZ15', 'GZ1');
    expect(r.cc_mcc).toEqual({ level: 'none', code: null, mcc: null, cc: null, exclusion_table: '111', excluded: [{ code: 'K22.000', index: 1, table: '111', kind: 'CC' }] });
    expect(r.trace).toContain('其他诊断 K22.000 是 CC（排除表 111），与主要诊断的排除表相同，不计入');
  });

  it('an MCC in the principal diagnosis\'s exclusion table does not count (YR1 with B20.000)', () => {
    const r = group(adult(['B20.001', 'B20.000']));
    expectDrg(r, 'YR15', 'YR1');
    expect(r.cc_mcc?.excluded).toEqual([{ code: 'B20.000', index: 1, table: '13', kind: 'MCC' }]);
  });

  it('README example: G20.x03 (table 66) + R90.803 (CC 185) counts; a CC of table 66 does not', () => {
    expect(group(adult(['G20.x03', 'R90.803'])).cc_mcc).toMatchObject({ level: 'CC', code: 'R90.803' });
    expect(group(adult(['G20.x03', 'E87.600'])).cc_mcc).toMatchObject({ level: 'CC', code: 'E87.600' });
    expect(group(adult(['G20.x03', 'G20.x00'])).cc_mcc).toMatchObject({ level: 'none', excluded: [{ code: 'G20.x00', table: '66' }] });
  });

  it('excluded and counting secondaries together; the first counting one is reported', () => {
    const r = group(adult(['K22.301', 'K22.000', 'K22.300', 'K11.901', 'I50.900']));
    expectDrg(r, 'GZ13', 'GZ1');
    expect(r.cc_mcc).toMatchObject({ level: 'MCC', code: 'I50.900', cc: { code: 'K11.901', index: 3 }, mcc: { code: 'I50.900', index: 4 } });
    expect(r.cc_mcc?.excluded.map((e) => `${e.kind}:${e.code}`)).toEqual(['CC:K22.000', 'MCC:K22.300']);
  });

  it('a repeat of the principal code as a secondary is judged like any other', () => {
    // K22.301 is an MCC of table 111, the principal's own table: excluded.
    expect(group(adult(['K22.301', 'K22.301'])).cc_mcc?.excluded).toEqual([{ code: 'K22.301', index: 1, table: '111', kind: 'MCC' }]);
  });
});

describe('code mapping', () => {
  it('fallback (default): a code the version does not know is translated by diagnosis-map, and the trace says so', () => {
    const r = group(adult(['A01.000x002']));
    expectDrg(r, 'SR15', 'SR1');
    expect(r.trace).toContain('诊断 A01.000x002 按 diagnosis-map.json 转换为 A01.003（伤寒杆菌性脓毒症）');
  });

  it('fallback keeps codes the version knows even when the map would change them', () => {
    // K43.900 is not in diagnoses.json but is in a grouping list; the map would turn it into K43.600.
    const r = group(adult(['K43.900']));
    expect(r.trace.some((l) => l.includes('K43.900 按'))).toBe(false);
  });

  it('off: codes as given (OpenDRG default)', () => {
    expect0000(drgGrouper('chs-drg-1.1', { codeMapping: 'off' }).group(adult(['A01.000x002'])));
  });

  it('an unknown code that cannot be mapped is noted and simply matches nothing', () => {
    const r = group(adult(['K22.301', 'ZZZ.999']));
    expectDrg(r, 'GZ15', 'GZ1');
    expect(r.trace.some((l) => l.startsWith('诊断 ZZZ.999 不在本版本的字典与分组表中'))).toBe(true);
  });

  it('procedures are mapped too', () => {
    const r = drgGrouper('chs-drg-1.1', { codeMapping: 'strict' }).group(adult(['K80.101'], ['00.6500x014']));
    expect(r.trace).toContain('手术操作 00.6500x014 按 procedure-map.json 转换为 00.6501（经皮大脑中动脉支架置入术）');
  });
});

describe('never throws', () => {
  it.each([
    ['undefined', undefined],
    ['a number', 42],
    ['an array', [1]],
    ['a string', 'K22.301'],
    ['diagnoses of objects without codes', { gend: '1', diagnoses: [{}] }],
    ['a bad 4101', { setlinfo: { gend: '1' }, diseinfo: 'x' }],
    ['an empty principal code', { gend: '1', age: 3, diagnoses: [''] }],
  ])('%s → a result with a Chinese reason', (_label, input) => {
    const r = g.group(input);
    expect(['invalid', '0000']).toContain(r.status);
    expect(r.reason).toMatch(/[\u4e00-\u9fff]/);
  });

  it('trace can be switched off per call and per grouper', () => {
    expect(g.group(adult(['K22.301']), { trace: false }).trace).toEqual([]);
    expect(drgGrouper('chs-drg-1.1', { trace: false }).group(adult(['K22.301'])).trace).toEqual([]);
  });
});
