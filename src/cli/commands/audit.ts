/**
 * `yibao audit`: the 事后 smart-audit commands. `audit batch` runs the rule base over a snapshot with DuckDB
 * (src/audit/batch) and writes suspects (疑点) to audit_suspect, printing progress (rows, rules, ETA) on stderr.
 * `audit evaluate` measures those suspects against the generator's answer key (src/audit/evaluate).
 */
import { writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { loadConfig } from '../../platform/config.js';
import { openDb } from '../../platform/db.js';
import { migrate } from '../../platform/migrations.js';
import { SYSTEM_ACTOR, type Actor } from '../../platform/oplog.js';
import { batchJob } from '../../audit/batch/run.js';
import { evaluateRun, evaluationLines, evaluationMarkdown } from '../../audit/evaluate/evaluate.js';
import { wantsHelp, type CliIo, type Command } from '../command.js';

const USAGE = `用法：yibao audit batch --from yyyy-MM-dd --to yyyy-MM-dd [--rules R1,R2] [--snapshot 目录] [--operator 工号]
      yibao audit evaluate --truth db|目录 [--run 任务号] [--out 文件.md]

  batch    事后批量审核：对登记日期在 [--from, --to] 内的就诊运行规则库（生效日期取 --to，仅启用且
           监管环节含“事后”的规则），历史就诊取自整个快照。跨就诊规则（分解住院、同时住院、冒名就医含
           死亡后就医和异地不可能行程、药品追溯码重复、低标准入院、收费跨期、门急诊频次异常、重复开药）
           以 DuckDB SQL 运行；其余有实时实现的规则（限性别/年龄/适应症、重复收费、超标准收费、超频次、
           挂床住院等）由实时审核引擎逐次就诊运行（本次明细为当前、此前一年就诊为历史）。
           疑点写入 audit_suspect（stage 3，run_id = 任务号，含证据明细和金额），重复运行不会重复写入。

  --rules R1,R2    只运行这些规则（规则编码，逗号分隔）
  --snapshot 目录  使用 yibao snapshot 生成的快照；不指定时先对整个数据库生成临时快照
  --operator 工号  记入任务表的操作人（默认 system）

  以任务（job，kind = audit-batch）运行，进度（已处理明细、已完成规则、预计剩余时间）写到标准错误输出。

  evaluate 以生成器的标准答案（gen_violation）评估事后审核疑点：按违规类型和总体计算 TP/FP/FN、精确率、
           召回率、金额召回率，合规相似病例的误报，以及无对应注入类型的规则的疑点。只读，不写数据库。

  --truth db|目录  标准答案：db = 数据库表 gen_violation；目录 = yibao generate --out 的输出目录
  --run 任务号     只评估该次事后审核任务的疑点（标准答案为 db 时只取该任务审核期间登记的就诊）
  --out 文件.md    另将结果表格写成 Markdown 文件`;

function etaText(s: number | null): string {
  if (s === null) return '估算中';
  return s >= 60 ? `${Math.floor(s / 60)}分${s % 60}秒` : `${s}秒`;
}

async function batch(args: string[], io: CliIo): Promise<number> {
  let values;
  try {
    ({ values } = parseArgs({
      args,
      options: { from: { type: 'string' }, to: { type: 'string' }, rules: { type: 'string' }, snapshot: { type: 'string' }, operator: { type: 'string' } },
    }));
  } catch (e) {
    io.err(`参数错误：${(e as Error).message}\n\n${USAGE}`);
    return 2;
  }
  if (!values.from || !values.to) {
    io.err(`须指定 --from 和 --to\n\n${USAGE}`);
    return 2;
  }
  const rules = values.rules
    ?.split(/[,，]/)
    .map((r) => r.trim())
    .filter(Boolean);
  const actor: Actor = values.operator ? { id: values.operator, name: values.operator, admdvs: [] } : SYSTEM_ACTOR;
  const config = loadConfig();
  const db = await openDb(config);
  try {
    await migrate(db);
    let last = 0;
    // on PostgreSQL the snapshot reads each table with one COPY … TO STDOUT
    const pgCopy = config.databaseUrl ? { pgCopy: { url: config.databaseUrl } } : {};
    const r = await batchJob(db, actor, { from: values.from, to: values.to, ...(rules?.length ? { rules } : {}), ...(values.snapshot ? { snapshot: values.snapshot } : {}), ...pgCopy }, (p) => {
      if (Date.now() - last < 1000 && p.rules_done < p.rules_total) return;
      last = Date.now();
      io.err(`[事后审核] 规则 ${p.rules_done}/${p.rules_total}${p.rule_id ? `（${p.rule_id}）` : ''}，进度 ${p.rows}/${p.rows_total}，新增疑点 ${p.suspects}，预计剩余 ${etaText(p.eta_s)}`);
    });
    io.out(`事后审核完成（任务 ${r.run_id}）：${r.from} 至 ${r.to}，${r.encounters} 次就诊、${r.lines} 条费用明细，用时 ${r.ms} ms，新增疑点 ${r.inserted} 条`);
    for (const s of r.rules) {
      io.out(`  ${s.rule_id.padEnd(12)} ${s.path === 'sql' ? 'SQL ' : '引擎'}  命中 ${String(s.hits).padStart(6)}  新增 ${String(s.inserted).padStart(6)}  ${String(s.ms).padStart(7)} ms（写入 ${s.write_ms} ms）${s.error ? `  错误：${s.error}` : ''}`);
    }
    return r.rules.some((s) => s.error) ? 1 : 0;
  } finally {
    await db.close();
  }
}

async function evaluateCmd(args: string[], io: CliIo): Promise<number> {
  let values;
  try {
    ({ values } = parseArgs({ args, options: { truth: { type: 'string' }, run: { type: 'string' }, out: { type: 'string' } } }));
  } catch (e) {
    io.err(`参数错误：${(e as Error).message}\n\n${USAGE}`);
    return 2;
  }
  if (!values.truth) {
    io.err(`须指定 --truth（db 或 yibao generate --out 的目录）\n\n${USAGE}`);
    return 2;
  }
  const db = await openDb(loadConfig());
  try {
    await migrate(db);
    const r = await evaluateRun(db, { truth: values.truth, ...(values.run ? { run_id: values.run } : {}) });
    io.out(`事后审核质量评估：标准答案 ${r.truth_rows} 条，疑点 ${r.suspect_rows} 条${r.window ? `（任务 ${r.window.run_id}：${r.window.from} 至 ${r.window.to}）` : '（全部事后疑点）'}`);
    for (const l of evaluationLines(r)) io.out(l);
    if (values.out) {
      const head = `<!-- yibao audit evaluate --truth ${values.truth}${values.run ? ` --run ${values.run}` : ''}: ${r.truth_rows} truth rows, ${r.suspect_rows} suspects -->`;
      writeFileSync(values.out, evaluationMarkdown(r, head));
      io.out(`已写入 ${values.out}`);
    }
    return 0;
  } finally {
    await db.close();
  }
}

export const auditCommand: Command = {
  name: 'audit',
  summary: '事后智能审核（batch：基于快照的批量审核，写入疑点；evaluate：以生成数据的标准答案评估疑点质量）',
  usage: USAGE,
  async run(args, io) {
    const [sub, ...rest] = args;
    if (!sub || (wantsHelp(args) && sub !== 'batch' && sub !== 'evaluate')) {
      io.out(USAGE);
      return sub ? 0 : 2;
    }
    if (sub === 'batch') {
      if (wantsHelp(rest)) {
        io.out(USAGE);
        return 0;
      }
      return batch(rest, io);
    }
    if (sub === 'evaluate') {
      if (wantsHelp(rest)) {
        io.out(USAGE);
        return 0;
      }
      return evaluateCmd(rest, io);
    }
    io.err(`未知的子命令：${sub}\n\n${USAGE}`);
    return 2;
  },
};
