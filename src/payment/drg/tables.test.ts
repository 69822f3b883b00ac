import { mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { REFERENCE_DATA_DIR } from '../../standards/reference-data.js';
import { DrgGrouper } from './grouper.js';
import { DrgTableError, TABLE_FILES, loadDrgTables, readDrgTables, resolveVersionDir } from './tables.js';

// Test fixtures edit parsed JSON freely.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Loose = any;

const made: string[] = [];
afterAll(() => {
  for (const d of made) rmSync(d, { recursive: true, force: true });
});

const original = (file: string): string => readFileSync(join(REFERENCE_DATA_DIR, file), 'utf8');

/**
 * A version folder in a temporary directory: the 1.1 files (symlinked), with some replaced. A replacement is
 * the new text, a function of the parsed JSON, or null to leave the file out.
 */
function variant(name: string, changes: Record<string, string | null | ((doc: Loose) => unknown)>): string {
  const root = mkdtempSync(join(tmpdir(), 'yibao-drg-'));
  made.push(root);
  const dir = join(root, name); // the folder name is the version id
  mkdirSync(dir);
  for (const file of TABLE_FILES) {
    const change = changes[file];
    if (change === undefined) symlinkSync(join(REFERENCE_DATA_DIR, file), join(dir, file));
    else if (change === null) continue;
    else if (typeof change === 'string') writeFileSync(join(dir, file), change);
    else writeFileSync(join(dir, file), JSON.stringify(change(JSON.parse(original(file)))));
  }
  return dir;
}

function refusal(dir: string): DrgTableError {
  try {
    readDrgTables(dir);
  } catch (e) {
    expect(e).toBeInstanceOf(DrgTableError);
    return e as DrgTableError;
  }
  throw new Error('the tables were accepted');
}

const adrg = (doc: { adrgs: { code: string }[] }, code: string) => doc.adrgs.find((a) => a.code === code) as Loose;
const mdc = (doc: { mdcs: { code: string }[] }, code: string) => doc.mdcs.find((m) => m.code === code) as Loose;

describe('loading CHS-DRG 1.1', () => {
  const t = loadDrgTables('chs-drg-1.1');

  it('has the README counts', () => {
    expect(t.version).toBe('chs-drg-1.1');
    expect(t.mdcs.map((m) => m.code).join(',')).toBe(
      'MDCA,MDCP,MDCY,MDCZ,MDCM,MDCN,MDCB,MDCC,MDCD,MDCE,MDCF,MDCG,MDCH,MDCI,MDCJ,MDCK,MDCL,MDCO,MDCQ,MDCR,MDCS,MDCT,MDCU,MDCV,MDCW,MDCX',
    );
    expect(t.mdcs.filter((m) => m.preMdc).map((m) => m.code)).toEqual(['MDCA', 'MDCP', 'MDCY', 'MDCZ']);
    expect(t.adrgs.size).toBe(376);
    expect(t.drgNames.size).toBe(628);
    const rules = [...t.adrgs.values()].flatMap((a) => a.rules.map((r) => r.when));
    const count = (w: string) => rules.filter((x) => x === w).length;
    expect([count('ALWAYS'), count('MCC'), count('CC_OR_MCC'), count('ELSE')]).toEqual([192, 123, 129, 184]);
    expect([t.cc.size, t.mcc.size, t.ccExclusion.size, t.validOr.size, t.diagnoses.size, t.procedures.size]).toEqual([16568, 4678, 28302, 10251, 33304, 13686]);
    expect([t.diagnosisMap.size, t.procedureMap.size]).toEqual([35591, 13654]);
    expect(t.mdcs.every((m) => m.qy && !m.qy.enabled)).toBe(true);
    expect(t.mdcs.find((m) => m.code === 'MDCA')!.qy!.at).toBe(9); // after the last of its 9 ADRGs
    expect(t.mdcs.find((m) => m.code === 'MDCG')!.adrgs[t.mdcs.find((m) => m.code === 'MDCG')!.qy!.at]!.code).toBe('GR1');
  });

  it('fixes, and reports, the one map value with surrounding spaces', () => {
    expect(t.warnings).toEqual(['diagnosis-map.json 条目 B06.801+J17.1*：值 " B06.801+J17.1*" 含首尾空白，已去除']);
    expect(t.diagnosisMap.get('B06.801+J17.1*')).toBe('B06.801+J17.1*');
  });

  it('is loaded once per folder', () => {
    expect(loadDrgTables('chs-drg-1.1')).toBe(t);
    expect(loadDrgTables(REFERENCE_DATA_DIR)).toBe(t);
  });

  it('resolves version ids next to the bundled tables and refuses odd names', () => {
    expect(resolveVersionDir('chs-drg-1.1')).toBe(REFERENCE_DATA_DIR);
    expect(resolveVersionDir('chs-drg-2.0')).toBe(join(REFERENCE_DATA_DIR, '..', 'chs-drg-2.0'));
    expect(() => resolveVersionDir('a b')).toThrow('DRG 版本名不合法');
    expect(() => loadDrgTables('no-such-version')).toThrow(/mdcs\.json 条目 （整个文件）：文件不存在/);
  });
});

describe('a malformed table is refused, naming the file and the entry', () => {
  it('an unknown condition kind in an ADRG', () => {
    const dir = variant('bad-kind', {
      'adrgs.json': (d) => {
        adrg(d, 'GZ1').condition = { pdxInside: 'dx' };
        return d;
      },
    });
    const e = refusal(dir);
    expect(e.tableProblems).toEqual([{ file: 'adrgs.json', entry: 'GZ1', path: 'condition.pdxInside', message: '未知的条件类型“pdxInside”' }]);
    expect(e.message).toBe('DRG 分组表 bad-kind 校验不通过，共 1 处错误；第一处：adrgs.json 条目 GZ1（condition.pdxInside）：未知的条件类型“pdxInside”');
    expect(e.code).toBe('CONFIG');
    expect(e.problems[0]).toEqual({ field: 'adrgs.json 条目 GZ1 condition.pdxInside', message: '未知的条件类型“pdxInside”' });
  });

  it('a list that does not exist, a list element that is not a code, an unknown DRG and an unknown `when`', () => {
    const dir = variant('bad-adrg', {
      'adrgs.json': (d) => {
        adrg(d, 'GZ1').condition = { pdxIn: 'dxx' };
        adrg(d, 'HC2').lists.proc.push(51.23);
        adrg(d, 'BU2').drgs = [
          { drg: 'BU21', when: 'CC' },
          { drg: 'BU29', when: 'ELSE' },
        ];
        return d;
      },
    });
    const p = refusal(dir).tableProblems;
    expect(p).toContainEqual({ file: 'adrgs.json', entry: 'GZ1', path: 'condition.pdxIn', message: '引用的列表“dxx”在本条目的 lists 中不存在' });
    expect(p).toContainEqual({ file: 'adrgs.json', entry: 'HC2', path: 'lists.proc[9]', message: '列表元素必须是非空字符串，实际为 51.23' });
    expect(p).toContainEqual({ file: 'adrgs.json', entry: 'BU2', path: 'drgs[0].when', message: 'when 必须是 MCC、CC_OR_MCC、ELSE、ALWAYS 或条件对象，实际为 "CC"' });
    expect(p).toContainEqual({ file: 'adrgs.json', entry: 'BU2', path: 'drgs[1].drg', message: 'DRG BU29 在 drgs.json 中不存在' });
  });

  it('an unreachable split rule', () => {
    const dir = variant('bad-rule', {
      'adrgs.json': (d) => {
        adrg(d, 'GZ1').drgs = [
          { drg: 'GZ15', when: 'ELSE' },
          { drg: 'GZ13', when: 'CC_OR_MCC' },
        ];
        return d;
      },
    });
    expect(refusal(dir).tableProblems).toEqual([{ file: 'adrgs.json', entry: 'GZ1', path: 'drgs[1]', message: '规则不可达：前面的第 1 条规则无条件成立' }]);
  });

  it('a CC table id that is not a string', () => {
    const dir = variant('bad-cc', { 'cc.json': original('cc.json').replace('"K11.901": "110"', '"K11.901": 110') });
    expect(refusal(dir).tableProblems).toEqual([{ file: 'cc.json', entry: 'K11.901', path: '', message: '值必须是非空字符串，实际为 110' }]);
  });

  it('a file that is not JSON, and a missing file — all reported together', () => {
    const dir = variant('broken-files', { 'mdcs.json': original('mdcs.json').slice(0, 5000), 'procedures.json': null });
    const p = refusal(dir).tableProblems;
    expect(p.map((x) => `${x.file}|${x.entry}`)).toEqual(['mdcs.json|（整个文件）', 'procedures.json|（整个文件）']);
    expect(p[0]!.message).toMatch(/^不是有效的 JSON：/);
    expect(p[1]!.message).toMatch(/^文件不存在/);
  });

  it('an MDC listing an ADRG that does not exist, or another MDC\'s, and an order that misses an MDC', () => {
    const dir = variant('bad-mdc', {
      'mdcs.json': (d) => {
        mdc(d, 'MDCG').adrgs.push('GZ9', 'HC2');
        d.order = d.order.filter((c: string) => c !== 'MDCX');
        return d;
      },
    });
    const p = refusal(dir).tableProblems;
    expect(p).toContainEqual({ file: 'mdcs.json', entry: 'MDCG', path: 'adrgs[23]', message: 'ADRG GZ9 在 adrgs.json 中不存在' });
    expect(p).toContainEqual({ file: 'mdcs.json', entry: 'MDCG', path: 'adrgs[24]', message: 'ADRG HC2 在 adrgs.json 中属于 MDCH，不属于 MDCG' });
    expect(p).toContainEqual({ file: 'mdcs.json', entry: 'MDCX', path: 'order', message: 'MDC MDCX 未出现在 order 中' });
  });

  it('a bad gate, a bad QY position and a trauma map pointing at an unknown region', () => {
    const dir = variant('bad-gates', {
      'mdcs.json': (d) => {
        mdc(d, 'MDCM').gate = { all: [{ pdxIn: 'principalDiagnoses' }, { sex: 'M' }] };
        mdc(d, 'MDCG').qy.position = 'before XX1';
        mdc(d, 'MDCZ').traumaRegionMap['S01.801'] = '尾部创伤';
        return d;
      },
    });
    const p = refusal(dir).tableProblems;
    expect(p).toContainEqual({ file: 'mdcs.json', entry: 'MDCM', path: 'gate.all[1].sex', message: 'sex 的值必须是 "1" 或 "2"，实际为 "M"' });
    expect(p).toContainEqual({ file: 'mdcs.json', entry: 'MDCG', path: 'qy.position', message: 'qy.position 引用的 ADRG XX1 不在本 MDC 的 adrgs 中' });
    expect(p).toContainEqual({ file: 'mdcs.json', entry: 'MDCZ', path: 'traumaRegionMap.S01.801', message: '部位“尾部创伤”不在 traumaRegions 中' });
  });

  it('a valid-OR list entry that is not a code', () => {
    const dir = variant('bad-validor', { 'valid-or-procedures.json': (d) => [...d.slice(0, 3), null] });
    expect(refusal(dir).tableProblems).toEqual([{ file: 'valid-or-procedures.json', entry: '第 4 个', path: '[3]', message: '必须是非空字符串，实际为 null' }]);
  });
});

describe('another version or a regional variant loads as data, without code changes', () => {
  it('a variant that turns QY on for MDCG in its mdcs.json', () => {
    const dir = variant('regional-qy', {
      'mdcs.json': (d) => {
        mdc(d, 'MDCG').qy.enabled = true;
        return d;
      },
      'drgs.json': (d) => ({ ...d, GQY: '消化系统歧义组' }),
    });
    const g = new DrgGrouper(loadDrgTables(dir));
    expect(g.version).toBe('regional-qy');
    const r = g.group({ gend: '1', age: 60, diagnoses: ['K22.301'], procedures: ['36.1000'] });
    expect([r.status, r.drg, r.drg_name]).toEqual(['QY', 'GQY', '消化系统歧义组']);
    // …and the grouper can still turn it off.
    expect(new DrgGrouper(loadDrgTables(dir), { qy: false }).group({ gend: '1', age: 60, diagnoses: ['K22.301'], procedures: ['36.1000'] }).drg).toBe('GZ15');
  });

  it('a variant whose split rules use conditions (death with MCC, long stay)', () => {
    const dir = variant('split-ext', {
      'drgs.json': (d) => ({ ...d, GZ11: '其他消化系统诊断，伴严重并发症或合并症且死亡', GZ17: '其他消化系统诊断，住院≥60天' }),
      'adrgs.json': (d) => {
        adrg(d, 'GZ1').drgs = [
          { drg: 'GZ11', when: { all: [{ hasMCC: true }, { dischargeWay: ['5'] }] } },
          { drg: 'GZ17', when: { losDays: { gte: 60 } } },
          { drg: 'GZ13', when: 'CC_OR_MCC' },
          { drg: 'GZ15', when: 'ELSE' },
        ];
        return d;
      },
    });
    const g = new DrgGrouper(readDrgTables(dir));
    const base = { gend: '1', age: 60, ipt_days: 10, dscg_way: '1', diagnoses: ['K22.301', 'I50.900'] };
    expect(g.group(base).drg).toBe('GZ13');
    const died = g.group({ ...base, dscg_way: '5' });
    expect(died.drg).toBe('GZ11');
    expect(died.trace).toContain('DRG 细分（GZ1）：条件（有 MCC，离院方式 5 属于 5）：成立 → GZ11');
    expect(g.group({ ...base, ipt_days: 75 }).drg).toBe('GZ17');
  });

  it('a variant with a different MDC order (MDCB before MDCM/MDCN)', () => {
    const dir = variant('other-order', {
      'mdcs.json': (d) => {
        d.order = ['MDCA', 'MDCP', 'MDCY', 'MDCZ', 'MDCB', ...d.order.filter((c: string) => !['MDCA', 'MDCP', 'MDCY', 'MDCZ', 'MDCB'].includes(c))];
        return d;
      },
    });
    const t = readDrgTables(dir);
    expect(t.mdcs.map((m) => m.code).slice(4, 7)).toEqual(['MDCB', 'MDCM', 'MDCN']);
    expect(t.mdcs.map((m) => m.index)).toEqual(t.mdcs.map((_, i) => i));
  });
});
