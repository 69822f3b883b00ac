/**
 * The demo region's areas: a fictional province 99 (演示省) with two pooling areas (统筹区) and their
 * districts. Codes follow the national shape (xx0000 province, xxxx00 prefecture, xxxxxx district) but no
 * real area has province code 99.
 */
export interface DemoArea {
  admdvs: string;
  admdvs_name: string;
  admdvs_lv: '1' | '2' | '3';
  prnt_admdvs: string | null;
  poolarea_flag: '0' | '1';
}

export const DEMO_PROVINCE = '990000';
export const DEMO_POOL_AREAS = ['990100', '990200'] as const;

export const DEMO_AREAS: readonly DemoArea[] = [
  { admdvs: '990000', admdvs_name: '演示省', admdvs_lv: '1', prnt_admdvs: null, poolarea_flag: '0' },
  { admdvs: '990100', admdvs_name: '演示省甲市', admdvs_lv: '2', prnt_admdvs: '990000', poolarea_flag: '1' },
  { admdvs: '990102', admdvs_name: '甲市东城区', admdvs_lv: '3', prnt_admdvs: '990100', poolarea_flag: '0' },
  { admdvs: '990103', admdvs_name: '甲市西城区', admdvs_lv: '3', prnt_admdvs: '990100', poolarea_flag: '0' },
  { admdvs: '990121', admdvs_name: '甲市青山县', admdvs_lv: '3', prnt_admdvs: '990100', poolarea_flag: '0' },
  { admdvs: '990200', admdvs_name: '演示省乙市', admdvs_lv: '2', prnt_admdvs: '990000', poolarea_flag: '1' },
  { admdvs: '990202', admdvs_name: '乙市南湖区', admdvs_lv: '3', prnt_admdvs: '990200', poolarea_flag: '0' },
  { admdvs: '990203', admdvs_name: '乙市北岭区', admdvs_lv: '3', prnt_admdvs: '990200', poolarea_flag: '0' },
  { admdvs: '990221', admdvs_name: '乙市石门县', admdvs_lv: '3', prnt_admdvs: '990200', poolarea_flag: '0' },
];

/** The districts of a pooling area (where its people live and its institutions stand). */
export function districtsOf(pool: string): string[] {
  return DEMO_AREAS.filter((a) => a.prnt_admdvs === pool).map((a) => a.admdvs);
}

/** The date from which the demo region's reference rows are in force. */
export const DEMO_BEGNDATE = '2020-01-01';

/**
 * The fixed "as of" date the generators count ages, enrollment years and balances from. Fixed (not today) so
 * that the same seed gives the same region, byte for byte, whenever it is loaded.
 */
export const DEMO_AS_OF = '2026-01-01';

/** The demo catalogue is the province's (省级统一目录), as national catalogues are published by province. */
export const DEMO_CATALOGUE_ADMDVS = DEMO_PROVINCE;
