/**
 * What the demo knowledge set derives from the demo catalogue for the rules the quality evaluation found
 * uncovered: the national 单味使用不予支付 herbs (by herb, every processing and grade) and the once-per-day /
 * once-per-visit limits read from the catalogue's pricing units — each beside a look-alike that must stay out.
 */
import { describe, expect, test } from 'vitest';
import { generateCatalogue } from '../../demo/gen-catalogue.js';
import { demoKnowledgeSet, SINGLE_NOT_PAID } from './demo.js';

const cat = generateCatalogue(20_240_601);
const set = demoKnowledgeSet(cat);
const herbCode = (name: string) => cat.herbs.find((h) => h.hilist_name === name)!.hilist_code;
const service = (name: string) => cat.services.find((s) => s.hilist_name === name)!;
const limitsOf = (code: string) => set.freq!.filter((f) => f.hilist_code === code).map((f) => [f.period, Number(f.max_cnt), f.mai]);

describe('single-herb list', () => {
  test('lists a herb of the national list by its 5-character prefix (every processing); not a herb outside the list', () => {
    const herbs = new Set(set.herb!.map((h) => h.hilist_code));
    expect(herbs.has(`${herbCode('黄芪').slice(0, 5)}*`)).toBe(true);
    expect(herbs.has(`${herbCode('山药').slice(0, 5)}*`)).toBe(true);
    expect(herbs.has(`${herbCode('党参').slice(0, 5)}*`)).toBe(false);
    expect(herbs.has(`${herbCode('当归').slice(0, 5)}*`)).toBe(false);
    expect(SINGLE_NOT_PAID).not.toContain('党参');
  });
});

describe('once limits from the catalogue pricing unit', () => {
  test('an outpatient consultation (per 次) is once per visit; a per-day price once a day; a consultant call (会诊费) has no limit', () => {
    expect(limitsOf(service('普通门诊诊察费').hilist_code)).toEqual([['V', 1, '2']]);
    expect(limitsOf(service('住院诊察费').hilist_code)).toEqual([['D', 1, '2']]);
    expect(limitsOf(service('二级护理').hilist_code)).toEqual([['D', 1, '2']]);
    expect(limitsOf(service('静脉输液（第一组）').hilist_code)).toEqual([['D', 1, '2']]);
    expect(limitsOf(service('会诊费').hilist_code)).toEqual([]);
    expect(limitsOf(service('静脉输液（每增加一组）').hilist_code)).toEqual([]);
  });

  test('tests and imaging are once a day but appealable; per-session treatments are not limited', () => {
    const cbc = cat.services.find((s) => s.hilist_name.startsWith('血常规'))!;
    expect(limitsOf(cbc.hilist_code)).toEqual([['D', 1, '3']]);
    expect(limitsOf(service('推拿治疗').hilist_code)).toEqual([]);
    expect(limitsOf(service('雾化吸入').hilist_code)).toEqual([]);
  });

  test('imaging priced per 部位 is once a day for a single part, twice for a paired one (both sides)', () => {
    expect(limitsOf(service('CT平扫（胸部）').hilist_code)).toEqual([['D', 1, '3']]);
    expect(limitsOf(service('X线摄影（膝关节）').hilist_code)).toEqual([['D', 2, '3']]);
  });
});
