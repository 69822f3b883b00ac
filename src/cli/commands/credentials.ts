import { parseArgs } from 'node:util';
import { loadConfig } from '../../platform/config.js';
import { openDb, type Db } from '../../platform/db.js';
import { migrate } from '../../platform/migrations.js';
import { SYSTEM_ACTOR, type Actor } from '../../platform/oplog.js';
import { describeCredential, issueCredential, setCredentialOptions, setCredentialStatus } from '../../gateway/credentials.js';
import { wantsHelp, type Command } from '../command.js';

const USAGE = `用法：yibao credentials <子命令> <机构编码> [参数]

  管理定点医药机构调用国家接口（POST /fsi/api/）的凭证。每次修改都记入操作日志（不含密钥）。

  issue <机构编码> [--paasid ID] [--sm2-pubkey HEX] [--no-signin] [--msg-sign]
                     签发（或重新签发并作废旧的）apikey；给 --paasid 时同时签发 TIF 令牌。
                     密钥只显示这一次，平台只保存其摘要。
  show <机构编码>     显示凭证状态（不含密钥）
  disable <机构编码>  停用凭证
  enable <机构编码>   重新启用凭证
  options <机构编码> [--no-signin] [--msg-sign]
                     修改签到与报文签名要求（不重新签发密钥）

  --no-signin        该机构的交易不要求先签到（9001）
  --msg-sign         要求报文级 SM2 签名（须同时给 --sm2-pubkey）
  --operator 工号    记入操作日志的操作人（默认 system）

  HIS 调用时在 HTTP 头中携带 apikey: <密钥>，或按 TIF 方式携带 x-tif-paasid / x-tif-timestamp /
  x-tif-nonce / x-tif-signature；详见 docs/api/README.md。`;

async function withDb<T>(fn: (db: Db) => Promise<T>): Promise<T> {
  const db = await openDb(loadConfig());
  try {
    await migrate(db);
    return await fn(db);
  } finally {
    await db.close();
  }
}

export const credentialsCommand: Command = {
  name: 'credentials',
  summary: '定点医药机构接口凭证（apikey / TIF / SM2 公钥）',
  usage: USAGE,
  async run(args, io) {
    if (wantsHelp(args) || args.length === 0) {
      io.out(USAGE);
      return args.length === 0 ? 1 : 0;
    }
    const { values, positionals } = parseArgs({
      args,
      allowPositionals: true,
      options: {
        paasid: { type: 'string' },
        'sm2-pubkey': { type: 'string' },
        'no-signin': { type: 'boolean' },
        'msg-sign': { type: 'boolean' },
        operator: { type: 'string' },
      },
    });
    const [sub, code] = positionals;
    if (!code) {
      io.err(`缺少机构编码\n\n${USAGE}`);
      return 2;
    }
    const actor: Actor = values.operator ? { id: values.operator, name: values.operator, admdvs: [] } : SYSTEM_ACTOR;
    return withDb(async (db) => {
      switch (sub) {
        case 'issue': {
          const c = await issueCredential(db, actor, {
            fixmedins_code: code,
            tif_paasid: values.paasid ?? null,
            sm2_pubkey: values['sm2-pubkey'] ?? null,
            signin_required: !values['no-signin'],
            msg_sign_required: Boolean(values['msg-sign']),
          });
          io.out(`已为 ${c.fixmedins_code} 签发接口凭证（只显示这一次，请妥善保存）：`);
          io.out(`  apikey: ${c.apikey}`);
          if (c.tif_paasid) io.out(`  TIF paasid: ${c.tif_paasid}\n  TIF token:  ${c.tif_token}`);
          return 0;
        }
        case 'show': {
          const c = await describeCredential(db, code);
          if (!c) {
            io.err(`机构 ${code} 尚未签发接口凭证`);
            return 1;
          }
          io.out(JSON.stringify(c, null, 2));
          return 0;
        }
        case 'disable':
        case 'enable':
          await setCredentialStatus(db, actor, code, sub === 'disable' ? 'disabled' : 'active');
          io.out(`${code} 的接口凭证已${sub === 'disable' ? '停用' : '启用'}`);
          return 0;
        case 'options':
          await setCredentialOptions(db, actor, code, { signin_required: !values['no-signin'], msg_sign_required: Boolean(values['msg-sign']) });
          io.out(`${code} 的接口选项已更新`);
          return 0;
        default:
          io.err(`未知子命令：${sub ?? ''}\n\n${USAGE}`);
          return 2;
      }
    });
  },
};
