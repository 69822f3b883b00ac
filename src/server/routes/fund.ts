/**
 * /api/fund: fund finance for the console's 运行监测 — income vs expenditure by month, the balance and the months of
 * reserve (src/fund), with the DRG CMI of the latest year runs (payment/pay) — and recording income.
 * Reading needs dashboard:read, like the dashboard it feeds, but the fund's accounts are the agency's: an institution
 * user is refused. Writing uses payment:write (经办员、管理员: the staff who maintain the region's budget parameters).
 * A region outside the user's areas answers 403.
 *
 *   GET  /api/fund/overview         ?year &admdvs &insutype &fund_pay_type &growth_threshold (percent, default 15)
 *                                   → months (income by kind, expenditure, net, balance, months_of_reserve, expenditure
 *                                   of the month a year earlier, 同比 / 环比 growth), totals (with 同比 of the year so
 *                                   far), through_month, by_fund (opening, income, expenditure, balance), warnings
 *                                   (可支付月数 < 6, 同比 above the threshold), thresholds, drg { cmi, runs }
 *   POST /api/fund/income           {admdvs,insutype,fund_pay_type,year,month,clct_inc?,fin_subs_inc?,int_inc?,oth_inc?,memo?} → 201 entry
 *   POST /api/fund/opening-balance  {admdvs,insutype,fund_pay_type,year,open_balc} → the balance as stored
 */
import { Type, type Static } from '@sinclair/typebox';
import type { FastifyPluginAsync, FastifyRequest } from 'fastify';
import { fundOverview, recordIncome, setOpeningBalance } from '../../fund/index.js';
import { combinedCmi, latestDrgCmi } from '../../payment/pay/index.js';
import { forbidden } from '../../platform/errors.js';
import { scopePrefix } from '../../platform/scope.js';
import { beijingDate } from '../../platform/time.js';
import { staffOf } from '../auth/hook.js';
import { requireAdmdvsInScope } from '../auth/scope.js';
import type { AppDeps } from '../app.js';
import { AdmdvsCode } from './schemas.js';

const Year = Type.Integer({ minimum: 2000, maximum: 2999 });
const Code = Type.String({ minLength: 1, maxLength: 10 });
const Money = Type.Union([Type.String({ maxLength: 20 }), Type.Number()]);
const OverviewQuery = Type.Object({
  year: Type.Optional(Year),
  admdvs: Type.Optional(AdmdvsCode),
  insutype: Type.Optional(Code),
  fund_pay_type: Type.Optional(Code),
  growth_threshold: Type.Optional(Type.Integer({ minimum: 1, maximum: 1000 })),
});
const FundKey = { admdvs: AdmdvsCode, insutype: Code, fund_pay_type: Code, year: Year };
const IncomeBody = Type.Object(
  { ...FundKey, month: Type.Integer({ minimum: 1, maximum: 12 }), clct_inc: Type.Optional(Money), fin_subs_inc: Type.Optional(Money), int_inc: Type.Optional(Money), oth_inc: Type.Optional(Money), memo: Type.Optional(Type.String({ maxLength: 200 })) },
  { additionalProperties: false },
);
const OpeningBody = Type.Object({ ...FundKey, open_balc: Money }, { additionalProperties: false });

const READ = { permission: 'dashboard:read' } as const;
/** Until roles.ts has a fund permission of its own, income is recorded by those who maintain the budget. */
const WRITE = { permission: 'payment:write' } as const;

/** The fund's accounts belong to the insurance agency, not to an institution. */
function requireAgencyStaff(req: FastifyRequest): void {
  if (staffOf(req).scope.fixmedins_code) throw forbidden('无权访问：基金收支只对医保经办机构人员开放');
}

export const fundRoutes =
  (deps: AppDeps): FastifyPluginAsync =>
  async (app) => {
    const { db } = deps;

    app.get<{ Querystring: Static<typeof OverviewQuery> }>('/fund/overview', { schema: { querystring: OverviewQuery }, config: READ }, async (req) => {
      requireAgencyStaff(req);
      const scope = staffOf(req).scope;
      const { admdvs, insutype, fund_pay_type, growth_threshold } = req.query;
      if (admdvs) requireAdmdvsInScope(scope, admdvs, '基金收支');
      const prefixes = admdvs ? [scopePrefix(admdvs)] : scope.prefixes;
      const year = req.query.year ?? Number(beijingDate().slice(0, 4));
      const overview = await fundOverview(db, { year, prefixes, ...(insutype ? { insutype } : {}), ...(fund_pay_type ? { fund_pay_type } : {}), ...(growth_threshold ? { growth_threshold_pct: growth_threshold } : {}) });
      const runs = await latestDrgCmi(db, year, prefixes);
      return { admdvs: admdvs ?? null, ...overview, drg: { cmi: combinedCmi(runs), runs } };
    });

    app.post<{ Body: Static<typeof IncomeBody> }>('/fund/income', { schema: { body: IncomeBody }, config: WRITE }, async (req, reply) => {
      requireAgencyStaff(req);
      requireAdmdvsInScope(staffOf(req).scope, req.body.admdvs, '基金收入');
      return reply.code(201).send(await recordIncome(db, staffOf(req).actor, req.body));
    });

    app.post<{ Body: Static<typeof OpeningBody> }>('/fund/opening-balance', { schema: { body: OpeningBody }, config: WRITE }, async (req) => {
      requireAgencyStaff(req);
      requireAdmdvsInScope(staffOf(req).scope, req.body.admdvs, '年初结存');
      return setOpeningBalance(db, staffOf(req).actor, req.body);
    });
  };
