import { existsSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import { chromium, type Browser, type Locator, type Page } from 'playwright-core';

/**
 * Debian's Chromium (the only browser that runs here: Playwright's own download needs network) driving
 * the Microsoft 365 Agents Playground UI. Selectors are by role and text; the one class name used,
 * `.ac-adaptiveCard`, is the Adaptive Cards renderer's root element of each card.
 */
export const CHROMIUM = process.env['CHROMIUM_PATH'] ?? '/usr/bin/chromium';
const ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];
export const SCREENSHOTS = path.resolve(__dirname, '..', '..', '..', 'artifacts', 'playground');

/** Fails (never skips) with how to install Chromium when it is missing. */
export function assertChromiumInstalled(): void {
  if (existsSync(CHROMIUM)) return;
  throw new Error(
    `Chromium is missing at ${CHROMIUM}: the Playground browser test needs it. Install Debian's chromium with ` +
      '`apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y chromium` (.ci/run does), or set CHROMIUM_PATH.',
  );
}

/** Each launch gets a fresh temporary profile from Playwright, removed on close. */
export function launchChromium(): Promise<Browser> {
  return chromium.launch({ executablePath: CHROMIUM, args: ARGS, timeout: 30_000 });
}

/**
 * A page on the Playground, in UTC and en-US so card times are predictable; requests that leave the
 * machine (the Office CDN's fonts) are refused at once instead of waiting for DNS.
 */
export async function openPlayground(browser: Browser, url: string): Promise<Page> {
  const context = await browser.newContext({ viewport: { width: 1400, height: 1000 }, timezoneId: 'UTC', locale: 'en-US' });
  await context.route(/^https?:\/\/(?!127\.0\.0\.1[:/]|localhost[:/])/, (route) => route.abort());
  const page = await context.newPage();
  page.setDefaultTimeout(20_000);
  await page.goto(url, { waitUntil: 'domcontentloaded' });
  return page;
}

/** Types into the compose box (a Lexical contenteditable, role textbox, outside every card) and sends with Enter. */
export async function say(page: Page, text: string): Promise<void> {
  const compose = page.getByRole('textbox').and(page.locator('[contenteditable="true"]'));
  await compose.click();
  await page.keyboard.type(text);
  await page.keyboard.press('Enter');
}

/** The newest Adaptive Card that contains `text`. */
export function card(page: Page, text: string): Locator {
  return page.locator('.ac-adaptiveCard').filter({ hasText: text }).last();
}

/**
 * Waits for `expected`, but stops at once with the card's text when the bot answers with a problem
 * instead (the turn's error card, or a failure card with "What happened").
 */
export async function waitForCard(page: Page, expected: Locator, timeoutMs: number): Promise<void> {
  const problem = page.locator('.ac-adaptiveCard').filter({ hasText: /Something went wrong|Please sign in again|What happened/ });
  await expected.or(problem).first().waitFor({ timeout: timeoutMs });
  if ((await expected.count()) === 0) throw new Error(`The bot answered with a problem card instead:\n${await problem.last().innerText()}`);
}

/** Picks an option of a compact Input.ChoiceSet, which the Playground renders as a Fluent combobox. */
export async function choose(page: Page, within: Locator, label: string, option: string | RegExp): Promise<void> {
  await within.getByRole('combobox', { name: label }).click();
  await page.getByRole('option', { name: option, exact: typeof option === 'string' }).click();
}

export async function screenshot(page: Page, name: string): Promise<string> {
  mkdirSync(SCREENSHOTS, { recursive: true });
  const file = path.join(SCREENSHOTS, `${name}.png`);
  await page.screenshot({ path: file });
  return file;
}
