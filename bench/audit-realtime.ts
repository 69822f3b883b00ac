/**
 * Benchmark: the real-time (事前/事中) audit engine in process, one core — claims of 50 current lines (plus two
 * history encounters of 10 lines each, as HIS sends them in 3101/3102) over the demo catalogue (~33k items), the
 * demo knowledge set and the default rule base (30 real-time rules). Measures
 *   - engine: prepare the claim (numbers, dates, catalogue and knowledge look-ups) + run every selected rule;
 *   - engine + reading: the same after reading the request the way the gateway does (tolerant TypeBox reading).
 * The database (evaluation log, history look-up) is not included. Median of the runs is reported.
 *
 *   node --import tsx bench/audit-realtime.ts [--runs 5] [--claims 2000] [--lines 50] [--engine-only]
 */
import { cpus } from 'node:os';
import { parseArgs } from 'node:util';
import { prepareClaim } from '../src/audit/engine/claim.js';
import { runRules } from '../src/audit/engine/engine.js';
import { demoCatalogueRows, demoKnowledgeSet } from '../src/audit/kb/demo.js';
import { buildKnowledge, type Knowledge } from '../src/audit/kb/knowledge.js';
import { microTimesQ4 } from '../src/audit/num.js';
import { defaultRuleBase, type RuleBase } from '../src/audit/rules/store.js';
import type { AuditRequest, EncounterDto, OrderDto } from '../src/audit/types.js';
import { generateCatalogue, type DemoCatalogueItem } from '../src/demo/gen-catalogue.js';
import { Rng } from '../src/demo/prng.js';
import { readAgainst } from '../src/gateway/schema.js';
import { InputAudit } from '../src/gateway/tx/3101.js';
import { fenToYuan } from '../src/platform/money.js';
import { addDays } from '../src/platform/time.js';

export interface AuditBenchResult {
  /** Claims per second of process CPU time (user + system): what one core does, whatever else the machine runs. */
  engineCpu: number[];
  withReadingCpu: number[];
  claims: number;
  linesPerClaim: number;
  historyLinesPerClaim: number;
  rules: number;
  hitsPerClaim: number;
  engine: number[];
  withReading: number[];
  setupMs: number;
}

const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
};

const HOSPITALS = [
  { code: 'H99010200101', lv: '1' },
  { code: 'H99010200102', lv: '2' },
  { code: 'H99010200103', lv: '3' },
];
const DIAGS = ['I10.x00', 'E11.900', 'J06.900', 'K29.700', 'M54.500', 'N18.500', 'C18.900', 'K80.100', 'I63.900', 'J18.900', 'E78.500', 'I25.100'];
const TODAY = '2025-12-31';

function pools(cat: ReturnType<typeof generateCatalogue>) {
  const oral = cat.drugs.filter((d) => d.list_type === '101' && /片|胶囊/.test(d.dosform ?? ''));
  const otherDrugs = cat.drugs.filter((d) => !oral.includes(d));
  const by = (t: string) => cat.services.filter((s) => s.med_chrgitm_type === t);
  return {
    oral,
    otherDrugs,
    labs: by('04'),
    exams: by('03'),
    treat: by('05'),
    beds: cat.services.filter((s) => s.hilist_name.startsWith('普通病房床位费')),
    nursing: by('07'),
    wardExam: cat.services.filter((s) => s.hilist_name === '住院诊察费'),
    surgery: by('06'),
    consumables: cat.consumables,
    herbs: cat.herbs,
  };
}

let rxSeq = 0;
function line(rng: Rng, it: DemoCatalogueItem, lv: string, date: string, curr: boolean, dr: string, cnt = 1): OrderDto {
  // hospitals mostly charge the cap of their level; a few lines are above it
  const std = it.pric_uplmt[lv as '1'] ?? it.pric;
  const pric = rng.chance(0.03) ? Math.round(std * 1.15) : std;
  return {
    rx_id: `RX${++rxSeq}`,
    rxno: `CF${Math.floor(rxSeq / 6)}`,
    hilist_code: it.hilist_code,
    hilist_name: it.hilist_name,
    cnt: String(cnt),
    pric: fenToYuan(pric),
    sumamt: fenToYuan(microTimesQ4(pric * 10_000, cnt * 10_000)),
    ownpay_amt: it.chrgitm_lv === '03' && rng.chance(0.8) ? fenToYuan(microTimesQ4(pric * 10_000, cnt * 10_000)) : '0',
    drord_begn_date: `${date} 09:00:00`,
    drord_dept_codg: rng.pick(['A03', 'A04', 'A07', 'A19']),
    drord_dr_codg: dr,
    curr_drord_flag: curr ? '1' : '0',
  };
}

function encounterOf(rng: Rng, p: ReturnType<typeof pools>, id: string, date: string, n: number, curr: boolean, inpatient: boolean, doctors: string[]): EncounterDto {
  const h = rng.pick(HOSPITALS);
  const orders: OrderDto[] = [];
  const dr = rng.pick(doctors);
  const los = inpatient ? rng.int(3, 12) : 0;
  if (inpatient) {
    // per-day charges as hospitals send them: one line per day of the stay
    const bed = rng.pick(p.beds);
    const nursing = rng.pick(p.nursing);
    for (let d = 0; d < los; d++) {
      const day = addDays(date, d);
      orders.push(line(rng, bed, h.lv, day, curr, dr), line(rng, nursing, h.lv, day, curr, dr));
      if (p.wardExam[0]) orders.push(line(rng, p.wardExam[0], h.lv, day, curr, dr));
    }
  }
  while (orders.length < n) {
    const day = inpatient ? addDays(date, rng.int(0, Math.max(0, los - 1))) : date;
    const kind = rng.weighted([['oral', 35], ['drug', 15], ['lab', 20], ['exam', 8], ['treat', 10], ['cons', 6], ['herb', 4], ['surg', inpatient ? 2 : 0]] as const);
    const it =
      kind === 'oral' ? rng.pick(p.oral)
      : kind === 'drug' ? rng.pick(p.otherDrugs)
      : kind === 'lab' ? rng.pick(p.labs)
      : kind === 'exam' ? rng.pick(p.exams)
      : kind === 'treat' ? rng.pick(p.treat)
      : kind === 'cons' ? rng.pick(p.consumables)
      : kind === 'herb' ? rng.pick(p.herbs)
      : rng.pick(p.surgery);
    // tests and examinations once per order; treatments and materials a few
    const cnt = kind === 'oral' ? rng.pick([7, 14, 21, 28, 30, 42]) : kind === 'herb' ? rng.int(3, 30) : kind === 'lab' || kind === 'exam' || kind === 'surg' ? 1 : rng.int(1, 3);
    orders.push(line(rng, it, h.lv, day, curr, dr, cnt));
  }
  return {
    mdtrt_id: id,
    medins_id: h.code,
    medins_name: `医院${h.code.slice(-3)}`,
    medins_admdvs: '990102',
    medins_lv: h.lv,
    adm_date: `${date} 08:00:00`,
    ...(inpatient ? { dscg_date: `${addDays(date, los)} 10:00:00` } : {}),
    med_type: inpatient ? '21' : rng.pick(['11', '11', '11', '13', '14']),
    insutype: rng.pick(['310', '390']),
    adm_dept_codg: 'A03',
    fsi_diagnose_dtos: Array.from({ length: rng.int(1, 3) }, (_, i) => ({ dise_codg: rng.pick(DIAGS), maindise_flag: i === 0 ? '1' : '0', dias_srt_no: i + 1 })),
    fsi_order_dtos: orders,
  };
}

export function makeClaims(cat: ReturnType<typeof generateCatalogue>, n: number, lines: number, seed = 7): AuditRequest[] {
  const rng = new Rng(seed);
  const p = pools(cat);
  const doctors = Array.from({ length: 200 }, (_, i) => `D9901020${String(i).padStart(4, '0')}`);
  const out: AuditRequest[] = [];
  for (let i = 0; i < n; i++) {
    const date = addDays('2025-03-01', rng.int(0, 250));
    const inpatient = rng.chance(0.2);
    const curr = encounterOf(rng, p, `M${i}`, date, lines, true, inpatient, doctors);
    const h1 = encounterOf(rng, p, `M${i}-H1`, addDays(date, -rng.int(5, 40)), 10, false, false, doctors);
    const h2 = encounterOf(rng, p, `M${i}-H2`, addDays(date, -rng.int(41, 120)), 10, false, rng.chance(0.2), doctors);
    out.push({
      syscode: 'BENCH',
      task_id: `B${i}`,
      trig_scen: inpatient ? '9' : '7',
      patient_dtos: [{ patn_id: `P${i}`, gend: rng.pick(['1', '2']), brdy: `${rng.int(1940, 2020)}-0${rng.int(1, 9)}-1${rng.int(0, 9)}`, poolarea: '990100', curr_mdtrt_id: curr.mdtrt_id, fsi_encounter_dtos: [curr, h1, h2] }],
    });
  }
  return out;
}

export function benchAuditRealtime(opts: { runs?: number; claims?: number; lines?: number; engineOnly?: boolean } = {}): AuditBenchResult {
  const runs = opts.runs ?? 5;
  const n = opts.claims ?? 2000;
  const lines = opts.lines ?? 50;
  const t0 = performance.now();
  const cat = generateCatalogue(20_240_601);
  const kb: Knowledge = buildKnowledge({
    ...demoCatalogueRows(cat),
    kb: demoKnowledgeSet(cat),
    institutions: HOSPITALS.map((h) => ({ fixmedins_code: h.code, hosp_lv: h.lv, begndate: '2020-01-01', enddate: null })),
    practitioners: Array.from({ length: 200 }, (_, i) => ({ prac_code: `D9901020${String(i).padStart(4, '0')}`, prac_name: `医师${i}`, begndate: '2020-01-01', enddate: null })),
    qualifications: Array.from({ length: 200 }, (_, i) => ({ prac_code: `D9901020${String(i).padStart(4, '0')}`, qual_stas: i % 40 === 0 ? '2' : '1', begndate: '2020-01-01', enddate: null })),
    deaths: [{ psn_no: 'P13', death_date: '2025-01-01' }],
  });
  const rules: RuleBase = defaultRuleBase();
  const claims = makeClaims(cat, n, lines);
  const texts = claims.map((c) => JSON.stringify({ data: c }));
  const setupMs = performance.now() - t0;

  let hits = 0;
  const once = () => {
    hits = 0;
    for (const c of claims) hits += runRules(prepareClaim(c, kb, TODAY), { kb, rules }).response.result.length;
  };
  const onceReading = () => {
    for (const t of texts) {
      const { data } = readAgainst(InputAudit, JSON.parse(t), '交易输入');
      runRules(prepareClaim(data, kb, TODAY), { kb, rules });
    }
  };
  once(); // warm-up (JIT)
  if (!opts.engineOnly) onceReading();
  const engine: number[] = [];
  const withReading: number[] = [];
  const engineCpu: number[] = [];
  const withReadingCpu: number[] = [];
  const measure = (fn: () => void, wall: number[], cpu: number[]) => {
    const t = performance.now();
    const c = process.cpuUsage();
    fn();
    const used = process.cpuUsage(c);
    wall.push(Math.round(n / ((performance.now() - t) / 1000)));
    cpu.push(Math.round(n / ((used.user + used.system) / 1e6)));
  };
  // each path's runs back to back, so one path's garbage is not collected during the other's
  for (let r = 0; r < runs; r++) measure(once, engine, engineCpu);
  if (!opts.engineOnly) for (let r = 0; r < runs; r++) measure(onceReading, withReading, withReadingCpu);
  const ruleCount = rules.inForce(TODAY).filter((r) => r.stages.some((s) => s !== '3')).length;
  return { claims: n, linesPerClaim: lines, historyLinesPerClaim: 20, rules: ruleCount, hitsPerClaim: hits / n, engine, withReading, engineCpu, withReadingCpu, setupMs };
}

export function formatAuditBench(r: AuditBenchResult): string {
  const machine = `${cpus()[0]?.model ?? 'CPU'}, Node ${process.version}`;
  return [
    '## Real-time audit engine (3101/3102, in process, one core)',
    '',
    `${r.claims} claims × ${r.linesPerClaim} current lines (+ ${r.historyLinesPerClaim} history lines), demo catalogue and knowledge set, ${r.rules} real-time rules; ${r.hitsPerClaim.toFixed(2)} results per claim; ${machine}.`,
    '',
    'Per core = claims per second of the process’s CPU time (user + system); wall = claims per elapsed second (lower',
    'when the machine is shared).',
    '',
    '| path | median claims/s per core (CPU) | median lines/s per core | median claims/s (wall) | runs per core (claims/s) |',
    '|---|---:|---:|---:|---|',
    `| engine (prepare + rules) | ${median(r.engineCpu)} | ${median(r.engineCpu) * r.linesPerClaim} | ${median(r.engine)} | ${r.engineCpu.join(', ')} |`,
    ...(r.withReading.length ? [`| engine + tolerant request reading | ${median(r.withReadingCpu)} | ${median(r.withReadingCpu) * r.linesPerClaim} | ${median(r.withReading)} | ${r.withReadingCpu.join(', ')} |`] : []),
    '',
    `Set-up (catalogue, knowledge, claims): ${Math.round(r.setupMs)} ms. Target: ≥ 2,000 claims/s per core.`,
  ].join('\n');
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const { values } = parseArgs({ options: { runs: { type: 'string', default: '5' }, claims: { type: 'string', default: '2000' }, lines: { type: 'string', default: '50' }, 'engine-only': { type: 'boolean', default: false } } });
  console.log(formatAuditBench(benchAuditRealtime({ runs: Number(values.runs), claims: Number(values.claims), lines: Number(values.lines), engineOnly: values['engine-only'] })));
}
