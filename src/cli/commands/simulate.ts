import { parseArgs } from 'node:util';
import { loadConfig } from '../../platform/config.js';
import { openDb } from '../../platform/db.js';
import { validationError } from '../../platform/errors.js';
import { migrate } from '../../platform/migrations.js';
import { SYSTEM_ACTOR } from '../../platform/oplog.js';
import { runLoad, type FlowMix } from '../../simulate/load.js';
import { describeRun } from '../../simulate/report.js';
import { loadWorld, prepareWorld, saveWorld, type SimWorld } from '../../simulate/world.js';
import { wantsHelp, type Command } from '../command.js';

const USAGE = `用法：yibao simulate [--url URL] [--institutions N] [--concurrency C] [--duration 秒] [--flow outpatient|inpatient|mixed]
                      [--world 文件] [--flows N] [--seed N] [--json]
       yibao simulate --prepare --out 文件 [--institutions N]

  模拟定点医院 HIS 通过国家接口（POST /fsi/api/）对运行中的 yibao 服务施加业务负载：
    门诊  1101 → 2201 → 2204 → 2206 → 2207（少量 2208 撤销）
    住院  1101 → 2401 → 2301（200 条明细，分批上传）→ 2303 → 2304 → 2402
  每个操作员先签到（9001）。结束时打印每秒流程数、各交易 p50/p95/p99 延迟和按 err_msg 计数的错误。

  --url URL          服务地址（默认 http://127.0.0.1:8080）
  --institutions N   参与的医院数（默认 10）
  --concurrency C    并发终端数（默认 20）
  --duration 秒      运行时长（默认 30）
  --flows N          改为按流程数运行（跑满 N 笔即停）
  --flow 类型        outpatient 门诊、inpatient 住院、mixed 混合（默认 mixed，住院约占一成）
  --world 文件       使用事先准备的模拟数据（机构、apikey、参保人、目录、诊断）
  --prepare --out 文件
                     从数据库读取模拟数据、为所选医院重新签发 apikey 并写入文件后退出
  --seed N           随机种子（默认 20260101）
  --json             以 JSON 输出结果

  不给 --world 时从数据库（DATABASE_URL 或 ./data）直接准备数据；嵌入式 PGlite 同一时间只能由一个进程打开，
  服务运行时请先停服执行 --prepare，或使用 PostgreSQL。注意：准备数据会为所选医院重新签发 apikey（旧密钥作废）。`;

const FLOWS: readonly FlowMix[] = ['outpatient', 'inpatient', 'mixed'];

function positiveInt(v: string | undefined, name: string, dflt: number): number {
  if (v === undefined) return dflt;
  const n = Number(v);
  if (!Number.isInteger(n) || n < 1) throw validationError(`${name}应为正整数，实际为“${v}”`, [{ field: name, message: '应为正整数' }]);
  return n;
}

async function answers(url: string): Promise<boolean> {
  try {
    return (await fetch(`${url}/health`, { signal: AbortSignal.timeout(2000) })).ok;
  } catch {
    return false;
  }
}

export const simulateCommand: Command = {
  name: 'simulate',
  summary: '模拟医院 HIS 对国家接口施加门诊/住院结算负载',
  usage: USAGE,
  async run(args, io) {
    if (wantsHelp(args)) {
      io.out(USAGE);
      return 0;
    }
    const { values } = parseArgs({
      args,
      options: {
        url: { type: 'string', default: 'http://127.0.0.1:8080' },
        institutions: { type: 'string' },
        concurrency: { type: 'string' },
        duration: { type: 'string' },
        flows: { type: 'string' },
        flow: { type: 'string', default: 'mixed' },
        world: { type: 'string' },
        prepare: { type: 'boolean' },
        out: { type: 'string' },
        seed: { type: 'string' },
        json: { type: 'boolean' },
      },
    });
    const institutions = positiveInt(values.institutions, '机构数', 10);
    const flow = values.flow as FlowMix;
    if (!FLOWS.includes(flow)) throw validationError(`流程类型应为 outpatient、inpatient 或 mixed，实际为“${values.flow}”`, [{ field: 'flow', message: '无效' }]);
    const url = values.url.replace(/\/+$/, '');

    let world: SimWorld;
    if (values.world && !values.prepare) world = loadWorld(values.world);
    else {
      if (values.prepare && !values.out) throw validationError('--prepare 需要 --out 文件', [{ field: 'out', message: '缺少' }]);
      const config = loadConfig();
      if (!config.databaseUrl && (await answers(url))) {
        throw validationError(`${url} 上的服务正在使用嵌入式数据库，本命令不能同时打开它；请先停服执行 yibao simulate --prepare --out world.json，再以 --world world.json 运行`);
      }
      const db = await openDb(config);
      try {
        await migrate(db);
        world = await prepareWorld(db, { institutions, actor: { ...SYSTEM_ACTOR, name: '系统（负载模拟）' } });
      } finally {
        await db.close();
      }
      if (values.prepare) {
        saveWorld(values.out!, world);
        io.out(`已写入 ${values.out}：${world.institutions.length} 家医院（已重新签发 apikey），${Object.values(world.persons).reduce((s, p) => s + p.length, 0)} 名参保人，${world.items.length} 个目录项目`);
        return 0;
      }
    }

    const concurrency = positiveInt(values.concurrency, '并发数', 20);
    const duration = values.flows ? undefined : positiveInt(values.duration, '运行时长', 30);
    const stop = new AbortController();
    const onSigint = () => stop.abort();
    process.once('SIGINT', onSigint);
    try {
      if (!values.json) io.out(`开始模拟：${url}，${Math.min(institutions, world.institutions.length)} 家医院，并发 ${concurrency}，${duration ? `${duration} 秒` : `${values.flows} 笔流程`}（Ctrl+C 提前结束）`);
      const result = await runLoad({
        url,
        world,
        concurrency,
        institutions,
        flow,
        ...(duration ? { durationMs: duration * 1000 } : { flows: positiveInt(values.flows, '流程数', 1) }),
        ...(values.seed ? { seed: positiveInt(values.seed, '随机种子', 1) } : {}),
        signal: stop.signal,
        ...(values.json ? {} : { onTick: (r, ms) => io.err(`  ${(ms / 1000).toFixed(0)} 秒：门诊 ${r.flows.outpatient.done}，住院 ${r.flows.inpatient.done}，失败 ${r.flows.outpatient.failed + r.flows.inpatient.failed}`) }),
      });
      if (values.json) io.out(JSON.stringify(result, null, 1));
      else for (const line of describeRun(result)) io.out(line);
      return result.errors.length ? 1 : 0;
    } finally {
      process.off('SIGINT', onSigint);
    }
  },
};
