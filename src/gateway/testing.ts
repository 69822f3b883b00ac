/**
 * A small real world for the gateway tests, loaded through the domain services: areas 990000 / 990100 (pool) /
 * 990102, a hospital and a pharmacy, three insured persons (one with a social-security card, one with an account),
 * a few catalogue items of each kind, a few diagnoses and procedures, the shipped code tables, interface
 * credentials (apikey; TIF for the hospital) — and a Fastify instance with only the gateway plugin. Also the
 * request builder that writes envelopes the way HIS clients send them (strings everywhere, empty strings for
 * absent fields, extra vendor fields). Used by src/gateway tests only; each test file gets its own database.
 */
import Fastify, { type FastifyBaseLogger, type FastifyInstance, type LightMyRequestResponse } from 'fastify';
import type { Logger } from 'pino';
import { DEFAULT_CONFIG, type Config } from '../platform/config.js';
import { openTestDb, type Db } from '../platform/db.js';
import { createLogger } from '../platform/logging.js';
import { migrate } from '../platform/migrations.js';
import { SYSTEM_ACTOR } from '../platform/oplog.js';
import { compactTime } from '../platform/time.js';
import { certnoCheckChar } from '../enrollment/certno.js';
import { bulkEnroll } from '../enrollment/persons.js';
import { importAreas } from '../standards/admdvs-import.js';
import { bulkLoadCatalogue } from '../standards/catalogue/load.js';
import type { CatalogueItemInput } from '../standards/catalogue/types.js';
import { DIAGNOSES, insertBundled, PROCEDURES } from '../standards/coded-list.js';
import { insertShippedDict } from '../standards/dict.js';
import { bulkLoadInstitutions } from '../standards/institutions/institutions.js';
import { usccCheckChar } from '../standards/institutions/uscc.js';
import { issueCredential } from './credentials.js';
import type { GatewayOptions } from './dispatch.js';
import { gatewayRoutes } from './routes.js';

export const HOSPITAL = 'H99010200001';
export const PHARMACY = 'P99010200002';
export const HOSPITAL_NAME = '甲市第一人民医院';
export const TIF_PAASID = 'mbs_fsi_auth';

const certno = (first17: string) => first17 + certnoCheckChar(first17);
const uscc = (body17: string) => body17 + usccCheckChar(body17);

export const PERSONS = {
  /** Employee with a social-security card and a personal account of 1373.63 元. */
  zhang: { certno: certno('99010219800506011'), psn_name: '张三丰', card_no: 'A99000001', gend: '1', brdy: '1980-05-06' },
  /** Resident (城乡居民). */
  li: { certno: certno('99010220010203002'), psn_name: '李四', card_no: null, gend: '2', brdy: '2001-02-03' },
};

export const ITEMS: CatalogueItemInput[] = [
  { hilist_code: 'XA10BAE001A001010100001', hilist_name: '二甲双胍片', list_type: '101', med_chrgitm_type: '09', chrgitm_lv: '01', selfpay_bp: 0, pric_uplmt: { '1': 90, '2': 100, '3': 110 }, insu_admdvs: '990100', dosform: '片剂', spec: '0.5g', begndate: '2024-01-01' },
  { hilist_code: 'XG04CAE002A002010100002', hilist_name: '坦索罗辛缓释胶囊', list_type: '101', med_chrgitm_type: '09', chrgitm_lv: '02', selfpay_bp: 1000, pric_uplmt: { '2': 2100 }, insu_admdvs: '990100', begndate: '2024-01-01' },
  { hilist_code: 'ZA01AAA0001B001010100', hilist_name: '感冒清热颗粒', list_type: '102', med_chrgitm_type: '11', chrgitm_lv: '01', selfpay_bp: 0, pric_uplmt: {}, insu_admdvs: '990100', begndate: '2024-01-01' },
  { hilist_code: 'T000100222', hilist_name: '黄芪', list_type: '103', med_chrgitm_type: '10', chrgitm_lv: '01', selfpay_bp: 0, pric_uplmt: {}, insu_admdvs: '990100', begndate: '2024-01-01' },
  { hilist_code: '001102000010000', hilist_name: '普通门诊诊查费', list_type: '201', med_chrgitm_type: '02', chrgitm_lv: '01', selfpay_bp: 0, pric_uplmt: { '2': 1000 }, insu_admdvs: '990100', begndate: '2024-01-01' },
  { hilist_code: 'C0101010010100100001', hilist_name: '一次性使用无菌注射器', list_type: '301', med_chrgitm_type: '08', chrgitm_lv: '02', selfpay_bp: 2000, pric_uplmt: {}, insu_admdvs: '990100', begndate: '2024-01-01' },
];

export const DIAGS = [
  { code: 'E11.900', name: '2型糖尿病' },
  { code: 'I10.x00', name: '原发性高血压' },
  { code: 'J06.900', name: '急性上呼吸道感染' },
];
export const PROCS = [
  { code: '47.0100', name: '腹腔镜下阑尾切除术' },
  { code: '89.0200', name: '问诊和评估' },
];

export interface GatewayWorld {
  db: Db;
  app: FastifyInstance;
  config: Config;
  psn: { zhang: string; li: string };
  /** Issued keys (shown once by issueCredential). */
  keys: { hospital: string; pharmacy: string; tifToken: string };
  /** POSTs a body (object → JSON text, string as is) with the hospital's apikey unless headers say otherwise. */
  post(body: unknown, opts?: { headers?: Record<string, string>; path?: string; contentType?: string | null }): Promise<LightMyRequestResponse>;
  /** Envelope as a HIS sends it; `over` replaces or adds envelope fields. */
  envelope(infno: string, input: unknown, over?: Record<string, unknown>): Record<string, unknown>;
  /** Signs the hospital's operator in (9001) and returns the sign_no. */
  signIn(opter?: string, code?: string): Promise<string>;
  close(): Promise<void>;
}

let seq = 0;
/** A msgid the way clients build it: institution code + yyyyMMddHHmmss + 4-digit sequence (30 characters). */
export function newMsgid(code = HOSPITAL): string {
  seq = (seq + 1) % 10_000;
  return `${code}${compactTime(new Date())}${String(seq).padStart(4, '0')}`;
}

export async function gatewayWorld(opts: { log?: Logger; gateway?: GatewayOptions } = {}): Promise<GatewayWorld> {
  const db = await openTestDb();
  await migrate(db);
  await insertShippedDict(db.k);
  const area = (admdvs: string, lv: '1' | '2' | '3', prnt: string | null) => ({ admdvs, admdvs_name: `区划${admdvs}`, admdvs_lv: lv, prnt_admdvs: prnt, poolarea_flag: lv === '2' ? ('1' as const) : ('0' as const), begndate: '2020-01-01', enddate: null });
  await importAreas(db, [area('990000', '1', null), area('990100', '2', '990000'), area('990102', '3', '990100')], SYSTEM_ACTOR);
  await bulkLoadInstitutions(
    db,
    [
      { fixmedins_code: HOSPITAL, fixmedins_name: HOSPITAL_NAME, fixmedins_type: '1', hosp_lv: '2', admdvs: '990102', uscc: uscc('12990102MB0000001'), medins_natu: '1', addr: null, begndate: '2020-01-01', enddate: null },
      { fixmedins_code: PHARMACY, fixmedins_name: '甲市仁心大药房', fixmedins_type: '2', hosp_lv: '9', admdvs: '990102', uscc: uscc('91990102MA0000002'), medins_natu: '2', addr: null, begndate: '2020-01-01', enddate: null },
    ],
    SYSTEM_ACTOR,
  );
  const { psn_nos } = await bulkEnroll(
    db,
    [
      { ...PERSONS.zhang, naty: '01', psn_type: '1101', insutype: '310', insuplc_admdvs: '990100', begndate: '2020-01-01', acct_balc: 137_363, emp_name: '甲市某公司', tel: '13800000000', addr: '甲市某街1号', card_no: PERSONS.zhang.card_no },
      { ...PERSONS.li, naty: '01', psn_type: '1501', insutype: '390', insuplc_admdvs: '990100', begndate: '2021-01-01', card_no: null },
    ],
    SYSTEM_ACTOR,
  );
  await bulkLoadCatalogue(db, ITEMS, SYSTEM_ACTOR);
  await db.k.transaction().execute(async (trx) => {
    await insertBundled(trx, DIAGNOSES, DIAGS);
    await insertBundled(trx, PROCEDURES, PROCS);
  });
  const hospital = await issueCredential(db, SYSTEM_ACTOR, { fixmedins_code: HOSPITAL, tif_paasid: TIF_PAASID });
  const pharmacy = await issueCredential(db, SYSTEM_ACTOR, { fixmedins_code: PHARMACY, signin_required: false });

  const config: Config = { ...DEFAULT_CONFIG, dataDir: 'memory://', nodeAdmdvs: '990100', demo: false };
  const log = opts.log ?? createLogger('silent');
  const app = Fastify({ loggerInstance: log as FastifyBaseLogger }) as unknown as FastifyInstance;
  await app.register(gatewayRoutes({ db, config, log }, opts.gateway));
  await app.ready();

  const world: GatewayWorld = {
    db,
    app,
    config,
    psn: { zhang: psn_nos[0]!, li: psn_nos[1]! },
    keys: { hospital: hospital.apikey, pharmacy: pharmacy.apikey, tifToken: hospital.tif_token! },
    post(body, o = {}) {
      const headers: Record<string, string> = { ...(o.headers ?? { apikey: world.keys.hospital }) };
      if (o.contentType !== null) headers['content-type'] = o.contentType ?? 'application/json;charset=UTF-8';
      return app.inject({ method: 'POST', url: o.path ?? '/fsi/api/rsfComIfsService/callService', headers, payload: typeof body === 'string' ? body : JSON.stringify(body) });
    },
    envelope(infno, input, over = {}) {
      const code = (over.fixmedins_code as string | undefined) ?? HOSPITAL;
      return {
        infno,
        msgid: newMsgid(code),
        mdtrtarea_admvs: '990100',
        insuplc_admdvs: '',
        recer_sys_code: 'MBS_LOCAL',
        dev_no: '',
        dev_safe_info: '',
        cainfo: '',
        signtype: '',
        infver: 'V1.0',
        opter_type: '1',
        opter: '0001',
        opter_name: '王收费',
        inf_time: '2026-01-05 09:30:00',
        fixmedins_code: code,
        fixmedins_name: code === HOSPITAL ? HOSPITAL_NAME : '甲市仁心大药房',
        sign_no: '',
        fixmedins_soft_fcty: '某某HIS',
        input,
        ...over,
      };
    },
    async signIn(opter = '0001', code = HOSPITAL) {
      const res = await world.post(world.envelope('9001', { signIn: { opter_no: opter, mac: '00-1A-2B-3C-4D-5E', ip: '10.1.2.3' } }, { fixmedins_code: code, opter }), { headers: { apikey: code === HOSPITAL ? world.keys.hospital : world.keys.pharmacy } });
      const body = res.json() as { infcode: number; err_msg: string; output: { signinoutb: { sign_no: string } } };
      if (body.infcode !== 0) throw new Error(`签到失败：${body.err_msg}`);
      return body.output.signinoutb.sign_no;
    },
    async close() {
      await app.close();
      await db.close();
    },
  };
  return world;
}
