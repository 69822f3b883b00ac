/** Driving Debian's Chromium with playwright-core: launch, a console-error collector, sign-in through the form. */
import { chromium, type Browser, type BrowserContext, type Locator, type Page } from 'playwright-core';
import { DEMO_PASSWORD } from './harness.js';

export const VIEWPORT = { width: 1366, height: 768 };

export async function launchChromium(executablePath: string): Promise<Browser> {
  return chromium.launch({ executablePath, headless: true, args: ['--disable-gpu', '--disable-dev-shm-usage', '--font-render-hinting=none'] });
}

export async function newContext(browser: Browser): Promise<BrowserContext> {
  return browser.newContext({ viewport: VIEWPORT, locale: 'zh-CN', timezoneId: 'Asia/Shanghai', deviceScaleFactor: 1 });
}

/** Collects browser console errors and uncaught page errors. */
export function watchErrors(page: Page): string[] {
  const errors: string[] = [];
  page.on('console', (m) => {
    if (m.type() === 'error') errors.push(`console: ${m.text()}`);
  });
  page.on('pageerror', (e) => errors.push(`pageerror: ${e.message}`));
  return errors;
}

/** Signs in through the login form with the keyboard (labels, Tab, Enter) and waits for the console. */
export async function login(page: Page, baseUrl: string, username: string, password = DEMO_PASSWORD): Promise<void> {
  await page.goto(`${baseUrl}/login`);
  await page.getByLabel('用户名').fill(username);
  await page.getByLabel('用户名').press('Tab');
  await page.keyboard.type(password);
  await page.keyboard.press('Enter');
  await page.getByRole('heading', { name: '首页概览' }).waitFor();
}

/** Waits until the element is visible (playwright-core has no web-first assertions; vitest's expect.poll does the rest). */
export async function shown(l: Locator): Promise<void> {
  await l.waitFor({ state: 'visible' });
}

export async function gone(l: Locator): Promise<void> {
  await l.waitFor({ state: 'hidden' });
}

/** The element's text without white space (antd puts spaces between a number and its unit). */
export async function textOf(l: Locator): Promise<string> {
  return (await l.innerText()).replace(/\s+/g, '');
}
