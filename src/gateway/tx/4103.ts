/**
 * 4103 医疗保障基金结算清单信息查询: the institution's settlement lists, paged (by setl_id, mdtrt_id, psn_no, discharge
 * date range, status, QC result). With setl_id the answer also carries `setllistinfo`: the list's content (the
 * current version, or ver_no), every version, the status history and the last quality-control run — a refused upload
 * too, so a HIS can see why its 4101 was refused.
 */
import { Type } from '@sinclair/typebox';
import { getSetlListDetail, querySetlLists } from '../../payment/setl-list/index.js';
import { D, Nullable, OptC, Paged, PAGE_SIZE_MAX, toPaged } from '../schema.js';
import { defineTx } from '../types.js';
import { QcFindingOut } from './4101.js';

export const Input4103 = Type.Object({
  data: Type.Object({
    setl_id: OptC(30, '结算ID'),
    ver_no: Type.Optional(Type.Integer({ minimum: 1, description: '版本号（与 setl_id 一起使用）' })),
    mdtrt_id: OptC(30, '就诊ID'),
    psn_no: OptC(30, '人员编号'),
    begndate: Type.Optional(D('出院日期起')),
    enddate: Type.Optional(D('出院日期止')),
    stas_type: OptC(3, '状态：0 已撤回 1 已提交 2 已锁定'),
    qc_rslt: OptC(3, '质控结果：0 通过 1 有警告'),
    page_num: Type.Optional(Type.Integer({ minimum: 1, description: '当前页数（默认1）' })),
    page_size: Type.Optional(Type.Integer({ minimum: 1, maximum: PAGE_SIZE_MAX, description: `本页数据量（默认100，最大${PAGE_SIZE_MAX}）` })),
  }),
});

const S = Type.String();
const OptS = Nullable(Type.String());
const Node = Type.Record(Type.String(), Type.Unknown());

export const Output4103 = Type.Object({
  ...Paged(
    Type.Object({
      setl_id: S,
      setl_list_id: S,
      ver_no: Type.Integer(),
      mdtrt_id: S,
      psn_no: OptS,
      psn_name: OptS,
      fixmedins_code: S,
      stas_type: S,
      stas_name: S,
      stas_time: S,
      dscg_date: OptS,
      main_diag_code: OptS,
      main_oprn_code: OptS,
      medfee_sumamt: Type.Number(),
      qc_rslt: S,
      upld_time: S,
    }),
  ).properties,
  setllistinfo: Nullable(
    Type.Object({
      setl_id: S,
      stas_type: OptS,
      cur_ver: Nullable(Type.Integer()),
      ver_no: Nullable(Type.Integer()),
      setl_list_id: OptS,
      content: Nullable(Node),
      versions: Type.Array(Type.Object({ ver_no: Type.Integer(), setl_list_id: S, infno: S, msgid: OptS, qc_rslt: S, upld_time: S })),
      stas_history: Type.Array(Type.Object({ from_stas: OptS, to_stas: S, ver_no: Type.Integer(), chg_time: S, memo: OptS, opter_name: OptS })),
      qcinfo: Nullable(Type.Object({ accepted: Type.Boolean(), qc_time: S, infno: S, msgid: OptS, findings: Type.Array(QcFindingOut) })),
    }),
  ),
});

export const tx4103 = defineTx({
  infno: '4103',
  name: '医疗保障基金结算清单信息查询',
  input: Input4103,
  output: Output4103,
  needsSignIn: true,
  async handler({ data }, ctx) {
    const fixmedins_code = ctx.envelope.fixmedins_code;
    const page_num = data.page_num ?? 1;
    const page_size = data.page_size ?? 100;
    const page = await querySetlLists(ctx.db, { ...data, fixmedins_code, page_num, page_size });
    const detail = data.setl_id ? await getSetlListDetail(ctx.db, data.setl_id, { fixmedins_code, ...(data.ver_no ? { ver_no: data.ver_no } : {}) }) : null;
    const paged = toPaged({ page_num, page_size, total: page.total, list: page.list }, (r) => ({ ...r, medfee_sumamt: Number(r.medfee_sumamt) }));
    if (!detail) return { ...paged, setllistinfo: null };
    const { qc, content, ...rest } = detail;
    return { ...paged, setllistinfo: { ...rest, content: content as unknown as Record<string, unknown> | null, qcinfo: qc } };
  },
});
