/**
 * Screenshots of every console page at 1366×768 into docs/screenshots/, for the README and reviews.
 *
 *   npm run screenshots                     # its own server: demo region with 10,000 persons, in memory
 *   npm run screenshots -- --url http://127.0.0.1:8080   # an already running `yibao serve` with the demo logins
 *   options: --out DIR, --persons N
 *
 * Needs the built console (npm run build) and Debian's chromium (apt-get install -y chromium fonts-noto-cjk;
 * the CJK fonts make the Chinese text render). Each page is waited for until its data is on screen. Its own
 * server gets demo settlements and one running job first (the demo region has neither); with --url the
 * settlement pages show what that server has. The wall display is shot at 1920×1080. It also gets a DRG pay year of
 * 甲市 and suspects in 甲市 and 乙市, one of them filed as a case and reviewed once by the 审核员 (23–31), and at a
 * 乙市 hospital 3101/3102 evaluations with warnings and the doctors' answers, settlement lists (one with a QC warning,
 * one refused) and a DRG year in which one list is a case (32–38).
 */
import { mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import type { Page } from 'playwright-core';
import { launchChromium, login, newContext, watchErrors } from '../test/e2e/browser.js';
import { findChromium, startConsoleServer, webBuilt, type ConsoleServer } from '../test/e2e/harness.js';
import { seedDemoSettlements } from '../src/server/routes/settlements.fixture.js';
import { startJob } from '../src/platform/jobs.js';
import { SYSTEM_ACTOR } from '../src/platform/oplog.js';
import { DEMO_PASSWORD } from '../test/e2e/harness.js';
import { seedPayYear, seedSuspects } from '../test/e2e/seed-payment-audit.js';
import { seedEvaluations, seedSetlLists, type EvalSeed, type SetlListSeed } from '../test/e2e/seed-setl-evals.js';
import { reconcileTotals } from '../src/settlement/reconcile.js';
import { yuanToFen } from '../src/platform/money.js';
import { beijingDate } from '../src/platform/time.js';

const { values } = parseArgs({ options: { url: { type: 'string' }, out: { type: 'string' }, persons: { type: 'string' } } });
const out = resolve(values.out ?? 'docs/screenshots');

const chromiumPath = findChromium();
if (!chromiumPath) {
  console.error('未找到 Chromium：请先运行 apt-get install -y chromium fonts-noto-cjk，或设置 CHROMIUM_PATH。');
  process.exit(1);
}
if (!values.url && !webBuilt()) {
  console.error('管理端尚未构建：请先运行 npm run build。');
  process.exit(1);
}

mkdirSync(out, { recursive: true });
let server: ConsoleServer | null = null;
let caseId: string | null = null;
let evals: EvalSeed | null = null;
let lists: SetlListSeed | null = null;
let stmtId: string | null = null;
const t0 = performance.now();
if (!values.url) {
  server = await startConsoleServer({ persons: Number(values.persons ?? 10_000) });
  // the demo region has no settlements of its own: settle visits of the past year, as the gateway would
  const seeded = await seedDemoSettlements(server.db, { institutions: 4, visits: 12, months: 11 });
  console.log(`服务已启动：${server.url}（${Math.round(performance.now() - t0)} ms，演示结算 ${seeded.settled.length} 笔）`);
  await seedPayYear(server.db, { hospitals: 5, perHospital: 40 });
  await seedSuspects(server.db, { admdvs: '990100', n: 12 });
  const b = await seedSuspects(server.db, { admdvs: '990200', n: 3 });
  // the 审核员 of 乙市 files two of them as a case and reviews it twice, through the API as the console would
  const call = async <T>(token: string | null, method: string, path: string, body?: unknown): Promise<T> => {
    const r = await fetch(`${server!.url}/api${path}`, { method, headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) }, body: body === undefined ? null : JSON.stringify(body) });
    if (!r.ok) throw new Error(`${method} ${path}: ${r.status} ${await r.text()}`);
    return (await r.json()) as T;
  };
  const { token } = await call<{ token: string }>(null, 'POST', '/auth/login', { username: 'shenhe', password: DEMO_PASSWORD });
  const filed = await call<{ case: { case_id: string } }>(token, 'POST', '/audit/cases', { suspect_ids: b.suspect_ids.slice(0, 2) });
  caseId = filed.case.case_id;
  await call(token, 'POST', `/audit/cases/${caseId}/actions`, { action: 'first_review', conclusion: 'confirm', opinion: '收费明细与病历不符，认定疑似违规' });
  evals = await seedEvaluations(server.db, { admdvs: '990200' });
  // a 3201 run of one hospital whose declared total is one 分 off the platform's (对账与清算, 15 and 42)
  const inst = (await server.db.k.selectFrom('setl').select('fixmedins_code').orderBy('setl_id').executeTakeFirstOrThrow()).fixmedins_code;
  const rows = await server.db.k.selectFrom('setl').selectAll().where('fixmedins_code', '=', inst).execute();
  const sum = (k: 'medfee_sumamt' | 'fund_pay_sumamt' | 'acct_pay') => rows.reduce((t, r) => t + yuanToFen(r[k]), 0);
  const run = await reconcileTotals(
    { db: server.db, actor: SYSTEM_ACTOR, msgid: `SHOT${Date.now()}`, opter_id: 'HIS', opter_name: '收费员', at: new Date(), admdvs: rows[0]!.clr_optins },
    { fixmedins_code: inst, setl_optins: rows[0]!.clr_optins, stmt_begndate: '2020-01-01', stmt_enddate: beijingDate(), insutype: '310', clr_type: rows[0]!.clr_type, refd_setl_flag: '1', medfee_sumamt: sum('medfee_sumamt') + 1, fund_pay_sumamt: sum('fund_pay_sumamt'), acct_pay: sum('acct_pay'), fixmedins_setl_cnt: rows.length },
  );
  stmtId = run.stmt_id;
  lists = await seedSetlLists(server.db, { admdvs: '990200' });
}
const base = values.url ?? server!.url;
const browser = await launchChromium(chromiumPath);
const written: string[] = [];
const problems: string[] = [];

async function settle(page: Page): Promise<void> {
  await page.waitForLoadState('networkidle');
  await page.locator('.ant-spin-spinning, .ant-skeleton-active').first().waitFor({ state: 'detached', timeout: 15_000 }).catch(() => undefined);
  await page.waitForTimeout(400); // chart and drawer animations
}

async function shot(page: Page, name: string): Promise<void> {
  await settle(page);
  const file = join(out, `${name}.png`);
  await page.screenshot({ path: file });
  written.push(file);
  console.log(`  ${name}.png`);
}

try {
  // ---- admin: every page
  {
    const ctx = await newContext(browser);
    const page = await ctx.newPage();
    page.setDefaultTimeout(60_000);
    const errors = watchErrors(page);
    await page.goto(`${base}/login`);
    await shot(page, '01-login');
    await login(page, base, 'admin');
    await page.locator('.yb-chart canvas').nth(2).waitFor();
    await shot(page, '02-home');

    await page.goto(`${base}/basic/catalogue?q=AMXL`);
    await page.getByRole('cell', { name: /阿莫西林/ }).first().waitFor();
    await shot(page, '03-catalogue-search');
    await page.goto(`${base}/basic/catalogue?q=MDAS&code=XA05BAR096A005010100601`);
    await page.getByText('限定支付范围').waitFor();
    await shot(page, '04-catalogue-detail');

    await page.goto(`${base}/basic/institutions`);
    await page.getByRole('cell', { name: /人民医院|医院/ }).first().waitFor();
    await shot(page, '05-institutions');
    // an institution whose agreement was once suspended shows a fuller agreement history
    const changed = server
      ? await server.db.k.selectFrom('fixmedins_agreement').select('fixmedins_code').where('agmt_stas', '<>', '1').orderBy('fixmedins_code').executeTakeFirst()
      : undefined;
    await page.goto(`${base}/basic/institutions?code=${changed?.fixmedins_code ?? 'H99010200001'}`);
    await page.getByRole('heading', { name: '定点协议历史' }).waitFor();
    await shot(page, '06-institution-detail');

    // a practitioner whose payment qualification was once suspended shows a fuller history
    const suspended = server
      ? await server.db.k.selectFrom('practitioner_qualification').select('prac_code').where('qual_stas', '=', '2').orderBy('prac_code').executeTakeFirst()
      : undefined;
    await page.goto(`${base}/basic/practitioners`);
    await page.locator('.ant-table-row').first().waitFor();
    const prac = suspended?.prac_code ?? (await page.locator('.ant-table-row td').first().innerText()).trim();
    await page.goto(`${base}/basic/practitioners?code=${prac}`);
    await page.getByRole('heading', { name: '医保支付资格历史' }).waitFor();
    await shot(page, '07-practitioner-detail');

    await page.goto(`${base}/basic/dict?type=psn_type`);
    await page.getByRole('cell', { name: '在职' }).first().waitFor().catch(() => undefined);
    await shot(page, '08-code-tables');
    await page.goto(`${base}/basic/dict?tab=areas`);
    await page.getByRole('cell', { name: '演示省甲市' }).waitFor();
    await shot(page, '09-areas');

    await page.goto(`${base}/enrollment/persons`);
    await page.locator('.ant-table-row').first().waitFor();
    await shot(page, '10-persons');
    await page.locator('.ant-table-row a').first().click();
    await page.getByText('参保信息').first().waitFor();
    await shot(page, '11-person-detail');

    await page.goto(`${base}/system/users`);
    await page.getByRole('cell', { name: 'jingban' }).waitFor();
    await shot(page, '12-users');
    await page.getByRole('button', { name: '新增用户' }).click();
    await page.getByRole('dialog').waitFor();
    await page.getByLabel('登录名').fill('zhangwei');
    await page.getByLabel('姓名').fill('张伟');
    await shot(page, '13-user-create');
    await page.keyboard.press('Escape');

    await page.goto(`${base}/system/oplog`);
    await page.locator('.ant-table-row').first().waitFor();
    await page.locator('.ant-table-row-expand-icon').nth(1).click();
    await shot(page, '14-oplog');

    await page.goto(`${base}/settlement/reconcile`);
    await page.locator('.ant-table-row, .ant-empty').first().waitFor();
    await shot(page, '15-reconcile');
    if (stmtId) {
      await page.locator('.ant-table-row').filter({ hasText: stmtId }).getByText(stmtId).click();
      await page.locator('.ant-drawer').getByText('不一致').first().waitFor();
      await shot(page, '42-reconcile-detail');
      await page.keyboard.press('Escape');
    }
    await page.getByRole('tab', { name: '月度清算' }).click();
    await page.locator('.ant-table-row, .ant-empty').first().waitFor();
    await shot(page, '43-clearing');

    await page.goto(`${base}/settlement/encounters`);
    await page.locator('.ant-table-row, .ant-empty').first().waitFor();
    await shot(page, '40-encounters');
    const firstId = page.locator('.ant-table-row').first().locator('a, button').first();
    if (await firstId.count()) {
      await firstId.click();
      await page.locator('.ant-drawer .ant-statistic').first().waitFor();
      await shot(page, '41-encounter-detail');
      await page.keyboard.press('Escape');
    }

    await page.goto(`${base}/monitor/fund`);
    await page.getByTestId('fund-kpi-reserve').waitFor();
    await page.locator('.yb-chart canvas').nth(1).waitFor();
    await shot(page, '39-fund-monitor');

    await page.goto(`${base}/monitor/dashboard`);
    await page.locator('.yb-chart canvas').nth(4).waitFor();
    await shot(page, '18-dashboard');
    await page.goto(`${base}/settlement/records`);
    await page.locator('.ant-table-row').first().waitFor();
    await shot(page, '19-settlements');
    // a settlement whose encounter was also reversed shows the fuller history; else the newest one
    const reversed = server ? await server.db.k.selectFrom('setl').select('init_setl_id').where('refd_setl_flag', '=', '1').orderBy('setl_id').executeTakeFirst() : undefined;
    if (reversed?.init_setl_id) await page.goto(`${base}/settlement/records/${reversed.init_setl_id}`);
    else await page.locator('.ant-table-row a').first().click();
    await page.getByText('费用明细与分类').waitFor();
    await shot(page, '20-settlement-detail');

    const job = server ? await startJob(server.db, SYSTEM_ACTOR, 'audit-batch', { year: 2026, admdvs: '990100' }, { admdvs: '990100', total: 12_000, stage: '正在执行规则 MGT-PRC-01' }) : null;
    await job?.progress({ done: 7_200 }, true);
    await page.goto(`${base}/monitor/jobs${job ? `?job=${job.job_id}` : ''}`);
    await page.locator('.ant-table-row, .ant-empty').first().waitFor();
    await shot(page, '21-jobs');
    await job?.finish({ suspects: 0 });

    // ---- DRG/DIP payment (23–25) and smart audit (26–31)
    await page.goto(`${base}/payment/drg`);
    await page.getByRole('tabpanel').locator('.ant-table-row, .ant-typography-secondary').first().waitFor();
    await shot(page, '23-drg-statements');
    await page.goto(`${base}/payment/drg?tab=cmi`);
    await page.locator('.yb-chart canvas').nth(1).waitFor().catch(() => undefined);
    await shot(page, '24-drg-cmi');
    await page.goto(`${base}/payment/drg`);
    const hosp = page.getByRole('tabpanel').locator('.ant-table-row a').first();
    await hosp.waitFor({ timeout: 15_000 }).catch(() => undefined); // a region without a run has no hospital rows
    if (await hosp.count()) {
      await hosp.click();
      await page.locator('.yb-chart canvas').nth(3).waitFor();
      await shot(page, '25-drg-hospital');
    }
    await page.goto(`${base}/audit/rules`);
    await page.locator('.ant-table-row').first().waitFor();
    await shot(page, '26-audit-rules');
    await page.goto(`${base}/audit/rules?rule=MGT-FRQ-01`);
    await page.getByRole('dialog').waitFor();
    await page.getByRole('tab', { name: /版本历史/ }).click().catch(() => undefined);
    await shot(page, '27-audit-rule-history');
    await page.goto(`${base}/audit/knowledge?kind=pair`);
    await page.locator('.ant-table-row').first().waitFor();
    await shot(page, '28-audit-knowledge');
    await page.goto(`${base}/audit/suspects`);
    await page.locator('.ant-table-row, .ant-empty').first().waitFor();
    await shot(page, '29-audit-suspects');
    if (caseId) {
      await page.goto(`${base}/audit/cases/${caseId}`);
      await page.locator('.ant-timeline').waitFor();
      await page.locator('.ant-table-row-expand-icon').first().click();
      await shot(page, '30-audit-case');
    }
    await page.goto(`${base}/audit/metrics`);
    await page.locator('.yb-chart canvas, .ant-empty').first().waitFor();
    await shot(page, '31-audit-metrics');

    // ---- 事前事中提醒 (32–33), 医保结算清单 (34–36), starting a job (37)
    await page.goto(`${base}/audit/alerts${evals ? `?fixmedins_code=${evals.fixmedins_code}` : ''}`);
    await page.locator('.ant-table-row, .ant-empty').first().waitFor();
    await shot(page, '32-audit-alerts');
    const twoWarnings = evals?.eval_ids[2];
    if (twoWarnings) {
      await page.goto(`${base}/audit/alerts?fixmedins_code=${evals!.fixmedins_code}&eval=${twoWarnings}`);
      await page.getByRole('dialog').locator('.ant-table-row').first().waitFor();
      await page.getByRole('dialog').locator('.ant-table-row-expand-icon').first().click();
      await shot(page, '33-audit-alert-detail');
    }
    await page.goto(`${base}/payment/setl-list${lists ? `?fixmedins_code=${lists.fixmedins_code}` : ''}`);
    await page.locator('.ant-table-row, .ant-empty').first().waitFor();
    await shot(page, '34-setl-lists');
    if (lists) {
      await page.goto(`${base}/payment/setl-list?fixmedins_code=${lists.fixmedins_code}&setl=${lists.setl_ids[1]}`);
      await page.getByRole('dialog').getByRole('tab', { name: /质控结果/ }).click();
      await page.getByRole('dialog').getByText('2130-poscode').first().waitFor();
      await shot(page, '35-setl-list-detail');
      await page.goto(`${base}/payment/setl-list?tab=qc&fixmedins_code=${lists.fixmedins_code}`);
      await page.locator('.ant-table-row').first().waitFor();
      await page.locator('.ant-table-row-expand-icon').first().click();
      await shot(page, '36-setl-list-qc');
    }
    await page.goto(`${base}/monitor/jobs`);
    await page.locator('.ant-table-row, .ant-empty').first().waitFor();
    await page.getByRole('button', { name: '发起年度付费计算' }).click();
    await page.getByRole('dialog').waitFor();
    await shot(page, '37-jobs-start');
    await page.keyboard.press('Escape');
    if (errors.length) problems.push(...errors.map((e) => `admin: ${e}`));
    await ctx.close();
  }
  // ---- the wall display at 1920×1080
  {
    const ctx = await browser.newContext({ viewport: { width: 1920, height: 1080 }, locale: 'zh-CN', timezoneId: 'Asia/Shanghai', deviceScaleFactor: 1 });
    const page = await ctx.newPage();
    page.setDefaultTimeout(60_000);
    const errors = watchErrors(page);
    await login(page, base, 'admin');
    await page.goto(`${base}/wall`);
    await page.locator('.yb-chart canvas').nth(4).waitFor();
    await page.waitForTimeout(800); // the dark theme's chart animations
    await shot(page, '22-wall');
    if (errors.length) problems.push(...errors.map((e) => `wall: ${e}`));
    await ctx.close();
  }
  // ---- the 审核员 of 乙市 hands the case to a reviewer chosen from the list (38)
  if (caseId) {
    const ctx = await newContext(browser);
    const page = await ctx.newPage();
    page.setDefaultTimeout(60_000);
    const errors = watchErrors(page);
    await login(page, base, 'shenhe');
    await page.goto(`${base}/audit/cases/${caseId}`);
    await page.getByRole('button', { name: '分配审核人' }).click();
    await page.getByRole('dialog').getByLabel('审核人').click();
    await page.locator('.ant-select-dropdown:visible .ant-select-item-option').first().waitFor();
    await shot(page, '38-audit-case-assign');
    if (errors.length) problems.push(...errors.map((e) => `shenhe: ${e}`));
    await ctx.close();
  }
  // ---- a 经办员: the menu without 系统管理, and what a forbidden page looks like
  {
    const ctx = await newContext(browser);
    const page = await ctx.newPage();
    page.setDefaultTimeout(60_000);
    const errors = watchErrors(page);
    await login(page, base, 'jingban');
    await page.locator('.yb-chart canvas').nth(2).waitFor();
    await shot(page, '16-home-handler');
    await page.goto(`${base}/system/users`);
    await page.getByText('无权访问').waitFor();
    await shot(page, '17-forbidden');
    if (errors.length) problems.push(...errors.map((e) => `jingban: ${e}`));
    await ctx.close();
  }
} finally {
  await browser.close();
  await server?.close();
}
console.log(`已写入 ${written.length} 张截图到 ${out}（用时 ${Math.round((performance.now() - t0) / 1000)} 秒）`);
if (problems.length) {
  console.error(`浏览器控制台报错：\n${problems.join('\n')}`);
  process.exitCode = 1;
}
