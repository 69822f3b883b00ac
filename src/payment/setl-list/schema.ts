/**
 * The 4101/4101A input schema, built from the field table (fields.ts): every field an optional text of at most its
 * C(n) length; unknown fields are kept and ignored (tolerant reading, src/gateway/schema.ts). setlinfo is required,
 * the row nodes may be absent or empty. Content is checked by quality control, not here.
 */
import { Type, type TObject, type TOptional, type TString } from '@sinclair/typebox';
import { LIST_NODES, ROW_NODES, type FieldDef, type ListNode } from './fields.js';

function nodeObject(fields: readonly FieldDef[], label: string): TObject<Record<string, TOptional<TString>>> {
  const props: Record<string, TOptional<TString>> = {};
  for (const d of fields) props[d.name] = Type.Optional(Type.String({ maxLength: d.len, description: d.label }));
  return Type.Object(props, { description: label });
}

const NODE_LABELS: Record<ListNode, string> = {
  setlinfo: '结算清单信息',
  payinfo: '基金支付信息',
  opspdiseinfo: '门诊慢特病诊断信息',
  diseinfo: '住院诊断信息',
  iteminfo: '收费项目信息',
  oprninfo: '手术操作信息',
  icuinfo: '重症监护信息',
  bldinfo: '输血信息',
};

const rowNodes = Object.fromEntries(ROW_NODES.map((n) => [n, Type.Optional(Type.Array(nodeObject(LIST_NODES[n], NODE_LABELS[n]), { description: NODE_LABELS[n] }))]));

/** input of 4101 / 4101A: { setlinfo, payinfo[], opspdiseinfo[], diseinfo[], iteminfo[], oprninfo[], icuinfo[], bldinfo[] }. */
export const SetlListSchema = Type.Object({
  setlinfo: nodeObject(LIST_NODES.setlinfo, NODE_LABELS.setlinfo),
  ...rowNodes,
});

export { NODE_LABELS };
