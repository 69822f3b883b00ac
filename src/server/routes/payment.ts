/**
 * /api/payment: DRG/DIP point-value payment for the console (payment/pay): parameters per region and year with their
 * history, year runs started as jobs and followed by polling, and each run's results — statements per institution,
 * CMI and RW bands by hospital, cost vs payment per group or hospital, outlier lists, monthly point values.
 * Reading needs payment:read (经办员、审核员、管理员), parameters and runs payment:write; a region outside the
 * user's areas answers 403. Handlers call one service each; SQL lives in payment/pay.
 *
 *   GET  /api/payment/params              ?admdvs &pay_type &setl_year → versions (history) + the one in force on ?on
 *   PUT  /api/payment/params              {admdvs,pay_type,setl_year,begndate,budget,base_rate,params} → new version
 *   GET  /api/payment/runs                ?admdvs &pay_type &setl_year: runs, newest first
 *   POST /api/payment/runs                {admdvs,pay_type,setl_year} → 202 {job_id}
 *   GET  /api/payment/jobs/:job_id        a run's job (progress, result)
 *   GET  /api/payment/runs/:run_id        the run with its monthly point values
 *   GET  /api/payment/runs/:run_id/statements  ?fixmedins_code: year-end statements with monthly pre-payments
 *   GET  /api/payment/runs/:run_id/cmi    CMI and RW distribution by hospital
 *   GET  /api/payment/runs/:run_id/cost   ?by=group|hospital &fixmedins_code: cost vs payment
 *   GET  /api/payment/runs/:run_id/outliers  ?case_type &fixmedins_code, paged
 *   GET  /api/payment/statements          ?admdvs &pay_type &setl_year: the latest run's statements
 */
import { Type, type Static } from '@sinclair/typebox';
import type { FastifyPluginAsync } from 'fastify';
import { forbidden } from '../../platform/errors.js';
import { getJob } from '../../platform/jobs.js';
import { cmiByHospital, costVsPayment, getRun, latestRun, listRuns, months, outliers, paramHistory, paramsInForce, saveParams, startPayYear, statements } from '../../payment/pay/index.js';
import { staffOf } from '../auth/hook.js';
import { requireAdmdvsInScope } from '../auth/scope.js';
import type { AppDeps } from '../app.js';
import { AdmdvsCode, DateStr, Paging, StringEnum } from './schemas.js';

const PayTypeStr = StringEnum(['drg', 'dip'] as const);
const Year = Type.Integer({ minimum: 2000, maximum: 2999 });
const KeyQuery = Type.Object({ admdvs: AdmdvsCode, pay_type: PayTypeStr, setl_year: Year, on: Type.Optional(DateStr) });
const Money = Type.Union([Type.String({ pattern: '^\\d+(\\.\\d{1,2})?$' }), Type.Number({ minimum: 0 })]);
const ParamBody = Type.Object({ admdvs: AdmdvsCode, pay_type: PayTypeStr, setl_year: Year, begndate: DateStr, budget: Money, base_rate: Money, params: Type.Optional(Type.Record(Type.String(), Type.Unknown())) }, { additionalProperties: false });
const RunsQuery = Type.Object({ admdvs: Type.Optional(AdmdvsCode), pay_type: Type.Optional(PayTypeStr), setl_year: Type.Optional(Year), limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 200 })) });
const RunBody = Type.Object({ admdvs: AdmdvsCode, pay_type: PayTypeStr, setl_year: Year }, { additionalProperties: false });
const RunParams = Type.Object({ run_id: Type.String({ minLength: 1, maxLength: 40 }) });
const JobParams = Type.Object({ job_id: Type.String({ minLength: 1, maxLength: 40 }) });
const InstQuery = Type.Object({ fixmedins_code: Type.Optional(Type.String({ pattern: '^[HP]\\d{11}$' })) });
const CostQuery = Type.Object({ by: Type.Optional(StringEnum(['group', 'hospital'] as const)), fixmedins_code: Type.Optional(Type.String({ pattern: '^[HP]\\d{11}$' })) });
const OutlierQuery = Type.Object({ case_type: Type.Optional(StringEnum(['high', 'low', 'special', 'ungrouped', 'normal'] as const)), fixmedins_code: Type.Optional(Type.String({ pattern: '^[HP]\\d{11}$' })), ...Paging });

const READ = { permission: 'payment:read' } as const;
const WRITE = { permission: 'payment:write' } as const;

export const paymentRoutes =
  (deps: AppDeps): FastifyPluginAsync =>
  async (app) => {
    const { db } = deps;
    /** The run, after checking its region is the user's. */
    const runInScope = async (req: Parameters<typeof staffOf>[0], run_id: string) => {
      const run = await getRun(db, run_id);
      requireAdmdvsInScope(staffOf(req).scope, run.admdvs, `付费计算 ${run_id}`);
      return run;
    };

    app.get<{ Querystring: Static<typeof KeyQuery> }>('/payment/params', { schema: { querystring: KeyQuery }, config: READ }, async (req) => {
      const { on, ...key } = req.query;
      requireAdmdvsInScope(staffOf(req).scope, key.admdvs, '付费参数');
      const versions = await paramHistory(db, key);
      const inForce = versions.length ? await paramsInForce(db, key, on).then((x) => x.version, () => null) : null;
      return { versions, in_force: inForce };
    });

    app.put<{ Body: Static<typeof ParamBody> }>('/payment/params', { schema: { body: ParamBody }, config: WRITE }, async (req) => {
      const { admdvs, pay_type, setl_year, ...v } = req.body;
      requireAdmdvsInScope(staffOf(req).scope, admdvs, '付费参数');
      return saveParams(db, staffOf(req).actor, { admdvs, pay_type, setl_year }, v);
    });

    app.get<{ Querystring: Static<typeof RunsQuery> }>('/payment/runs', { schema: { querystring: RunsQuery }, config: READ }, async (req) => ({
      list: await listRuns(db, { ...req.query, prefixes: staffOf(req).scope.prefixes }),
    }));

    app.post<{ Body: Static<typeof RunBody> }>('/payment/runs', { schema: { body: RunBody }, config: WRITE }, async (req, reply) => {
      const { admdvs, pay_type, setl_year } = req.body;
      requireAdmdvsInScope(staffOf(req).scope, admdvs, '付费计算');
      const { job_id } = await startPayYear(db, staffOf(req).actor, { admdvs, pay_type, year: setl_year });
      return reply.code(202).send({ job_id });
    });

    app.get<{ Params: Static<typeof JobParams> }>('/payment/jobs/:job_id', { schema: { params: JobParams }, config: READ }, async (req) => {
      const job = await getJob(db, req.params.job_id);
      if (!job.kind.startsWith('pay-') || !job.admdvs) throw forbidden(`任务 ${job.job_id} 不是付费计算任务`);
      requireAdmdvsInScope(staffOf(req).scope, job.admdvs, `任务 ${job.job_id}`);
      return job;
    });

    app.get<{ Params: Static<typeof RunParams> }>('/payment/runs/:run_id', { schema: { params: RunParams }, config: READ }, async (req) => {
      const run = await runInScope(req, req.params.run_id);
      return { ...run, months: await months(db, run.run_id) };
    });

    app.get<{ Params: Static<typeof RunParams>; Querystring: Static<typeof InstQuery> }>('/payment/runs/:run_id/statements', { schema: { params: RunParams, querystring: InstQuery }, config: READ }, async (req) => {
      const run = await runInScope(req, req.params.run_id);
      const list = await statements(db, run.run_id);
      return { run_id: run.run_id, point_value: run.point_value, list: req.query.fixmedins_code ? list.filter((s) => s.fixmedins_code === req.query.fixmedins_code) : list };
    });

    app.get<{ Params: Static<typeof RunParams> }>('/payment/runs/:run_id/cmi', { schema: { params: RunParams }, config: READ }, async (req) => cmiByHospital(db, (await runInScope(req, req.params.run_id)).run_id));

    app.get<{ Params: Static<typeof RunParams>; Querystring: Static<typeof CostQuery> }>('/payment/runs/:run_id/cost', { schema: { params: RunParams, querystring: CostQuery }, config: READ }, async (req) =>
      costVsPayment(db, (await runInScope(req, req.params.run_id)).run_id, req.query.by ?? 'group', req.query.fixmedins_code),
    );

    app.get<{ Params: Static<typeof RunParams>; Querystring: Static<typeof OutlierQuery> }>('/payment/runs/:run_id/outliers', { schema: { params: RunParams, querystring: OutlierQuery }, config: READ }, async (req) =>
      outliers(db, (await runInScope(req, req.params.run_id)).run_id, req.query),
    );

    app.get<{ Querystring: Omit<Static<typeof KeyQuery>, 'on'> }>('/payment/statements', { schema: { querystring: KeyQuery }, config: READ }, async (req) => {
      requireAdmdvsInScope(staffOf(req).scope, req.query.admdvs, '付费结算单');
      const run = await latestRun(db, req.query.admdvs, req.query.pay_type, req.query.setl_year);
      return { run_id: run.run_id, point_value: run.point_value, pool: run.pool, list: await statements(db, run.run_id) };
    });
  };
