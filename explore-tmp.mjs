import { chromium } from 'playwright-core';
import { mkdtempSync, writeFileSync } from 'node:fs';
const udd = mkdtempSync('/tmp/pw/udd-');
const ctx = await chromium.launchPersistentContext(udd, { executablePath: '/usr/bin/chromium', headless: true,
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'], viewport: { width: 1400, height: 1000 } });
await ctx.route(/^https?:\/\/(?!127\.0\.0\.1|localhost)/, (r) => r.abort());
const page = ctx.pages()[0] ?? await ctx.newPage();
try {
await page.goto(process.argv[2], { waitUntil: 'domcontentloaded' });
const box = page.getByRole('textbox');
await box.click({ timeout: 20000 });
await page.keyboard.type(process.argv[3]);
await page.keyboard.press('Enter');
await page.waitForTimeout(4000);
} finally {
await page.screenshot({ path: '/tmp/pw/s6.png' });
await ctx.close();
}
