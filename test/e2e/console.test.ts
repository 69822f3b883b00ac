/**
 * Browser journeys through the staff web console: a real server (buildApp over a private database with the demo
 * region) serving the built console, driven by Debian's Chromium through playwright-core. Each journey asserts
 * that the browser console stayed free of errors.
 *
 * Runs when a Chromium is found (/usr/bin/chromium, or CHROMIUM_PATH) and is skipped with a message otherwise;
 * with YIBAO_E2E=require (CI) a missing Chromium fails instead; YIBAO_E2E=skip skips them on purpose. Needs the
 * built console (npm run build:web).
 */
import { readFile } from 'node:fs/promises';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, test } from 'vitest';
import { gone, launchChromium, login, newContext, shown, textOf, watchErrors } from './browser.js';
import { DEMO_PASSWORD, findChromium, startConsoleServer, webBuilt, type ConsoleServer } from './harness.js';
import { seedDemoSettlements } from '../../src/server/routes/settlements.fixture.js';
import { startJob } from '../../src/platform/jobs.js';
import { SYSTEM_ACTOR } from '../../src/platform/oplog.js';
import { seedPayYear, seedSuspects } from './seed-payment-audit.js';
import { seedEvaluations, seedSetlLists } from './seed-setl-evals.js';
import { reconcileTotals } from '../../src/settlement/reconcile.js';
import { yuanToFen } from '../../src/platform/money.js';
import { addDays, beijingDate } from '../../src/platform/time.js';

const optedOut = process.env.YIBAO_E2E === 'skip';
const chromiumPath = optedOut ? null : findChromium();
const required = process.env.YIBAO_E2E === 'require';
if (!chromiumPath && !required) {
  console.warn(
    optedOut
      ? '[e2e] YIBAO_E2E=skip：跳过管理端浏览器测试。'
      : '[e2e] 未找到 Chromium（/usr/bin/chromium 或 CHROMIUM_PATH），跳过管理端浏览器测试。安装：apt-get install -y chromium',
  );
}

describe.skipIf(!chromiumPath && !required)('staff web console in Chromium', () => {
  let server: ConsoleServer;
  let browser: Browser;
  let ctx: BrowserContext;
  let page: Page;
  let errors: string[];
  /** Console errors a journey provokes on purpose (e.g. the 401 of a revoked session). */
  let expectedErrors: RegExp[] = [];
  let seeded: { settled: string[]; reversed: string[] };

  async function tokenOf(user: string): Promise<string> {
    const r = await fetch(`${server.url}/api/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: user, password: DEMO_PASSWORD }) });
    return ((await r.json()) as { token: string }).token;
  }

  /** GET on the API as a demo user, from the test side: the numbers the page should show. */
  async function apiAs<T>(user: string, path: string): Promise<T> {
    const token = await tokenOf(user);
    const res = await fetch(`${server.url}/api${path}`, { headers: { authorization: `Bearer ${token}` } });
    return (await res.json()) as T;
  }

  const statistic = (title: string) => page.locator('.ant-statistic').filter({ has: page.getByText(title, { exact: true }) }).locator('.ant-statistic-content');

  beforeAll(async () => {
    if (!chromiumPath) throw new Error('YIBAO_E2E=require，但未找到 Chromium：请运行 apt-get install -y chromium，或设置 CHROMIUM_PATH');
    if (!webBuilt()) throw new Error('管理端尚未构建（web/dist 不存在）：请先运行 npm run build:web');
    server = await startConsoleServer({ persons: 300 });
    // the demo region has no settlements: make some through the settlement service, as the gateway would
    seeded = await seedDemoSettlements(server.db, { institutions: 2, visits: 4 });
    browser = await launchChromium(chromiumPath);
  });

  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  async function fresh(): Promise<void> {
    ctx = await newContext(browser);
    page = await ctx.newPage();
    page.setDefaultTimeout(20_000);
    errors = watchErrors(page);
    expectedErrors = [];
  }

  afterEach(async () => {
    const unexpected = errors.filter((e) => !expectedErrors.some((re) => re.test(e)));
    await ctx?.close();
    expect(unexpected, '浏览器控制台不应有错误').toEqual([]);
  });

  test('the login page has labelled fields and the demo hint; a wrong password is refused in Chinese', async () => {
    await fresh();
    await page.goto(`${server.url}/`);
    await page.waitForURL(/\/login$/);
    await expect.poll(() => page.evaluate('document.activeElement && document.activeElement.id')).toBe(await page.getByLabel('用户名').getAttribute('id'));
    await shown(page.getByLabel('密码', { exact: true }));
    await shown(page.getByText('演示环境'));
    // the demo buttons fill the form
    await page.getByRole('button', { name: /填入演示账号 shenhe/ }).click();
    await expect.poll(() => page.getByLabel('用户名').inputValue()).toBe('shenhe');
    await page.getByLabel('密码', { exact: true }).fill('wrong-password-1');
    expectedErrors = [/status of 401/];
    await page.getByRole('button', { name: /登\s*录/ }).click();
    await expect.poll(() => page.locator('.ant-alert-error').innerText()).toContain('用户名或密码');
  });

  test('an administrator signs in with the keyboard and the home page shows real counts and charts', async () => {
    await fresh();
    await login(page, server.url, 'admin');
    const [inst, cat, persons] = await Promise.all([
      apiAs<{ total: number }>('admin', '/institutions?page_size=1'),
      apiAs<{ total: number }>('admin', '/catalogue?page_size=1'),
      apiAs<{ total: number }>('admin', '/persons?page_size=1'),
    ]);
    expect(persons.total).toBe(300);
    await expect.poll(() => textOf(statistic('定点医药机构'))).toBe(`${inst.total.toLocaleString('en-US')}家`);
    await expect.poll(() => textOf(statistic('医保目录'))).toBe(`${cat.total.toLocaleString('en-US')}条`);
    await expect.poll(() => textOf(statistic('参保人员'))).toBe('300人');
    // three charts drawn on canvas, described for screen readers
    await expect.poll(() => page.locator('.yb-chart canvas').count()).toBe(3);
    const box = await page.locator('.yb-chart').first().boundingBox();
    expect(box!.width).toBeGreaterThan(200);
    expect(box!.height).toBeGreaterThan(200);
    await expect.poll(() => page.locator('.yb-chart').first().getAttribute('aria-label')).toMatch(/定点医药机构/);
    // every section of the platform is in the menu for an administrator
    for (const section of ['运行监测', '结算管理', '智能监管', '支付方式', '基础信息', '参保管理', '系统管理']) {
      await shown(page.getByRole('navigation', { name: '主菜单' }).getByText(section, { exact: true }));
    }
  });

  test('catalogue search by pinyin initials opens an item with caps by level, self-pay ratio and restriction', async () => {
    await fresh();
    await login(page, server.url, 'jingban');
    const nav = page.getByRole('navigation', { name: '主菜单' });
    await nav.getByText('基础信息', { exact: true }).click();
    await nav.getByText('医保目录', { exact: true }).click();
    await page.getByRole('heading', { name: '医保目录' }).waitFor();
    await page.getByLabel('关键字').fill('AMXL');
    await page.getByLabel('关键字').press('Enter');
    await page.waitForURL(/q=AMXL/);
    const first = page.locator('.ant-table-row').first();
    await expect.poll(() => first.innerText()).toContain('阿莫西林');
    await first.getByRole('button', { name: /阿莫西林/ }).click();
    const drawer = page.getByRole('dialog');
    await shown(drawer.getByText('支付限价（按医院等级）'));
    await shown(drawer.getByRole('cell', { name: '三级' }));
    await shown(drawer.getByText('先行自付比例').first());
    await shown(drawer.getByRole('heading', { name: '限定支付范围' }));
    await shown(drawer.getByText(/至 长期/).first());
    // Escape closes the drawer and the URL forgets the item
    await page.keyboard.press('Escape');
    await gone(drawer);
    await expect.poll(() => page.url()).not.toMatch(/code=/);
    // a restricted item shows its restriction
    await page.goto(`${server.url}/basic/catalogue?code=XA05BAR096A005010100601`);
    await shown(page.getByRole('dialog').getByText('限定诊断'));
    await shown(page.getByRole('dialog').getByText('K70-K77'));
  });

  test('person search opens the 1101 view with relations and a masked certificate number', async () => {
    await fresh();
    await login(page, server.url, 'jingban');
    const list = await apiAs<{ total: number; list: { psn_no: string; psn_name: string; insuplc_admdvs: string }[] }>('jingban', '/persons?page_size=1');
    const person = list.list[0]!;
    await page.goto(`${server.url}/enrollment/persons`);
    await page.getByLabel('人员编号或姓名').fill(person.psn_name);
    await page.getByRole('button', { name: /查\s*询/ }).click();
    const row = page.locator('.ant-table-row').filter({ hasText: person.psn_no });
    await shown(row);
    await row.getByRole('link', { name: person.psn_name }).click();
    await page.waitForURL(new RegExp(`/enrollment/persons/${person.psn_no}$`));
    await shown(page.getByRole('heading', { name: new RegExp(person.psn_name) }));
    await shown(page.getByText('参保信息', { exact: true }));
    await expect.poll(() => page.locator('.ant-table-row').first().innerText()).toContain('甲市');
    await shown(page.getByText(/^\d{4}\*+[\dX]{4}$/));
    await page.getByRole('button', { name: '显示完整证件号码' }).click();
    await shown(page.getByText(/^\d{17}[\dX]$/));
    // the exact look-up by certificate number (sent in a POST body, never in the address)
    const view = await apiAs<{ baseinfo: { certno: string } }>('jingban', `/persons/${person.psn_no}`);
    await page.goto(`${server.url}/enrollment/persons`);
    await page.getByRole('button', { name: /按证件号码/ }).click();
    const dialog = page.getByRole('dialog');
    await dialog.getByLabel('号码', { exact: true }).fill(view.baseinfo.certno);
    await dialog.getByLabel('号码', { exact: true }).press('Enter');
    await page.waitForURL(new RegExp(`/enrollment/persons/${person.psn_no}$`));
    expect(page.url()).not.toContain(view.baseinfo.certno);
  });

  test('an administrator creates, changes, resets and disables a user, and finds each step in the operation log', async () => {
    await fresh();
    await login(page, server.url, 'admin');
    await page.getByRole('navigation', { name: '主菜单' }).getByText('系统管理', { exact: true }).click();
    await page.getByRole('navigation', { name: '主菜单' }).getByText('用户管理', { exact: true }).click();
    await page.getByRole('button', { name: '新增用户' }).click();
    const dialog = page.getByRole('dialog');
    await dialog.getByLabel('登录名').fill('e2e.handler');
    await dialog.getByLabel('姓名').fill('端到端测试经办员');
    await dialog.getByLabel('角色').click();
    await page.locator('.ant-select-dropdown:visible .ant-select-item-option').filter({ hasText: /^经办员/ }).click();
    // the area list is searchable from the keyboard
    await dialog.getByLabel('管辖区划').click();
    await page.keyboard.type('甲市');
    await page.keyboard.press('Enter');
    await expect.poll(() => dialog.locator('.ant-select-content, .ant-select-selection-item').allInnerTexts()).toContain('演示省甲市（990100）');
    await dialog.getByRole('button', { name: /创\s*建/ }).click();
    // the generated password is shown once
    await expect.poll(() => page.getByTestId('initial-password').innerText()).toMatch(/^[A-Za-z0-9]{14}$/);
    await page.getByRole('button', { name: '我已记下' }).click();
    const userRow = page.locator('.ant-table-row').filter({ hasText: 'e2e.handler' });
    await expect.poll(() => userRow.innerText()).toContain('经办员');
    // change the role, reset the password, disable
    await userRow.getByRole('button', { name: '修改' }).click();
    await expect.poll(() => dialog.getByLabel('姓名').inputValue()).toBe('端到端测试经办员');
    await dialog.getByLabel('角色').click();
    await page.locator('.ant-select-dropdown:visible .ant-select-item-option').filter({ hasText: /^审核员/ }).click();
    await dialog.getByRole('button', { name: /保\s*存/ }).click();
    await expect.poll(() => userRow.innerText()).toContain('审核员');
    await userRow.getByRole('button', { name: '重置密码' }).click();
    await page.locator('.ant-popover:visible').getByRole('button', { name: /重\s*置/ }).click();
    await expect.poll(() => page.getByTestId('initial-password').innerText()).toMatch(/^[A-Za-z0-9]{14}$/);
    await page.getByRole('button', { name: '我已记下' }).click();
    await userRow.getByRole('button', { name: '停用' }).click();
    await page.locator('.ant-popover:visible').getByRole('button', { name: /停\s*用/ }).click();
    await shown(userRow.getByRole('button', { name: '启用' }));

    await page.getByRole('navigation', { name: '主菜单' }).getByText('操作日志', { exact: true }).click();
    await page.getByLabel('对象编号').fill('e2e.handler');
    await page.getByLabel('对象编号').press('Enter');
    for (const action of ['user.create', 'user.update', 'user.reset_password', 'user.disable']) {
      await expect.poll(() => page.locator('.ant-table-row').filter({ hasText: action }).count()).toBe(1);
    }
    const row = page.locator('.ant-table-row').filter({ hasText: 'user.create' });
    await expect.poll(() => row.innerText()).toContain('系统管理员');
    await row.locator('.ant-table-row-expand-icon').click();
    await shown(page.locator('.ant-table-expanded-row').getByRole('cell', { name: '端到端测试经办员' }).first());
  });

  test('a 经办员 does not see 系统管理, and opening it by address answers 无权访问', async () => {
    await fresh();
    await login(page, server.url, 'jingban');
    const nav = page.getByRole('navigation', { name: '主菜单' });
    await shown(nav.getByText('参保管理', { exact: true }));
    await expect.poll(() => nav.getByText('系统管理', { exact: true }).count()).toBe(0);
    // the counts are the handler's own area
    const inst = await apiAs<{ total: number }>('jingban', '/institutions?page_size=1');
    await expect.poll(() => textOf(statistic('定点医药机构'))).toBe(`${inst.total}家`);
    await page.goto(`${server.url}/system/users`);
    await shown(page.getByText('无权访问'));
    await shown(page.getByText(/没有“查看用户”权限/));
    // data of another city: a person answers 404 and an institution 403, each with the server's Chinese message
    const other = await apiAs<{ list: { psn_no: string }[] }>('admin', '/persons?insuplc_admdvs=990200&page_size=1');
    const otherInst = await apiAs<{ list: { fixmedins_code: string }[] }>('admin', '/institutions?admdvs=990200&page_size=1');
    expectedErrors = [/status of 404/, /status of 403/];
    await page.goto(`${server.url}/enrollment/persons/${other.list[0]!.psn_no}`);
    await shown(page.getByText(/未找到参保人.*不在您的管辖区划内/));
    await page.goto(`${server.url}/basic/institutions?code=${otherInst.list[0]!.fixmedins_code}`);
    await shown(page.getByRole('dialog').getByText(/无权访问：定点医药机构 .*不在您的管辖区划内/));
  });

  test('the menu works from the keyboard', async () => {
    await fresh();
    await login(page, server.url, 'jingban');
    await page.getByRole('navigation', { name: '主菜单' }).getByRole('menu').first().focus();
    const moveTo = async (label: string) => {
      for (let i = 0; i < 30; i++) {
        await page.keyboard.press('ArrowDown');
        const text = (await page.evaluate('document.activeElement && document.activeElement.textContent')) as string | null;
        if (text?.startsWith(label)) return;
      }
      throw new Error(`菜单中没有 ${label}`);
    };
    await moveTo('基础信息');
    await page.keyboard.press('Enter');
    // the submenu opens with a collapse animation; an item focused during it can lose focus when the motion ends
    await shown(page.getByRole('navigation', { name: '主菜单' }).getByRole('menuitem', { name: '码表与区划' }));
    await expect.poll(() => page.locator('.ant-motion-collapse, .ant-motion-collapse-legacy').count()).toBe(0);
    await moveTo('码表与区划');
    await page.keyboard.press('Enter');
    await page.waitForURL(/\/basic\/dict$/);
    await shown(page.getByRole('heading', { name: '码表与区划' }));
    await shown(page.getByRole('cell', { name: '收费项目等级' }));
  });

  test('an institution user sees neither persons nor 系统管理; an ended session goes back to the login page', async () => {
    await fresh();
    await login(page, server.url, 'jigou');
    const nav = page.getByRole('navigation', { name: '主菜单' });
    await expect.poll(() => nav.getByText('参保管理', { exact: true }).count()).toBe(0);
    await shown(nav.getByText('智能监管', { exact: true }));
    await expect.poll(() => textOf(statistic('定点医药机构'))).toBe('1家');
    // the session is revoked behind the browser's back: the next call answers 401
    const token = (await page.evaluate('sessionStorage.getItem("yibao.token")')) as string;
    await fetch(`${server.url}/api/auth/logout`, { method: 'POST', headers: { authorization: `Bearer ${token}` } });
    expectedErrors = [/status of 401/];
    await nav.getByText('基础信息', { exact: true }).click();
    await nav.getByText('定点医药机构', { exact: true }).click();
    await page.waitForURL(/\/login$/);
    await shown(page.getByText(/登录已失效|重新登录|会话/));
    // signing in again returns to the page that was asked for
    await page.getByLabel('用户名').fill('jigou');
    await page.getByLabel('密码', { exact: true }).fill(DEMO_PASSWORD);
    await page.getByLabel('密码', { exact: true }).press('Enter');
    await shown(page.getByRole('heading', { name: '定点医药机构' }));
    await expect.poll(() => page.locator('.ant-table-row').count()).toBe(1);
  });

  test('the 运行监测 dashboard shows today’s settlements with charts, units and exports', async () => {
    await fresh();
    await login(page, server.url, 'admin');
    const nav = page.getByRole('navigation', { name: '主菜单' });
    await nav.getByText('运行监测看板', { exact: true }).click();
    await page.getByRole('heading', { name: '运行监测看板' }).waitFor();
    const dash = await apiAs<{ today: { setl_cnt: number }; year: { setl_cnt: number } }>('admin', '/dashboard');
    // every seeded settlement happened today; a reversed one does not count
    expect(dash.today.setl_cnt).toBe(seeded.settled.length - seeded.reversed.length);
    await expect.poll(() => textOf(statistic('今日结算'))).toBe(`${dash.today.setl_cnt}人次`);
    // a chart per figure with data, the fund's income against spending among them (no suspects yet: that one says so instead)
    await expect.poll(() => page.locator('.yb-chart canvas').count()).toBe(7);
    await shown(page.getByText('可支付月数').first());
    await shown(page.getByText('所选期间没有数据'));
    await shown(page.getByText('单位：万元').first());
    await expect.poll(() => page.locator('.yb-chart').first().getAttribute('aria-label')).toMatch(/结算人次/);
    // the trend's numbers as CSV
    const [csv] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: '导出「近 12 个月结算趋势」数据' }).click()]);
    expect(csv.suggestedFilename()).toMatch(/^运行监测-近 12 个月结算趋势-\d{4}-\d{2}-\d{2}\.csv$/);
    const text = await (await import('node:fs/promises')).readFile((await csv.path())!, 'utf8');
    expect(text.split('\r\n')[0]).toBe('\uFEFF月份,结算人次,医疗总费用（元）,基金支付（元）');
    expect(text.split('\r\n').filter((l) => l).length).toBe(13);
    const [png] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: '导出「本年基金支付构成（按基金类型）」图片' }).click()]);
    expect(png.suggestedFilename()).toMatch(/\.png$/);
    // a day before any settlement shows zeros
    await page.goto(`${server.url}/monitor/dashboard?on=2025-01-02`);
    await expect.poll(() => textOf(statistic('本年结算'))).toBe('0人次');
  });

  test('a 经办员 finds a settlement by person name and opens its fee lines, funds and history', async () => {
    await fresh();
    await login(page, server.url, 'jingban');
    const list = await apiAs<{ total: number; list: { setl_id: string; psn_name: string; fixmedins_code: string }[] }>('jingban', '/settlements?infno=2207&vali_flag=1&page_size=1');
    expect(list.total).toBeGreaterThan(0);
    const target = list.list[0]!;
    const nav = page.getByRole('navigation', { name: '主菜单' });
    await nav.getByText('结算管理', { exact: true }).click();
    await nav.getByText('结算查询', { exact: true }).click();
    await page.getByRole('heading', { name: '结算查询' }).waitFor();
    await page.getByLabel('人员编号或姓名').fill(target.psn_name);
    await page.getByLabel('人员编号或姓名').press('Enter');
    await page.waitForURL(/q=/);
    const row = page.locator('.ant-table-row').filter({ hasText: target.setl_id });
    await shown(row);
    await row.getByRole('link', { name: target.setl_id }).click();
    await page.waitForURL(new RegExp(`/settlement/records/${target.setl_id}$`));
    await shown(page.getByRole('heading', { name: `结算详情 ${target.setl_id}` }));
    const detail = await apiAs<{ feedetail: unknown[]; setldetail: { setl_proc_info: string }[] }>('jingban', `/settlements/${target.setl_id}`);
    const lines = page.locator('.ant-card').filter({ hasText: '费用明细与分类' }).locator('.ant-table-row');
    await expect.poll(() => lines.count()).toBe(detail.feedetail.length);
    for (const h of ['全自费', '超限价', '先行自付', '政策范围内']) await shown(page.getByRole('columnheader', { name: h, exact: true }));
    await shown(page.getByText(detail.setldetail[0]!.setl_proc_info.slice(0, 12)).first());
    await shown(page.getByText('结算与撤销记录'));
    // a reversed settlement: its history shows the reversal, which opens in turn
    const reversal = await apiAs<{ list: { setl_id: string; init_setl_id: string }[] }>('jingban', '/settlements?infno=2208&page_size=1');
    const rev = reversal.list[0]!;
    await page.goto(`${server.url}/settlement/records/${rev.init_setl_id}`);
    await shown(page.getByText('已撤销').first());
    await page.getByRole('link', { name: rev.setl_id }).click();
    await page.waitForURL(new RegExp(`/settlement/records/${rev.setl_id}$`));
    await shown(page.getByText('撤销记录').first());
    // another city's settlement answers 404 with the server's message
    const other = await apiAs<{ list: { setl_id: string }[] }>('shenhe', '/settlements?page_size=1');
    expectedErrors = [/status of 404/];
    await page.goto(`${server.url}/settlement/records/${other.list[0]!.setl_id}`);
    await shown(page.getByText(/未找到结算记录.*不在您的管辖范围内/));
  });

  test('an institution user sees only its own institution’s settlements', async () => {
    await fresh();
    await login(page, server.url, 'jigou');
    const mine = await apiAs<{ total: number; list: { fixmedins_code: string }[] }>('jigou', '/settlements?page_size=100');
    expect(mine.total).toBeGreaterThan(0);
    expect(new Set(mine.list.map((r) => r.fixmedins_code)).size).toBe(1);
    await page.goto(`${server.url}/settlement/records`);
    await expect.poll(() => page.locator('.ant-table-row').count()).toBe(mine.total);
    await expect.poll(() => page.getByLabel('定点机构编号').count()).toBe(0);
  });

  test('the wall display fills 1920×1080 in the dark theme without menus', async () => {
    await fresh();
    await page.setViewportSize({ width: 1920, height: 1080 });
    await login(page, server.url, 'admin');
    await page.goto(`${server.url}/wall`);
    await shown(page.getByTestId('wall'));
    await shown(page.getByRole('heading', { level: 1, name: /医疗保障运行监测/ }));
    await expect.poll(() => page.getByRole('navigation', { name: '主菜单' }).count()).toBe(0);
    await expect.poll(() => page.locator('.yb-chart canvas').count()).toBe(5);
    await shown(page.getByText(/每 60 秒自动刷新/));
    const dash = await apiAs<{ today: { setl_cnt: number } }>('admin', '/dashboard');
    await shown(page.getByRole('group', { name: `今日结算：${dash.today.setl_cnt}人次` }));
    const box = await page.getByTestId('wall').boundingBox();
    expect(box).toMatchObject({ width: 1920, height: 1080 });
    // nothing scrolls: the wall is exactly one screen
    expect(await page.evaluate('document.documentElement.scrollHeight')).toBe(1080);
    await page.keyboard.press('Escape');
    await page.waitForURL(/\/monitor\/dashboard$/);
  });

  test('the 后台任务 page follows a running job until it is done', async () => {
    await fresh();
    const job = await startJob(server.db, SYSTEM_ACTOR, 'audit-batch', { year: 2026 }, { admdvs: '990100', total: 200, stage: '正在审核第 1 批' });
    await job.progress({ done: 50 }, true);
    await login(page, server.url, 'jingban');
    await page.getByRole('navigation', { name: '主菜单' }).getByText('后台任务', { exact: true }).click();
    const row = page.locator('.ant-table-row').filter({ hasText: job.job_id });
    await expect.poll(() => row.innerText()).toContain('运行中');
    await row.getByRole('button', { name: new RegExp(job.job_id) }).click();
    const drawer = page.getByRole('dialog');
    await shown(drawer.getByText('正在审核第 1 批'));
    await shown(drawer.getByLabel(/进度 25%/));
    await job.progress({ done: 150, stage: '正在审核第 3 批' }, true);
    await shown(drawer.getByText('正在审核第 3 批'));
    await job.finish({ suspects: 12 });
    await shown(drawer.getByText('已完成').first());
    await shown(drawer.getByText(/"suspects": 12/));
    await page.keyboard.press('Escape');
    await expect.poll(() => row.innerText()).toContain('已完成');
  });

  test('a 经办员 opens an encounter and its settlement, the 在院人员 view, a 3201 run off by one 分 and the month’s clearing', async () => {
    await fresh();
    await login(page, server.url, 'jingban');
    const settled = await apiAs<{ list: { mdtrt_id: string; psn_name: string }[] }>('jingban', '/encounters?status=settled&page_size=1');
    const target = settled.list[0]!;
    await page.goto(`${server.url}/settlement/encounters`);
    await shown(page.getByRole('heading', { name: '就诊登记' }));
    await page.getByLabel('人员编号或姓名').fill(target.psn_name);
    await page.getByLabel('人员编号或姓名').press('Enter');
    await page.waitForURL(/q=/);
    const row = page.locator('.ant-table-row').filter({ hasText: target.mdtrt_id });
    await shown(row);
    await row.getByText(target.mdtrt_id).click();
    await page.waitForURL(/mdtrt=/);
    const detail = await apiAs<{ fees: { fee_cnt: number }; settlements: { setl_id: string }[] }>('jingban', `/encounters/${target.mdtrt_id}`);
    const drawer = page.locator('.ant-drawer');
    await expect.poll(() => textOf(drawer.locator('.ant-statistic').filter({ hasText: '有效明细（条）' }).locator('.ant-statistic-content'))).toBe(String(detail.fees.fee_cnt));
    const setl_id = detail.settlements[0]!.setl_id;
    await drawer.getByRole('link', { name: setl_id }).click();
    await page.waitForURL(new RegExp(`/settlement/records/${setl_id}$`));
    const inHosp = await apiAs<{ total: number }>('jingban', '/encounters?in_hosp=1');
    await page.goto(`${server.url}/settlement/encounters?in_hosp=1`);
    await expect.poll(() => page.locator('.ant-table-row').count()).toBe(Math.min(inHosp.total, 20));
    // a 3201 run of the 机构用户's hospital, one 分 off in the total
    const inst = (await apiAs<{ list: { fixmedins_code: string }[] }>('jigou', '/settlements?page_size=1')).list[0]!.fixmedins_code;
    const rows = await server.db.k.selectFrom('setl').selectAll().where('fixmedins_code', '=', inst).execute();
    const sum = (k: 'medfee_sumamt' | 'fund_pay_sumamt' | 'acct_pay') => rows.reduce((t, r) => t + yuanToFen(r[k]), 0);
    const run = await reconcileTotals(
      { db: server.db, actor: SYSTEM_ACTOR, msgid: `E2E${Date.now()}`, opter_id: 'HIS', opter_name: '收费员', at: new Date(), admdvs: '990100' },
      { fixmedins_code: inst, setl_optins: rows[0]!.clr_optins, stmt_begndate: addDays(beijingDate(), -1), stmt_enddate: beijingDate(), insutype: '310', clr_type: rows[0]!.clr_type, refd_setl_flag: '1', medfee_sumamt: sum('medfee_sumamt') + 1, fund_pay_sumamt: sum('fund_pay_sumamt'), acct_pay: sum('acct_pay'), fixmedins_setl_cnt: rows.length },
    );
    await page.goto(`${server.url}/settlement/reconcile`);
    await page.locator('.ant-table-row').filter({ hasText: run.stmt_id }).getByText(run.stmt_id).click();
    await shown(page.locator('.ant-drawer').getByText('不一致').first());
    await shown(page.locator('.ant-drawer').getByText('¥0.01'));
    await page.keyboard.press('Escape');
    await page.getByRole('tab', { name: '月度清算' }).click();
    await page.waitForURL(/tab=clearing/);
    const clr = await apiAs<{ totals: { clr_amt: string } }>('jingban', '/reconcile/clearing');
    await expect.poll(() => textOf(statistic('应拨付合计（元）'))).toBe(Number(clr.totals.clr_amt).toLocaleString('en-US', { minimumFractionDigits: 2 }));
  });

  test('基金收支监测: KPIs with the reserve band, warnings, per-fund CSV; a 经办员 records income, bad amounts refused', async () => {
    await fresh();
    await login(page, server.url, 'jingban');
    await page.getByRole('navigation', { name: '主菜单' }).getByText('基金收支监测', { exact: true }).click();
    await page.getByRole('heading', { name: '基金收支监测' }).waitFor();
    type Overview = { totals: { income: string }; months: { income: string; expenditure: string; months_of_reserve: string | null }[]; warnings: unknown[]; by_fund: unknown[] };
    const before = await apiAs<Overview>('jingban', '/fund/overview');
    const last = [...before.months].reverse().find((m) => Number(m.income) !== 0 || Number(m.expenditure) !== 0);
    await expect.poll(() => textOf(page.getByTestId('fund-kpi-reserve').locator('.ant-statistic-content'))).toBe(last?.months_of_reserve ? `${last.months_of_reserve}个月` : '—');
    await expect.poll(() => page.locator('.yb-chart canvas').count()).toBe(2);
    await shown(page.getByTestId('fund-warnings').getByText(`基金运行预警（${before.warnings.length} 条）`));
    // the per-fund table as CSV: the header and a row per fund
    const [csv] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: '导出「分险种、分基金收支」数据' }).click()]);
    expect(csv.suggestedFilename()).toMatch(/^基金收支监测-分险种基金-\d{4}\.csv$/);
    const text = await readFile((await csv.path())!, 'utf8');
    expect(text.split('\r\n')[0]).toBe('\uFEFF险种类型,险种名称,基金支付类型,基金名称,年初结存（元）,本年收入（元）,本年支出（元）,当期结余（元）,期末结存（元）');
    expect(text.split('\r\n').filter((l) => l).length).toBe(before.by_fund.length + 1);
    // recording income: labelled fields, an amount with three decimals refused in the form, then saved
    await page.getByRole('button', { name: '登记基金收入' }).click();
    const dlg = page.getByRole('dialog');
    for (const [label, value] of [['医保区划', '990100'], ['险种', '310'], ['基金', '310100']] as const) {
      await dlg.getByLabel(label, { exact: true }).click();
      await page.keyboard.type(value);
      await page.keyboard.press('Enter');
    }
    await dlg.getByLabel('征缴收入（元）').fill('1.005');
    await dlg.getByRole('button', { name: /保\s*存/ }).click();
    await shown(dlg.getByText('金额最多两位小数'));
    await dlg.getByLabel('征缴收入（元）').fill('1000.50');
    await dlg.getByRole('button', { name: /保\s*存/ }).click();
    await shown(page.getByText(/已登记 \d{4} 年 \d{1,2} 月基金收入 ¥1,000\.50/));
    const after = await apiAs<Overview>('jingban', '/fund/overview');
    expect(yuanToFen(after.totals.income) - yuanToFen(before.totals.income)).toBe(1000_50);
  });

  test('基金收支监测 is read-only for a 审核员 and follows the filters in the URL', async () => {
    await fresh();
    await login(page, server.url, 'shenhe');
    await page.goto(`${server.url}/monitor/fund?insutype=390`);
    await page.getByRole('heading', { name: '基金收支监测' }).waitFor();
    await page.getByTestId('fund-kpi-reserve').waitFor();
    expect(await page.getByRole('button', { name: '登记基金收入' }).count()).toBe(0);
    // the 险种 filter from the link: only the 390 funds in the table
    const only390 = await apiAs<{ by_fund: unknown[] }>('shenhe', '/fund/overview?insutype=390');
    await expect.poll(() => page.getByTestId('fund-by-fund').locator('.ant-table-row').count()).toBe(only390.by_fund.length);
  });

  test('unknown addresses say 页面不存在', async () => {
    await fresh();
    await login(page, server.url, 'shenhe');
    await page.goto(`${server.url}/no/such/page`);
    await shown(page.getByText('页面不存在').first());
  });

  test('a 经办员 opens the DRG year, follows a run started from the console, and opens a hospital’s DRG page', async () => {
    // a DRG year of 甲市 paid through the payment service from a JSONL file of cases at its hospitals
    const pay = await seedPayYear(server.db, { hospitals: 3, perHospital: 24 });
    await fresh();
    await login(page, server.url, 'jingban');
    const nav = page.getByRole('navigation', { name: '主菜单' });
    await nav.getByText('支付方式', { exact: true }).click();
    await nav.getByText('DRG 分组与付费', { exact: true }).click();
    await page.getByRole('heading', { name: 'DRG 分组与付费' }).waitFor();
    const stmts = await apiAs<{ point_value: string; list: { fixmedins_code: string; fixmedins_name: string; amount_due: string; balance: string; cmi: string }[] }>('jingban', `/payment/runs/${pay.run_id}/statements`);
    expect(stmts.list).toHaveLength(3);
    await expect.poll(() => textOf(statistic('点值'))).toBe(`${Number(stmts.point_value).toFixed(4)}元/点`);
    const rows = page.getByRole('tabpanel').locator('.ant-table-row');
    await expect.poll(() => rows.count()).toBe(3);
    const first = stmts.list[0]!;
    await expect.poll(() => rows.first().innerText()).toContain(Number(first.amount_due).toLocaleString('zh-CN', { minimumFractionDigits: 2 }));
    await shown(rows.first().getByText(Number(first.balance) >= 0 ? '补付' : '追回'));
    // CMI and RW distribution by hospital: two charts with their units and exports
    await page.getByRole('tab', { name: 'CMI 与权重分布' }).click();
    await expect.poll(() => page.getByRole('tabpanel').locator('.yb-chart canvas').count()).toBe(2);
    await shown(page.getByRole('button', { name: '导出「权重（RW）分布」数据' }));
    // a run started from the console is followed until it ends: 甲市 has no submitted settlement lists, so the
    // job fails with the service's own message and the page keeps showing the seeded run
    await page.getByRole('button', { name: /发起 2026 年度计算/ }).click();
    await shown(page.getByText(/任务 \d+：失败/));
    await shown(page.getByText(/没有可付费的住院病例/));
    await page.getByRole('tab', { name: '年度结算单' }).click();
    await expect.poll(() => rows.count()).toBe(3);
    // the hospital's own page: statement, monthly pre-payments, CMI, groups and outliers
    await page.getByRole('link', { name: first.fixmedins_name }).click();
    await page.waitForURL(new RegExp(`/payment/drg/hospitals/${first.fixmedins_code}\\?run=${pay.run_id}$`));
    await shown(page.getByRole('heading', { name: `${first.fixmedins_name} · DRG 付费` }));
    await expect.poll(() => textOf(statistic('CMI'))).toBe(first.cmi);
    await shown(page.getByText(`¥${Number(first.amount_due).toLocaleString('zh-CN', { minimumFractionDigits: 2 })}`).first());
    await expect.poll(() => page.locator('.yb-chart canvas').count()).toBe(4);
    const outliers = await apiAs<{ total: number }>('jingban', `/payment/runs/${pay.run_id}/outliers?fixmedins_code=${first.fixmedins_code}`);
    expect(outliers.total).toBeGreaterThan(0);
    await shown(page.getByText(`共 ${outliers.total} 例`));
  });

  test('two 审核员 file suspects as a case and review it, the institution appeals, a 稽核员 investigates and decides', async () => {
    // two reviewers of 甲市 (复审 must be someone else than 初审), created by the administrator through the API
    const adminToken = await tokenOf('admin');
    for (const [user_id, user_name] of [['e2e.chushen', '甲市初审员'], ['e2e.fushen', '甲市复审员']]) {
      const r = await fetch(`${server.url}/api/users`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${adminToken}` }, body: JSON.stringify({ user_id, user_name, role: 'auditor', admdvs: '990100', password: DEMO_PASSWORD }) });
      expect(r.status, await r.text()).toBeLessThan(300);
    }
    // suspects at the demo institution user's own hospital
    const jigou = await apiAs<{ user: { fixmedins_code: string } }>('jigou', '/auth/me');
    const seededSuspects = await seedSuspects(server.db, { admdvs: '990100', n: 3, fixmedins_code: jigou.user.fixmedins_code });
    const [s1, s2] = seededSuspects.suspect_ids as [string, string];
    /** Takes a workflow action on the open case page through its dialog. */
    const act = async (name: string, opinion?: { label: string; text: string }) => {
      // antd spaces out two-character button labels (初 审)
      await page.getByRole('button', { name: new RegExp(`^${[...name].join('\\s*')}$`) }).click();
      const dialog = page.getByRole('dialog');
      if (opinion) await dialog.getByLabel(opinion.label).fill(opinion.text);
      await dialog.getByRole('button', { name: /提\s*交/ }).click();
      await gone(dialog);
    };
    const state = (name: string) => shown(page.locator('.ant-descriptions').getByText(name, { exact: true }));

    await fresh();
    await login(page, server.url, 'e2e.chushen');
    const nav = page.getByRole('navigation', { name: '主菜单' });
    await nav.getByText('智能监管', { exact: true }).click();
    await nav.getByText('疑点清单', { exact: true }).click();
    await page.getByRole('heading', { name: '疑点清单' }).waitFor();
    await page.getByLabel('定点机构编号').fill(seededSuspects.fixmedins_code);
    await page.getByLabel('定点机构编号').press('Enter');
    await expect.poll(() => page.locator('.ant-table-row').count()).toBe(3);
    // the evidence of one suspect
    await page.getByRole('button', { name: s1 }).click();
    const drawer = page.getByRole('dialog');
    await shown(drawer.getByText('涉及明细（items）'));
    await shown(drawer.getByText('尚未立案'));
    await page.keyboard.press('Escape');
    await gone(drawer);
    // two suspects become one case, reviewed a first time
    await page.getByLabel(`选择疑点 ${s1}`).check();
    await page.getByLabel(`选择疑点 ${s2}`).check();
    await page.getByRole('button', { name: '立案审核（2 条）' }).click();
    await page.waitForURL(/\/audit\/cases\/\d+$/);
    const caseUrl = page.url();
    await state('待初审');
    await act('初审', { label: '审核意见', text: '收费明细与病历不符，认定疑似违规' });
    await state('待复审');
    // 分配审核人: the select offers the reviewers of the case's area by name; typing filters it, Enter picks
    await page.getByRole('button', { name: '分配审核人' }).click();
    const assign = page.getByRole('dialog');
    await assign.getByLabel('审核人').click();
    await page.keyboard.type('复审员');
    await expect.poll(() => page.locator('.ant-select-dropdown:visible .ant-select-item-option').allInnerTexts()).toEqual(['甲市复审员（e2e.fushen，审核员）']);
    await page.keyboard.press('Enter');
    await assign.getByRole('button', { name: /提\s*交/ }).click();
    await gone(assign);
    await shown(page.locator('.ant-descriptions').getByText('甲市复审员', { exact: true }));
    await ctx.close();

    const step = async (user: string, name: string, opinion: { label: string; text: string } | undefined, next: string) => {
      await fresh();
      await login(page, server.url, user);
      await page.goto(caseUrl);
      await act(name, opinion);
      await state(next);
      if (next !== '已处理') await ctx.close();
    };
    await step('e2e.fushen', '复审', { label: '审核意见', text: '同意初审意见' }, '待机构申诉');
    await step('jigou', '机构申诉', { label: '申诉理由', text: '该项目有医嘱和病程记录，属合理使用' }, '调查核实');
    await step('jihe', '调查核实', { label: '审核意见', text: '经核查，申诉理由不成立' }, '待违规处理');
    await step('jihe', '违规处理', { label: '审核意见', text: '追回违规费用' }, '已处理');
    for (const s of ['立案', '初审', '复审', '机构申诉', '调查核实', '违规处理']) await shown(page.locator('.ant-timeline').getByText(s, { exact: true }));
    await expect.poll(() => page.locator('.ant-card').filter({ hasText: '拒付与追回' }).locator('.ant-table-row').count()).toBe(2);
    const detail = await apiAs<{ stas: string }>('jihe', `/audit/suspects/${s1}`);
    expect(detail.stas).toBe('2');
  });

  test('an administrator changes a rule parameter from a date and finds both versions in its history', async () => {
    const rules = await apiAs<{ list: { rule_id: string; params: Record<string, unknown> }[] }>('admin', '/audit/rules');
    const rule = rules.list.find((r) => Object.values(r.params).some((v) => typeof v === 'number'));
    expect(rule, '规则库中应有带数值参数的规则').toBeDefined();
    const [param, old] = Object.entries(rule!.params).find(([, v]) => typeof v === 'number') as [string, number];
    const next = old + 1;
    await fresh();
    await login(page, server.url, 'admin');
    const nav = page.getByRole('navigation', { name: '主菜单' });
    await nav.getByText('智能监管', { exact: true }).click();
    await nav.getByText('规则库', { exact: true }).click();
    await page.getByLabel('规则编号或名称').fill(rule!.rule_id);
    await page.getByLabel('规则编号或名称').press('Enter');
    await page.getByRole('button', { name: rule!.rule_id, exact: true }).click();
    const drawer = page.getByRole('dialog');
    await drawer.getByRole('tab', { name: '修改参数' }).click();
    await drawer.getByLabel(`参数 ${param}`).fill(String(next));
    await drawer.getByLabel('备注').fill('端到端测试调整参数');
    await drawer.getByRole('button', { name: '保存新版本' }).click();
    await shown(page.getByText(`规则 ${rule!.rule_id} 已保存新版本`));
    await drawer.getByRole('tab', { name: /版本历史（2）/ }).click();
    const hist = drawer.getByRole('tabpanel').locator('.ant-table-row');
    await expect.poll(() => hist.count()).toBe(2);
    await expect.poll(() => hist.first().innerText()).toContain(`"${param}":${next}`);
    await expect.poll(() => hist.first().innerText()).toContain('端到端测试调整参数');
    await expect.poll(() => hist.nth(1).innerText()).toContain(`"${param}":${old}`);
    const after = await apiAs<{ rule: { params: Record<string, unknown> }; history: unknown[] }>('admin', `/audit/rules/${rule!.rule_id}`);
    expect(after.rule.params[param]).toBe(next);
    expect(after.history).toHaveLength(2);
  });

  test('a 审核员 reads the 3101/3102 evaluation log: filters, masked patients, warnings and the doctors’ answers', async () => {
    const ev = await seedEvaluations(server.db, { admdvs: '990200' });
    const [noHit, insisted, twoWarnings] = ev.eval_ids as [string, string, string];
    await fresh();
    await login(page, server.url, 'shenhe');
    const nav = page.getByRole('navigation', { name: '主菜单' });
    await nav.getByText('智能监管', { exact: true }).click();
    await nav.getByText('事前事中提醒', { exact: true }).click();
    await page.getByRole('heading', { name: '事前事中提醒' }).waitFor();
    await page.getByLabel('定点机构编号').fill(ev.fixmedins_code);
    await page.getByLabel('定点机构编号').press('Enter');
    // the settlements of the journeys' seed were audited in real time too: the page shows what the API counts
    const all = await apiAs<{ total: number }>('shenhe', `/audit/evaluations?fixmedins_code=${ev.fixmedins_code}`);
    expect(all.total).toBeGreaterThanOrEqual(3);
    const rows = page.locator('.ant-table-row');
    await expect.poll(() => rows.count()).toBe(Math.min(all.total, 20));
    const rowOf = (id: string) => rows.filter({ has: page.getByRole('button', { name: new RegExp(`查看提醒记录 ${id}`) }) });
    // the no-hit call says so, the others name their rules and the doctors' answers
    await expect.poll(() => rowOf(noHit).innerText()).toContain('未命中');
    await expect.poll(() => rowOf(insisted).innerText()).toContain('坚持执行 1');
    await expect.poll(() => rowOf(twoWarnings).innerText()).toMatch(/采纳修改 1[\s\S]*未反馈 1/);
    for (const id of ev.rule_ids) await shown(rowOf(twoWarnings).getByText(id, { exact: true }));
    // the patient appears masked only
    await expect.poll(() => rowOf(noHit).innerText()).toContain(`${ev.psn_no.slice(0, 4)}${'*'.repeat(ev.psn_no.length - 8)}${ev.psn_no.slice(-4)}`);
    expect(await page.locator('.ant-table').innerText()).not.toContain(ev.psn_no);
    // filter: a warning nobody answered yet
    const open = await apiAs<{ total: number }>('shenhe', `/audit/evaluations?fixmedins_code=${ev.fixmedins_code}&dspo=none`);
    await page.getByLabel('医生处理').click();
    await page.locator('.ant-select-dropdown:visible .ant-select-item-option').filter({ hasText: '有未反馈的提醒' }).click();
    await page.getByRole('button', { name: /查\s*询/ }).click();
    await page.waitForURL(/dspo=none/);
    await expect.poll(() => rows.count()).toBe(Math.min(open.total, 20));
    await expect.poll(() => rowOf(insisted).count()).toBe(0);
    // the call's result[] items, each with its details and the doctor's answer
    await rowOf(twoWarnings).getByRole('button', { name: new RegExp(`查看提醒记录 ${twoWarnings}`) }).click();
    const drawer = page.getByRole('dialog');
    await shown(drawer.getByText(`提醒记录 ${twoWarnings}`));
    await shown(drawer.getByText(ev.fixmedins_name).first());
    const items = drawer.locator('.ant-card').filter({ hasText: '提醒结果' }).locator('.ant-table-row');
    await expect.poll(() => items.count()).toBe(2);
    await shown(items.first().getByText('采纳修改'));
    await shown(items.nth(1).getByText('未反馈'));
    await items.first().locator('.ant-table-row-expand-icon').click();
    await shown(drawer.getByText('采纳提醒（修改或撤销医嘱）'));
    await shown(drawer.getByText('已修改医嘱').first());
    expect(await drawer.innerText()).not.toContain(ev.psn_no);
    await page.keyboard.press('Escape');
    await gone(drawer);
    await expect.poll(() => page.url()).not.toMatch(/eval=/);
  });

  test('a 审核员 opens the 医保结算清单: versions, QC warnings by rule and field, the DRG group, refused uploads', async () => {
    const sl = await seedSetlLists(server.db, { admdvs: '990200' });
    const [clean, warned] = sl.setl_ids as [string, string, string];
    await fresh();
    await login(page, server.url, 'shenhe');
    const nav = page.getByRole('navigation', { name: '主菜单' });
    await nav.getByText('支付方式', { exact: true }).click();
    await nav.getByText('医保结算清单', { exact: true }).click();
    await page.getByRole('heading', { name: '医保结算清单' }).waitFor();
    await page.getByLabel('定点机构编号').fill(sl.fixmedins_code);
    await page.getByLabel('定点机构编号').press('Enter');
    const rows = page.getByRole('tabpanel').locator('.ant-table-row');
    await expect.poll(() => rows.count()).toBe(3);
    const warnedRow = rows.filter({ hasText: warned });
    await expect.poll(() => warnedRow.innerText()).toMatch(/第 2 版[\s\S]*警告 1/);
    // the re-uploaded list: version 2 with its warning (rule, field, message), version 1 clean
    await warnedRow.getByRole('button', { name: warned }).click();
    const drawer = page.getByRole('dialog');
    await shown(drawer.getByText(`结算清单 · 结算ID ${warned}`));
    await shown(drawer.getByText('张三丰').first());
    await shown(drawer.getByText('9901**********0111'));
    await drawer.getByRole('tab', { name: /质控结果/ }).click();
    await shown(drawer.getByText('2130-poscode').first());
    await shown(drawer.getByText('邮编“12345”应为 6 位数字').first());
    await shown(drawer.getByText('邮编（setlinfo.poscode）').first());
    await drawer.getByLabel('查看版本').click();
    await page.locator('.ant-select-dropdown:visible .ant-select-item-option').filter({ hasText: '第 1 版' }).click();
    await page.waitForURL(/ver=1/);
    await shown(drawer.getByText('本版本质控通过，无警告'));
    await drawer.locator('.ant-drawer-close').click();
    await gone(drawer);
    // the list paid in the DRG year shows its group
    await rows.filter({ hasText: clean }).getByRole('button', { name: clean }).click();
    await drawer.getByRole('tab', { name: 'DRG/DIP 分组' }).click();
    const detail = await apiAs<{ groups: { run_id: string; grp_code: string }[] }>('shenhe', `/setl-lists/${clean}`);
    expect(detail.groups.map((g) => g.run_id)).toEqual([sl.run_id]);
    await shown(drawer.getByRole('link', { name: sl.run_id }));
    await shown(drawer.getByText(detail.groups[0]!.grp_code, { exact: false }).first());
    await page.keyboard.press('Escape');
    await gone(drawer);
    // quality-control runs: the refused upload with its errors by field
    await page.getByRole('tab', { name: '质控记录' }).click();
    await page.getByLabel('结果').click();
    await page.locator('.ant-select-dropdown:visible .ant-select-item-option').filter({ hasText: '不通过' }).click();
    await page.getByRole('button', { name: /查\s*询/ }).click();
    const refused = page.getByRole('tabpanel').locator('.ant-table-row').filter({ hasText: sl.refused_setl_id });
    await shown(refused);
    await refused.locator('.ant-table-row-expand-icon').click();
    await shown(page.getByText(/新生儿出生体重（setlinfo\.nwb_bir_wt）/).first());
    // 甲市's handler sees none of 乙市's lists
    const jiashi = await apiAs<{ total: number }>('jingban', `/setl-lists?fixmedins_code=${sl.fixmedins_code}`);
    expect(jiashi.total).toBe(0);
  });

  test('an administrator starts a payment year run and the batch audit from 后台任务 and follows them', async () => {
    await fresh();
    await login(page, server.url, 'admin');
    await page.goto(`${server.url}/monitor/jobs`);
    await page.getByRole('heading', { name: '后台任务' }).waitFor();
    // a DRG year of 乙市 (parameters saved by the settlement-list journey's seed): followed in the drawer until it ends
    await page.getByRole('button', { name: '发起年度付费计算' }).click();
    const dialog = page.getByRole('dialog');
    await dialog.getByLabel('统筹区').click();
    await page.keyboard.type('乙市');
    await page.keyboard.press('Enter');
    await dialog.getByLabel('清算年度').fill('2025');
    await dialog.getByRole('button', { name: /发\s*起/ }).click();
    await page.waitForURL(/job=\d+/);
    const drawer = page.getByRole('dialog').filter({ has: page.getByText(/^任务 \d+$/) });
    await shown(drawer.getByText('DRG 年度结算'));
    await shown(drawer.getByText(/已完成|失败/).first());
    const job_id = new URL(page.url()).searchParams.get('job')!;
    const job = await apiAs<{ status: string; kind: string }>('admin', `/jobs/${job_id}`);
    expect(job.kind).toBe('pay-drg');
    expect(['done', 'failed']).toContain(job.status);
    await page.keyboard.press('Escape');
    await gone(drawer);
    // the batch audit: started when the server offers it, else a plain Chinese explanation
    const token = await tokenOf('admin');
    const probe = await fetch(`${server.url}/api/audit/batch`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` }, body: JSON.stringify({}) });
    const missing = probe.status === 404 && ((await probe.json()) as { message: string }).message.startsWith('接口不存在');
    await page.getByRole('button', { name: '发起事后批量审核' }).click();
    const batch = page.getByRole('dialog');
    await shown(batch.getByLabel('就诊登记日期'));
    if (missing) {
      expectedErrors = [/status of 404/];
      await batch.getByRole('button', { name: /发\s*起/ }).click();
      await shown(batch.getByRole('alert').getByText(/当前服务器尚未提供事后批量审核接口/));
      await batch.getByRole('button', { name: /取\s*消/ }).click();
    } else {
      // one rule keeps the run short: the rule select is searchable from the keyboard
      await batch.getByLabel(/^规则/).click();
      await page.keyboard.type('MGT-ADM-03');
      await page.keyboard.press('Enter');
      await batch.locator('.ant-modal-title').click();
      await batch.getByRole('button', { name: /发\s*起/ }).click();
      await page.waitForURL(/job=\d+/);
      const followed = page.getByRole('dialog').filter({ has: page.getByText(/^任务 \d+$/) });
      await shown(followed.getByText('事后批量审核'));
      await shown(followed.getByText('已完成').first());
      await shown(followed.getByText(/"rule_id": "MGT-ADM-03"/).first());
    }
  });
});
