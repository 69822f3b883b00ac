import { createReadStream, createWriteStream, statSync, type WriteStream } from 'node:fs';
import { createInterface } from 'node:readline';
import { parseArgs } from 'node:util';
import { describeProblem, isYibaoError } from '../../platform/errors.js';
import { DEFAULT_DRG_VERSION, DrgGrouper, loadDrgTables, type CodeMapping } from '../../payment/drg/index.js';
import { describeSummary, groupJsonl } from '../../payment/drg/jsonl.js';
import { wantsHelp, type Command } from '../command.js';

const MAPPINGS: readonly CodeMapping[] = ['fallback', 'strict', 'off'];

export const groupCommand: Command = {
  name: 'group',
  summary: '按 CHS-DRG 分组方案对病例批量分组（JSON Lines 输入输出）',
  usage: `用法：yibao group drg [--version ${DEFAULT_DRG_VERSION} | --tables 目录] [--in 文件] [--out 文件]
                        [--no-trace] [--map fallback|strict|off] [--qy on|off]

  逐条对病例进行 DRG 分组。输入为 JSON Lines（UTF-8，每行一个病例 JSON 对象），默认从标准输入读取；
  输出为 JSON Lines，每行一个分组结果，顺序与输入相同，默认写到标准输出。空行跳过；
  不是有效 JSON 的行输出 status 为 invalid 的结果，不会中断处理。

  病例可以是以下两种形状之一：
    病例形状（诊断第一个为主要诊断，手术第一个为主要手术，手术可为空）：
      {"id":"A1","gend":"1","age":60,"age_days":null,"nwb_bir_wt":null,"ipt_days":8,"dscg_way":"1",
       "diagnoses":["K22.301","K11.901"],"procedures":[]}
    结算清单（4101）形状（主要诊断 maindiag_flag=1，主要手术 main_oprn_flag=1 或 oprn_oprt_type=1）：
      {"setlinfo":{"setl_id":"S1","gend":"2","age":35,"act_ipt_days":5,"dscg_way":"1"},
       "diseinfo":[{"diag_code":"O82.000","maindiag_flag":"1"}],
       "oprninfo":[{"oprn_oprt_code":"74.1x01","main_oprn_flag":"1"}]}

  输出字段：line（输入行号）、id、version、status、reason（中文原因）、mdc、adrg、drg、drg_name、
  cc_mcc（构成 CC/MCC 的其他诊断及被排除表排除的诊断）、trace（中文的逐步分组过程）。
  status：grouped 分组成功；QY 歧义病案；0000 无法入组；invalid 信息校验不通过；
          unmapped 编码不能转换为分组器支持的编码（仅 --map strict）。

  --version 名称   分组方案版本，即 reference-data/ 下的目录名（默认 ${DEFAULT_DRG_VERSION}）
  --tables 目录    直接使用该目录中的分组表（与 --version 二选一）
  --in 文件        输入文件（默认标准输入）
  --out 文件       输出文件（默认标准输出）
  --no-trace       结果中不带 trace 字段（更快、更小）
  --map 方式       编码转换：fallback（默认，只转换本版本不认识的编码）、
                   strict（每个编码都必须能按映射表转换，否则不入组）、off（不转换）
  --qy on|off      打开或关闭所有 MDC 的歧义组（QY）检查（默认按分组表的设置）

  处理完毕后在标准错误输出统计信息。分组表有误时列出文件、条目和原因，退出码为 1。`,
  async run(args, io) {
    if (wantsHelp(args)) {
      io.out(this.usage);
      return 0;
    }
    let parsed;
    try {
      parsed = parseArgs({
        args,
        allowPositionals: true,
        options: {
          version: { type: 'string' },
          tables: { type: 'string' },
          in: { type: 'string' },
          out: { type: 'string' },
          'no-trace': { type: 'boolean' },
          map: { type: 'string' },
          qy: { type: 'string' },
        },
      });
    } catch (e) {
      io.err(`参数错误：${(e as Error).message}\n\n${this.usage}`);
      return 2;
    }
    const { values, positionals } = parsed;
    const [kind, ...extra] = positionals;
    if (kind !== 'drg') {
      io.err(kind === 'dip' ? 'DIP 分组尚未提供，目前只支持：yibao group drg' : `${kind ? `未知的分组类型：${kind}` : '缺少分组类型'}\n\n${this.usage}`);
      return 2;
    }
    if (extra.length) {
      io.err(`多余的参数：${extra.join(' ')}\n\n${this.usage}`);
      return 2;
    }
    if (values.version && values.tables) {
      io.err('--version 与 --tables 只能指定一个');
      return 2;
    }
    const map = (values.map ?? 'fallback') as CodeMapping;
    if (!MAPPINGS.includes(map)) {
      io.err(`--map 只能是 ${MAPPINGS.join('、')}，实际为 ${values.map}`);
      return 2;
    }
    if (values.qy !== undefined && values.qy !== 'on' && values.qy !== 'off') {
      io.err(`--qy 只能是 on 或 off，实际为 ${values.qy}`);
      return 2;
    }
    if (values.in !== undefined) {
      try {
        if (!statSync(values.in).isFile()) throw new Error('不是文件');
      } catch (e) {
        io.err(`无法读取输入文件 ${values.in}：${(e as NodeJS.ErrnoException).code === 'ENOENT' ? '文件不存在' : (e as Error).message}`);
        return 1;
      }
    }

    let grouper: DrgGrouper;
    try {
      const tables = loadDrgTables(values.tables ?? values.version ?? DEFAULT_DRG_VERSION);
      grouper = new DrgGrouper(tables, { codeMapping: map, ...(values.qy ? { qy: values.qy === 'on' } : {}) });
    } catch (e) {
      if (!isYibaoError(e)) throw e;
      io.err(`错误：${e.message}`);
      for (const p of e.problems.slice(0, 50)) io.err(`  - ${describeProblem(p)}`);
      if (e.problems.length > 50) io.err(`  … 另有 ${e.problems.length - 50} 处`);
      return 1;
    }
    for (const w of grouper.tables.warnings) io.err(`提示：${w}`);

    const input = values.in ? createReadStream(values.in, { encoding: 'utf8' }) : process.stdin;
    const lines = createInterface({ input, crlfDelay: Infinity });
    let out: WriteStream | null = null;
    let write: (chunk: string) => void | Promise<void>;
    if (values.out) {
      const stream = createWriteStream(values.out, { encoding: 'utf8' });
      out = stream;
      write = (chunk) => (stream.write(chunk) ? undefined : new Promise<void>((r) => stream.once('drain', () => r())));
    } else {
      write = (chunk) => io.out(chunk.endsWith('\n') ? chunk.slice(0, -1) : chunk);
    }
    try {
      const summary = await groupJsonl(grouper, lines, write, { trace: !values['no-trace'] });
      io.err(`DRG 分组（${grouper.version}）${describeSummary(summary)}`);
      return 0;
    } catch (e) {
      io.err(`处理中断：${(e as Error).message}`);
      return 1;
    } finally {
      if (out) {
        const stream = out;
        await new Promise<void>((resolve) => stream.end(() => resolve()));
      }
    }
  },
};
