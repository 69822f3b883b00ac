/**
 * `yibao pay`: DRG/DIP point-value payment from the command line — a year run for a region (as a job, with the
 * per-institution statement printed), the parameters of a region and year (show the history, or add a version),
 * and the latest statement. The work is payment/pay's; this file parses arguments and prints.
 */
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { loadConfig } from '../../platform/config.js';
import { openDb, type Db } from '../../platform/db.js';
import { validationError } from '../../platform/errors.js';
import { migrate } from '../../platform/migrations.js';
import { SYSTEM_ACTOR, type Actor } from '../../platform/oplog.js';
import { latestRun, paramHistory, runPayYear, saveParams, statements, type PayType, type RunSummary, type WriteOptions } from '../../payment/pay/index.js';
import { wantsHelp, type CliIo, type Command } from '../command.js';
import { pad } from './users.js';

const USAGE = `用法：yibao pay drg|dip --year 年度 [--admdvs 区划] [--cases 文件.jsonl] [--operator 工号]
      yibao pay params drg|dip --year 年度 --admdvs 区划                      列出付费参数的全部版本
      yibao pay params drg|dip --year 年度 --admdvs 区划 --from 日期 --budget 元 --base-rate 元 [--params 文件.json]
                                                                              新增一个自该日起生效的参数版本
      yibao pay show drg|dip --year 年度 --admdvs 区划                        显示最近一次计算的年度结算单

  按点数法计算一个统筹区一个年度的 DRG 或 DIP 付费：读取该年度参数（预算、基础费率、等级系数、高低倍率界值、
  特例单议比例、历史年度权重等），对病例分组、由历史年度计算权重（DIP 使用已发布目录或由历史构建），计算病例点数、
  月度预结点值和年度点值，按机构生成年度结算单（应得金额 − 个人负担 − 违规扣款 − 月度预拨 = 补付/追回），
  写入数据库并打印汇总。计算作为后台任务运行，可在管理端“任务”中查看进度。

  --year 年度      结算年度（出院日期所在年度），如 2026
  --admdvs 区划    统筹区医保区划（默认本节点区划）
  --cases 文件     从 JSON Lines 文件读取病例（病例形状加费用字段，见 docs/payment.md），不读数据库中的结算清单
  --operator 工号  记入操作日志的操作人（默认 system）
  --params 文件    参数 JSON（等级系数、界值、年度权重等，未给出的取默认值，见 docs/payment.md）`;

const OPTIONS = {
  year: { type: 'string' },
  admdvs: { type: 'string' },
  cases: { type: 'string' },
  operator: { type: 'string' },
  from: { type: 'string' },
  budget: { type: 'string' },
  'base-rate': { type: 'string' },
  params: { type: 'string' },
} as const;

export function printSummary(r: RunSummary, io: CliIo): void {
  io.out(`${r.setl_year} 年度 ${r.pay_type.toUpperCase()} 付费（区划 ${r.admdvs}，计算 ${r.run_id}）`);
  io.out(`  病例 ${r.case_cnt} 例；预算 ${r.budget} 元，资金池 ${r.pool} 元（含个人负担 ${r.psn_pay} 元）；总点数 ${r.points}；年度点值 ${r.point_value} 元/点`);
  io.out(`  权重来源：${r.weight_src}`);
  for (const w of r.warnings) io.out(`  提示：${w}`);
  io.out('');
  io.out(['机构编码', '病例', 'CMI', '点数', '应得金额', '个人负担', '违规扣款', '统筹应付', '月度预拨', '年终补付/追回'].map((h) => pad(h, 14)).join('').trimEnd());
  for (const s of r.stmts) {
    io.out([s.fixmedins_code, String(s.case_cnt), s.cmi ?? '-', s.points, s.amount_due, s.psn_pay, s.penalty, s.fund_due, s.prepaid, s.balance].map((v) => pad(v, 14)).join('').trimEnd());
  }
}

function year(v: string | undefined): number {
  if (!v || !/^\d{4}$/.test(v)) throw validationError(`--year 应为4位年度，实际为 ${v ?? '（未给出）'}`);
  return Number(v);
}

function payType(v: string | undefined): PayType {
  if (v !== 'drg' && v !== 'dip') throw validationError(`付费方式只能是 drg 或 dip，实际为 ${v ?? '（未给出）'}`);
  return v;
}

/** The command's work on an open database (tests call this with their own database). */
/** `write`: how year runs write (the command passes COPY on PostgreSQL, the server of DATABASE_URL). */
export async function runPay(db: Db, args: string[], io: CliIo, nodeAdmdvs: string, write: WriteOptions = {}): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({ args, allowPositionals: true, options: OPTIONS });
  } catch (e) {
    io.err(`参数错误：${(e as Error).message}\n\n${USAGE}`);
    return 2;
  }
  const { values: v, positionals } = parsed;
  const actor: Actor = v.operator ? { id: v.operator, name: v.operator, admdvs: [] } : SYSTEM_ACTOR;
  const admdvs = v.admdvs ?? nodeAdmdvs;
  const [sub, kind] = positionals;
  if (sub === 'params') {
    const key = { admdvs, pay_type: payType(kind), setl_year: year(v.year) };
    if (v.from || v.budget || v['base-rate']) {
      if (!v.from || !v.budget || !v['base-rate']) throw validationError('新增参数版本需要同时给出 --from、--budget 和 --base-rate');
      const params = v.params ? (JSON.parse(readFileSync(v.params, 'utf8')) as Record<string, unknown>) : {};
      const saved = await saveParams(db, actor, key, { begndate: v.from, budget: v.budget, base_rate: v['base-rate'], params });
      io.out(`已保存：区划 ${admdvs} ${key.setl_year} 年度 ${kind!.toUpperCase()} 付费参数，自 ${saved.begndate} 起生效（预算 ${saved.budget} 元，基础费率 ${saved.base_rate} 元）`);
      return 0;
    }
    const h = await paramHistory(db, key);
    if (!h.length) io.out(`区划 ${admdvs} ${key.setl_year} 年度还没有 ${kind!.toUpperCase()} 付费参数`);
    for (const x of h) io.out(`${x.begndate} ~ ${x.enddate ?? '至今'}  预算 ${x.budget} 元  基础费率 ${x.base_rate} 元  ${JSON.stringify(x.params)}  （${x.opter_name}）`);
    return 0;
  }
  if (sub === 'show') {
    const run = await latestRun(db, admdvs, payType(kind), year(v.year));
    const st = await statements(db, run.run_id);
    printSummary(
      { run_id: run.run_id, job_id: run.job_id, pay_type: run.pay_type, admdvs: run.admdvs, setl_year: run.setl_year, case_cnt: run.case_cnt, budget: run.budget, pool: run.pool, points: run.points, point_value: run.point_value, psn_pay: run.psn_pay, penalty: run.penalty, weight_src: run.weight_src, warnings: run.warnings as string[], stmts: st },
      io,
    );
    return 0;
  }
  if (positionals.length !== 1) {
    io.err(`${sub ? `未知的子命令或多余的参数：${positionals.join(' ')}` : '缺少付费方式 drg 或 dip'}\n\n${USAGE}`);
    return 2;
  }
  const r = await runPayYear(db, actor, { pay_type: payType(sub), year: year(v.year), admdvs, ...(v.cases ? { cases: v.cases } : {}) }, (job_id) => io.err(`后台任务 ${job_id} 开始计算…`), write);
  printSummary(r, io);
  return 0;
}

export const payCommand: Command = {
  name: 'pay',
  summary: 'DRG/DIP 点数法付费：年度计算与清算、付费参数',
  usage: USAGE,
  async run(args, io) {
    if (wantsHelp(args) || !args.length) {
      io.out(this.usage);
      return args.length ? 0 : 2;
    }
    const config = loadConfig();
    const db = await openDb(config);
    try {
      await migrate(db);
      return await runPay(db, args, io, config.nodeAdmdvs, config.databaseUrl ? { copy: { url: config.databaseUrl } } : {});
    } finally {
      await db.close();
    }
  },
};
