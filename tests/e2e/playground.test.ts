import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';

import { assertChromiumInstalled, card, choose, launchChromium, openPlayground, say, screenshot, waitForCard } from './support/playground-browser.js';
import { DevProcess, accepts, type DevUrls } from './support/playground-dev.js';

const JUSTIFICATION = 'INC0012345 fix the broken approval flow';

/** Minutes since midnight of "… 10:01 AM" (12-hour, as en-US renders TIME()) or "… 10:01" (24-hour). */
function clockMinutes(text: string): number | undefined {
  const m = text.match(/(\d{1,2}):(\d{2})\s*(AM|PM)?/i);
  if (!m) return undefined;
  const hours = (Number(m[1]) % (m[3] ? 12 : 24)) + (m[3]?.toUpperCase() === 'PM' ? 12 : 0);
  return hours * 60 + Number(m[2]);
}

describe('npm run dev: an elevation through the Agents Playground in headless Chromium', function () {
  this.timeout(90_000);
  let dataDir: string | undefined;
  let dev: DevProcess | undefined;
  let urls: DevUrls;
  let browser: Browser | undefined;
  let page: Page | undefined;

  before(async function () {
    this.timeout(60_000);
    assertChromiumInstalled();
    dataDir = mkdtempSync(path.join(tmpdir(), 'elevate-playground-'));
    const started = await DevProcess.start(
      { ELEVATE_DEV_DATA_DIR: dataDir, ELEVATE_STORE: `sqlite:${path.join(dataDir, 'elevate.db')}`, ELEVATE_ACTIVATION_POLL_MS: '200' },
      45_000,
    );
    dev = started.dev;
    urls = started.urls;
    browser = await launchChromium();
  });

  afterEach(async function () {
    if (this.currentTest?.state === 'failed' && page) {
      await screenshot(page, `failed-${this.currentTest.title.replace(/\W+/g, '-').slice(0, 60)}`).catch(() => undefined);
      if (dev) process.stderr.write(`dev.mjs output:\n${dev.output().slice(-6000)}\n`);
    }
  });

  after(async () => {
    await browser?.close().catch(() => undefined);
    dev?.killGroup();
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  });

  it('asks with the request card and shows the success on the same card after Elevate', async () => {
    page = await openPlayground(browser!, urls.playground);

    await say(page, 'elevate me in Contoso Prod');
    const request = card(page, 'Elevate in Contoso Prod');
    await waitForCard(page, request.getByRole('button', { name: 'Elevate', exact: true }), 30_000);
    await screenshot(page, '01-request-card');

    await choose(page, request, 'Role', /^Power Platform Administrator/);
    await choose(page, request, 'Duration', '2 h');
    await request.getByRole('textbox', { name: /Justification/ }).fill(JUSTIFICATION);
    await screenshot(page, '02-request-filled');
    const pressed = Date.now();
    await request.getByRole('button', { name: 'Elevate', exact: true }).click();

    const result = card(page, 'Elevated in Contoso Prod');
    await waitForCard(page, result, 30_000);
    await screenshot(page, '03-elevated');
    const text = await result.innerText();
    assert.match(text, /System Administrator until /);
    assert.match(text, /Power Platform Administrator/);
    assert.equal(await page.locator('.ac-adaptiveCard').filter({ hasText: 'Elevate in Contoso Prod' }).count(), 0, 'the request card was updated in place');

    const until = clockMinutes(text.match(/System Administrator until (.+)/)?.[1] ?? '');
    assert.ok(until !== undefined, `a time after "until" in:\n${text}`);
    const expected = new Date(pressed + 2 * 3_600_000);
    const drift = Math.abs(until - (expected.getUTCHours() * 60 + expected.getUTCMinutes()));
    assert.ok(Math.min(drift, 1440 - drift) <= 2, `until ${until} min after midnight UTC, expected about 2 h from ${new Date(pressed).toISOString()}`);
  });

  it('stops the simulator, the bot and the Playground when dev.mjs gets SIGTERM', async () => {
    await dev!.signal('SIGTERM', 15_000);
    for (const [name, url] of Object.entries(urls)) assert.equal(await accepts(url), false, `${name} at ${url} still accepts connections`);
    const deadline = Date.now() + 5000;
    while (dev!.groupMembers().length > 0 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 100));
    assert.deepEqual(dev!.groupMembers(), [], 'no process of dev.mjs is left');
  });
});
