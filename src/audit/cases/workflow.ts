/**
 * The review workflow as data: which action is allowed in which state, who may take it (capability), and the
 * state it leads to. Pure — the service (service.ts) applies it inside one transaction. Refusals are Chinese:
 * an action not allowed in the current state is a CONFLICT naming the state and what is allowed there; an
 * action the participant may not take is FORBIDDEN.
 *
 *   10 待初审 ──first_review(confirm)──▶ 20 待复审 ──second_review(confirm)──▶ 30 待机构申诉
 *      └─(exclude)──▶ 90 已排除            └─(exclude)──▶ 90
 *   30 ──appeal──▶ 40 调查核实 ──investigate(confirm: 申诉不成立)──▶ 50 待违规处理 ──dispose──▶ 60 已处理
 *   30 ──accept / close_appeal (期满未申诉)──▶ 50      40 ──investigate(exclude: 申诉成立)──▶ 90
 *   assign: any open state, unchanged;  recovered: 60, unchanged (追回到账)
 */
import { conflict, forbidden, validationError } from '../../platform/errors.js';
import { CASE_STAS, type CaseCap, type CaseStas } from './types.js';

export type CaseAction = 'assign' | 'first_review' | 'second_review' | 'appeal' | 'accept' | 'close_appeal' | 'investigate' | 'dispose' | 'recovered';
export type Conclusion = 'confirm' | 'exclude';

interface Step {
  name: string;
  from: readonly CaseStas[];
  cap: readonly CaseCap[];
  /** The next state; by conclusion for the deciding steps. */
  to: CaseStas | Record<Conclusion, CaseStas> | 'same';
  /** An opinion (意见 / 申诉理由) is required. */
  opinion: boolean;
}

export const STEPS: Record<CaseAction, Step> = {
  assign: { name: '分配审核人', from: ['10', '20', '30', '40', '50'], cap: ['review', 'investigate'], to: 'same', opinion: false },
  first_review: { name: '初审', from: ['10'], cap: ['review'], to: { confirm: '20', exclude: '90' }, opinion: true },
  second_review: { name: '复审', from: ['20'], cap: ['review'], to: { confirm: '30', exclude: '90' }, opinion: true },
  appeal: { name: '机构申诉', from: ['30'], cap: ['appeal'], to: '40', opinion: true },
  accept: { name: '机构认可', from: ['30'], cap: ['appeal'], to: '50', opinion: false },
  close_appeal: { name: '申诉期满', from: ['30'], cap: ['investigate'], to: '50', opinion: false },
  investigate: { name: '调查核实', from: ['40'], cap: ['investigate'], to: { confirm: '50', exclude: '90' }, opinion: true },
  dispose: { name: '违规处理', from: ['50'], cap: ['investigate'], to: '60', opinion: true },
  recovered: { name: '追回到账', from: ['60'], cap: ['investigate'], to: 'same', opinion: false },
};

export const CASE_ACTIONS = Object.keys(STEPS) as CaseAction[];

const CAP_NAMES: Record<CaseCap, string> = { review: '审核（初审、复审）', investigate: '稽核（调查核实、违规处理）', appeal: '机构申诉' };

/** Actions allowed in a state for a participant with these capabilities. */
export function allowedActions(stas: CaseStas, caps: ReadonlySet<CaseCap>): CaseAction[] {
  return CASE_ACTIONS.filter((a) => STEPS[a].from.includes(stas) && STEPS[a].cap.some((c) => caps.has(c)));
}

/** The state an action leads to, or the Chinese refusal. */
export function nextState(stas: CaseStas, action: CaseAction, caps: ReadonlySet<CaseCap>, conclusion?: Conclusion): CaseStas {
  const step = STEPS[action];
  if (!step.cap.some((c) => caps.has(c))) throw forbidden(`无权执行“${step.name}”：需要${step.cap.map((c) => CAP_NAMES[c]).join('或')}权限`);
  if (!step.from.includes(stas)) {
    const here = CASE_ACTIONS.filter((a) => STEPS[a].from.includes(stas)).map((a) => STEPS[a].name);
    throw conflict(`案件当前状态为“${CASE_STAS[stas]}”，不能执行“${step.name}”${here.length ? `（此状态可办理：${here.join('、')}）` : '（案件已办结）'}`);
  }
  if (step.to === 'same') return stas;
  if (typeof step.to === 'string') return step.to;
  if (conclusion !== 'confirm' && conclusion !== 'exclude') {
    throw validationError(`“${step.name}”须给出结论 conclusion：confirm（${action === 'investigate' ? '申诉不成立，认定违规' : '认定疑似违规，进入下一环节'}）或 exclude（${action === 'investigate' ? '申诉成立，排除' : '排除疑点'}）`, [
      { field: 'conclusion', message: '应为 confirm 或 exclude' },
    ]);
  }
  return step.to[conclusion];
}
