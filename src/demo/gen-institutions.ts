/**
 * Generates the demo region's designated institutions (hospitals of each level and retail pharmacies), their
 * agreements, and practitioners (医保医师, 药师, 护士) with payment-qualification history. Deterministic.
 */
import { Rng } from './prng.js';
import { DEMO_POOL_AREAS, districtsOf, DEMO_BEGNDATE } from './region.js';
import { GIVEN_FEMALE, GIVEN_MALE, SURNAMES } from './vocab-people.js';

export interface DemoInstitution {
  fixmedins_code: string;
  fixmedins_name: string;
  fixmedins_type: '1' | '2';
  hosp_lv: '1' | '2' | '3' | '9';
  admdvs: string;
  /** A pseudo unified social credit code body (17 chars); the loader appends the GB 32100 check character. */
  uscc_body: string;
  medins_natu: '1' | '2';
  addr: string;
}

export interface DemoPractitioner {
  prac_code: string;
  prac_name: string;
  prac_type: '1' | '2' | '3';
  fixmedins_code: string;
  dept: string;
  profttl: string;
  gend: '1' | '2';
  /** null = always qualified; otherwise one suspension of the payment qualification (then qualified again). */
  suspension: { begndate: string; enddate: string; reason: string } | null;
}

const HOSPITAL_NAMES: Record<'1' | '2' | '3', readonly string[]> = {
  '3': ['第一人民医院', '中心医院', '中医院', '妇幼保健院', '第二人民医院', '肿瘤医院', '儿童医院', '口腔医院'],
  '2': ['人民医院', '中医院', '第三人民医院', '骨科医院', '眼科医院', '康复医院', '妇产医院', '精神卫生中心', '传染病医院', '心血管病医院', '中西医结合医院', '职工医院'],
  '1': ['社区卫生服务中心', '镇卫生院', '街道卫生院', '乡卫生院', '社区医院'],
};
const PLACE_NAMES = ['东风', '红旗', '光明', '新城', '桥头', '河西', '清水', '南关', '北门', '长安', '石桥', '白沙', '青龙', '黄土坡', '柳林', '花园', '金山', '银湖', '凤凰', '太平'];
const DEPTS: Record<'1' | '2' | '3', readonly string[]> = {
  '1': ['全科医疗科', '中医科', '预防保健科'],
  '2': ['内科', '外科', '妇产科', '儿科', '急诊医学科', '中医科', '骨科', '眼科'],
  '3': ['心血管内科', '呼吸内科', '消化内科', '神经内科', '内分泌科', '肾内科', '肿瘤科', '普通外科', '骨科', '神经外科', '心胸外科', '泌尿外科', '妇科', '产科', '儿科', '重症医学科', '急诊医学科', '眼科', '耳鼻咽喉科', '康复医学科'],
};
const TITLES = ['住院医师', '主治医师', '副主任医师', '主任医师'];
/** Suspension windows of the payment qualification (记分暂停): ended ones (history) and a current one. */
const SUSPENSIONS = [
  { begndate: '2024-04-01', enddate: '2024-09-30', reason: '医保支付资格记分达到暂停标准' },
  { begndate: '2025-03-01', enddate: '2025-05-31', reason: '违规使用医保基金，暂停医保支付资格' },
  { begndate: '2026-03-01', enddate: '2026-08-31', reason: '医保支付资格记分达到暂停标准' },
] as const;

function pad(n: number, w: number): string {
  return String(n).padStart(w, '0');
}

export function generateInstitutions(rng: Rng): DemoInstitution[] {
  const out: DemoInstitution[] = [];
  const plan: [('1' | '2' | '3'), number][] = [['3', 6], ['2', 12], ['1', 20]];
  for (const pool of DEMO_POOL_AREAS) {
    const city = pool === '990100' ? '甲市' : '乙市';
    let serial = 0;
    for (const [lv, count] of plan) {
      for (let i = 0; i < count; i++) {
        serial++;
        const district = rng.pick(districtsOf(pool));
        const base = HOSPITAL_NAMES[lv][i % HOSPITAL_NAMES[lv].length]!;
        const name = lv === '1' ? `${city}${PLACE_NAMES[(i + serial) % PLACE_NAMES.length]}${base}` : lv === '3' || i < HOSPITAL_NAMES[lv].length ? `${city}${base}` : `${city}${PLACE_NAMES[i % PLACE_NAMES.length]}${base}`;
        out.push({
          fixmedins_code: `H${district}${pad(serial, 5)}`,
          fixmedins_name: name,
          fixmedins_type: '1',
          hosp_lv: lv,
          admdvs: district,
          uscc_body: `12${district}${pad(rng.int(0, 999_999_999), 9)}`.slice(0, 17),
          medins_natu: lv === '1' && rng.chance(0.3) ? '2' : rng.chance(0.85) ? '1' : '2',
          addr: `${city}${PLACE_NAMES[rng.int(0, PLACE_NAMES.length - 1)]}路${rng.int(1, 500)}号`,
        });
      }
    }
    for (let i = 0; i < 20; i++) {
      serial++;
      const district = rng.pick(districtsOf(pool));
      out.push({
        fixmedins_code: `P${district}${pad(serial, 5)}`,
        fixmedins_name: `${city}${rng.pick(['康宁', '益寿', '仁心', '百姓', '惠民', '同仁', '安康', '济世'])}大药房${PLACE_NAMES[i % PLACE_NAMES.length]}店`,
        fixmedins_type: '2',
        hosp_lv: '9',
        admdvs: district,
        uscc_body: `91${district}${pad(rng.int(0, 999_999_999), 9)}`.slice(0, 17),
        medins_natu: '2',
        addr: `${city}${PLACE_NAMES[rng.int(0, PLACE_NAMES.length - 1)]}街${rng.int(1, 300)}号`,
      });
    }
  }
  return out;
}

export function generatePractitioners(rng: Rng, institutions: DemoInstitution[]): DemoPractitioner[] {
  const out: DemoPractitioner[] = [];
  let serial = 0;
  for (const inst of institutions) {
    const doctors = inst.fixmedins_type === '2' ? 0 : inst.hosp_lv === '3' ? rng.int(40, 70) : inst.hosp_lv === '2' ? rng.int(15, 30) : rng.int(4, 8);
    const pharmacists = inst.fixmedins_type === '2' ? rng.int(2, 4) : inst.hosp_lv === '3' ? 6 : inst.hosp_lv === '2' ? 3 : 1;
    const nurses = inst.fixmedins_type === '2' ? 0 : Math.ceil(doctors * 0.3);
    const add = (type: '1' | '2' | '3', count: number) => {
      for (let i = 0; i < count; i++) {
        serial++;
        const gend: '1' | '2' = type === '3' ? (rng.chance(0.9) ? '2' : '1') : rng.chance(0.5) ? '1' : '2';
        const prefix = type === '1' ? 'D' : type === '2' ? 'Y' : 'N';
        const suspended = type === '1' && rng.chance(0.02);
        out.push({
          prac_code: `${prefix}${inst.admdvs}${pad(serial, 5)}`,
          prac_name: rng.weighted(SURNAMES) + rng.pick([...(gend === '1' ? GIVEN_MALE : GIVEN_FEMALE)]) + (rng.chance(0.6) ? rng.pick([...(gend === '1' ? GIVEN_MALE : GIVEN_FEMALE)]) : ''),
          prac_type: type,
          fixmedins_code: inst.fixmedins_code,
          dept: type === '2' ? '药剂科' : rng.pick(DEPTS[inst.hosp_lv === '9' ? '1' : inst.hosp_lv]),
          profttl: type === '1' ? rng.weighted([[TITLES[0]!, 30], [TITLES[1]!, 35], [TITLES[2]!, 22], [TITLES[3]!, 13]] as const) : type === '2' ? '药师' : '护师',
          gend,
          suspension: suspended ? rng.pick(SUSPENSIONS) : null,
        });
      }
    };
    add('1', doctors);
    add('2', pharmacists);
    add('3', nurses);
  }
  return out;
}

export { DEMO_BEGNDATE };
