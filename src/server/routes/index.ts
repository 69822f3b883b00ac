/**
 * The staff REST API under /api: the auth guard, then one plugin per subject. JSON in and out; errors are
 * `{ code, message, problems }` with Chinese messages. Every route but login needs `Authorization: Bearer <token>`.
 *
 *   method  path                              permission          notes
 *   POST    /api/auth/login                   public              {username,password} → {token,expires_at,user,permissions}
 *   POST    /api/auth/logout                  login               revokes the caller's token
 *   GET     /api/auth/me                      login               user, permissions, scope
 *   POST    /api/auth/password                login               {old_password,new_password}; ends the other sessions
 *   GET     /api/roles                        login               role table (codes, names, permissions)
 *   GET     /api/persons                      person:read         ?q (psn_no prefix / name) &insuplc_admdvs &insutype, paged, certno masked
 *   GET     /api/persons/:psn_no              person:read         1101 view (?on)
 *   POST    /api/persons/lookup               person:read         {psn_no|certno|card_no, on?} → 1101 view (ids kept out of URLs)
 *   GET     /api/institutions                 institution:read    ?q (code / name / pinyin) &admdvs &fixmedins_type &hosp_lv &on, paged
 *   GET     /api/institutions/:code           institution:read    version on ?on, agreement on that date, agreement history
 *   GET     /api/practitioners                practitioner:read   ?q &fixmedins_code &prac_type &on, paged
 *   GET     /api/practitioners/:prac_code     practitioner:read   version on ?on, institution, qualification on that date and history
 *   GET     /api/catalogue                    catalogue:read      ?q (code / name / pinyin) &list_type &chrgitm_lv &med_chrgitm_type &insu_admdvs &on, paged
 *   GET     /api/catalogue/:hilist_code       catalogue:read      item on ?on (&hosp_lv &insutype &insu_admdvs), caps by level, self-pay ratios, restriction
 *   GET     /api/dict                         dict:read           code tables valid on ?on, with Chinese names and sizes
 *   GET     /api/dict/:dict_type              dict:read           items of one table
 *   GET     /api/areas                        dict:read           areas on ?on (&poolarea_flag &admdvs_lv), each with in_scope
 *   GET     /api/oplog                        oplog:read          ?action (prefix) &target_type &target_id &opter_id &admdvs &from &to, newest first
 *   GET     /api/users                        user:read           ?q &role &status, paged
 *   GET     /api/users/:user_id               user:read
 *   POST    /api/users                        user:write          {user_id,user_name,role,admdvs?,fixmedins_code?,password?} → 201 {user, initial_password?}
 *   PATCH   /api/users/:user_id               user:write          {user_name?,role?,admdvs?,fixmedins_code?}
 *   POST    /api/users/:user_id/password      user:write          {password?} → {user, initial_password?}; ends the user's sessions
 *   POST    /api/users/:user_id/disable       user:write          ends the user's sessions
 *   POST    /api/users/:user_id/enable        user:write
 *   GET     /api/settlements                  settlement:read     ?q (psn_no prefix / name) &psn_no &setl_id &fixmedins_code &begndate &enddate &insutype &med_type &infno &vali_flag, paged, certno masked
 *   GET     /api/settlements/:setl_id         settlement:read     setlinfo, setldetail (setl_proc_info), fee lines with their split, encounter, reversal history
 *   GET     /api/encounters                   settlement:read     ?q &psn_no &mdtrt_id &ipt_otp_no &fixmedins_code &ipt_otp_flag &med_type &insutype &begndate &enddate &status (open|discharged|settled|cancelled) &in_hosp=1, paged, certno masked
 *   POST    /api/encounters/search            settlement:read     the same filters in the body plus certno (ids kept out of URLs)
 *   GET     /api/encounters/:mdtrt_id         settlement:read     encounter, person, diagnoses, fee-line count/total by type, its settlements and reversals
 *   GET     /api/reconcile/runs[/:stmt_id]    settlement:read     3201/3202 runs: ?fixmedins_code &infno &stmt_rslt &begndate &enddate, paged; detail = both sides' figures with differences, differences by type
 *   GET     /api/reconcile/runs/:stmt_id/difs settlement:read     ?dif_type: a 3202 run's differing rows, paged
 *   GET     /api/reconcile/clearing           settlement:read     ?year &month &fixmedins_code: per institution × month 应拨付 from the fund ledger (fund + account, net of reversals), DRG/DIP pre-payments beside, paged, totals
 *   GET     /api/dashboard                    dashboard:read      ?on: 运行监测 aggregates (today/month/year, by fund, insutype, level, institution, trend, audit)
 *   GET     /api/jobs                         job:read            ?kind &limit: long jobs with progress, newest first
 *   GET     /api/jobs/:job_id                 job:read            one job (poll to follow it)
 *
 *   GET     /api/audit/rules                  audit:read          ?on &q &rule_cls &stage &enabled: rules in force
 *   GET     /api/audit/rules/:rule_id         audit:read          version on ?on + every version (history)
 *   PUT     /api/audit/rules/:rule_id         audit:rule:write    a new version from begndate (metadata + params checked, Chinese problems)
 *   POST    /api/audit/rules/:rule_id/enabled audit:rule:write    {enabled, from}: switch on/off from a date
 *   GET     /api/audit/kb/:kind               audit:read          item|pair|freq|drug|herb|cycle ?code &on &kb_ver, paged; /api/audit/kb-loads: versions
 *   GET     /api/audit/suspects               audit:read          ?rule_id &fixmedins_code &psn_no &stas &sev_deg &stage &run_id &from &to, paged
 *   GET     /api/audit/suspects/:suspect_id   audit:read          with evidence and its case
 *   GET     /api/audit/metrics/:family        audit:read          activity|review|compliance|latency ?from &to &rule_id &fixmedins_code &by=rule_id,fixmedins_code,month
 *   GET     /api/audit/evals[/:eval_id]       audit:read          3101/3102 evaluation log (?from &to &fixmedins_code &infno &trig_scen &hit), warnings, dispositions
 *   POST    /api/audit/batch                  audit:rule:write    {from,to,rules?} → 202 {job_id} (node-wide scope; 409 while one runs); follow via /api/jobs/:job_id
 *   GET     /api/audit/evaluations[/:eval_id] audit:read          提醒记录: ?from &to &fixmedins_code &infno &trig_scen &hit &rule_id &dspo, patients masked, hit rules, 3103 summary; detail = result[] with dispositions
 *   GET     /api/audit/reviewers              audit:case:read     ?admdvs: active 审核员/稽核员 a case can be assigned to (only callers with audit:review|investigate)
 *   GET     /api/setl-lists                   payment:read        ?setl_id &psn_no &fixmedins_code &stas_type &qc_rslt &begndate &enddate, paged (lists in force)
 *   GET     /api/setl-lists/qc-runs           payment:read        ?fixmedins_code &accepted &rule_id &from &to, paged (accepted and refused uploads with findings)
 *   GET     /api/setl-lists/:setl_id          payment:read        ?ver_no: content (masked), versions, status history, QC warnings, last QC run, DRG/DIP groups
 *   GET     /api/audit/cases                  audit:case:read     ?case_stas &fixmedins_code &rule_id &assignee_id &overdue, paged (机构用户: own cases)
 *   GET     /api/audit/cases/queue            audit:case:read     my queue: assigned to me, or unassigned where I can act
 *   GET     /api/audit/cases/:case_id         audit:case:read     case, suspects, trail, recoveries, overdue, allowed actions
 *   POST    /api/audit/cases                  audit:review|investigate  {suspect_ids, assignee_id?, memo?} → 201
 *   POST    /api/audit/cases/:case_id/actions per action          {action, conclusion?, opinion?, attachments?, assignee_id?, dspo_type?, items?, rcv_date?}
 *   GET/PUT /api/audit/case-limits[/:stas]    case:read / rule:write  step time limits {limit_days, day_type W|C}
 *   GET/PUT /api/payment/params           payment:read/write  ?admdvs&pay_type&setl_year: versions + in force; PUT a new version from begndate
 *   GET/POST /api/payment/runs            payment:read/write  runs of a region and year; POST {admdvs,pay_type,setl_year} → 202 {job_id}
 *   GET     /api/payment/jobs/:job_id         payment:read        a run's job; /api/payment/runs/:run_id[/statements|/cmi|/cost|/outliers], /api/payment/statements
 *   GET     /api/fund/overview                dashboard:read      ?year &admdvs &insutype &fund_pay_type &growth_threshold: 基金收支 by month, 同比/环比, balance, months of reserve, warnings, DRG CMI (机构用户 403)
 *   POST    /api/fund/income                  payment:write       {admdvs,insutype,fund_pay_type,year,month,clct_inc?,fin_subs_inc?,int_inc?,oth_inc?,memo?} → 201
 *   POST    /api/fund/opening-balance         payment:write       {admdvs,insutype,fund_pay_type,year,open_balc}
 * Out of scope: a person or a settlement → 404 (whether someone is insured is personal data); an institution, practitioner or
 * user → 403 (public registers / staff lists). Lists are filtered to the scope silently.
 */
import type { FastifyPluginAsync } from 'fastify';
import { installAuth } from '../auth/hook.js';
import type { AppDeps } from '../app.js';
import { authRoutes } from './auth.js';
import { catalogueRoutes } from './catalogue.js';
import { dictRoutes } from './dict.js';
import { institutionRoutes } from './institutions.js';
import { oplogRoutes } from './oplog.js';
import { personRoutes } from './persons.js';
import { practitionerRoutes } from './practitioners.js';
import { userRoutes } from './users.js';
import { auditRoutes } from './audit.js';
import { auditCaseRoutes } from './audit-cases.js';
import { auditBatchRoutes } from './audit-batch.js';
import { settlementRoutes } from './settlements.js';
import { dashboardRoutes } from './dashboard.js';
import { jobRoutes } from './jobs.js';
import { paymentRoutes } from './payment.js';
import { fundRoutes } from './fund.js';
import { encounterRoutes } from './encounters.js';
import { reconcileRoutes } from './reconcile.js';
import { auditEvaluationRoutes } from './audit-evaluations.js';
import { auditReviewerRoutes } from './audit-reviewers.js';
import { setlListRoutes } from './setl-lists.js';

export const apiRoutes =
  (deps: AppDeps): FastifyPluginAsync =>
  async (app) => {
    installAuth(app, { db: deps.db, nodeAdmdvs: deps.config.nodeAdmdvs });
    // a POST without a body counts as {}: optional bodies need no payload, required fields are named one by one
    app.addHook('preValidation', async (req) => {
      if (req.body === undefined && req.routeOptions.schema?.body) req.body = {};
    });
    for (const routes of [authRoutes, personRoutes, institutionRoutes, practitionerRoutes, catalogueRoutes, dictRoutes, oplogRoutes, userRoutes, auditRoutes, auditCaseRoutes, auditBatchRoutes, settlementRoutes, dashboardRoutes, jobRoutes, paymentRoutes, fundRoutes, auditEvaluationRoutes, auditReviewerRoutes, setlListRoutes, encounterRoutes, reconcileRoutes]) {
      await app.register(routes(deps));
    }
  };
