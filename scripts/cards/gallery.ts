import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { chromium, type Page } from 'playwright-core';
import type { CardSample } from '../../tests/support/card-samples.js';

/**
 * The card gallery (`npm run cards`): every card in every state and language as JSON and as a PNG at
 * Teams' mobile width, rendered by the Adaptive Cards JavaScript renderer (the npm `adaptivecards`
 * package, as the Agents Playground and Teams' web client use it) in Debian's headless Chromium. The
 * Playground itself cannot show a card without a bot conversation, so the renderer runs on a blank
 * page with Teams' light host config; nothing is fetched from the network.
 */
export const MOBILE_WIDTH = 320;
export const CHROMIUM = process.env['CHROMIUM_PATH'] ?? '/usr/bin/chromium';

/** Teams' light theme, as the Agents Playground bundles it (fonts and text colours on the default container). */
const HOST_CONFIG = {
  fontFamily: "'Segoe UI', system-ui, sans-serif",
  supportsInteractivity: true,
  containerStyles: {
    default: {
      backgroundColor: '#ffffff',
      foregroundColors: {
        default: { default: '#252424', subtle: '#605e5c' },
        accent: { default: '#6264a7', subtle: '#8b8cc7' },
        attention: { default: '#c4314b', subtle: '#c4314b' },
        good: { default: '#92c353', subtle: '#92c353' },
        warning: { default: '#f8d22a', subtle: '#f8d22a' },
      },
    },
  },
};

export interface GalleryLanguage {
  /** Folder name, e.g. `en`. */
  name: string;
  locale: string;
  timeZone: string;
  cards: CardSample[];
}

export interface GalleryProblem {
  card: string;
  problem: string;
}

const renderer = (): string => readFileSync(require.resolve('adaptivecards/dist/adaptivecards.min.js'), 'utf8');

/** Renders one card on the page; its parse warnings and whether it fits the width. */
async function renderCard(page: Page, card: object): Promise<{ warnings: string[]; overflow: number }> {
  return page.evaluate(
    ({ json, hostConfig }) => {
      const AC = (globalThis as unknown as { AdaptiveCards: Record<string, new (...a: unknown[]) => Record<string, unknown>> }).AdaptiveCards;
      // Runs in the page: the DOM is reached through globalThis (this project compiles without the DOM lib).
      type Element = { innerHTML: string; scrollWidth: number; clientWidth: number; appendChild(child: Element): void };
      const root = (globalThis as unknown as { document: { getElementById(id: string): Element } }).document.getElementById('root');
      root.innerHTML = '';
      const adaptive = new AC['AdaptiveCard']!() as unknown as {
        hostConfig: unknown;
        parse(json: unknown, context: unknown): void;
        render(): Element | undefined;
      };
      adaptive.hostConfig = new AC['HostConfig']!(hostConfig);
      const context = new AC['SerializationContext']!() as unknown as { eventCount: number; getEventAt(i: number): { message: string } };
      adaptive.parse(json, context);
      const warnings = Array.from({ length: context.eventCount }, (_, i) => context.getEventAt(i).message);
      const element = adaptive.render();
      if (element) root.appendChild(element);
      else warnings.push('the renderer returned nothing');
      return { warnings, overflow: Math.max(0, root.scrollWidth - root.clientWidth) };
    },
    { json: card, hostConfig: HOST_CONFIG },
  );
}

/**
 * Writes `<outDir>/<language>/<card>.json` and `.png` for every card, and `<outDir>/index.html` showing
 * them side by side. Returns the problems found: renderer warnings (an element or property the
 * renderer does not know) and cards wider than MOBILE_WIDTH.
 */
export async function writeGallery(outDir: string, languages: readonly GalleryLanguage[]): Promise<GalleryProblem[]> {
  const problems: GalleryProblem[] = [];
  const browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run'], timeout: 30_000 });
  try {
    for (const language of languages) {
      const dir = path.join(outDir, language.name);
      mkdirSync(dir, { recursive: true });
      const context = await browser.newContext({ viewport: { width: MOBILE_WIDTH, height: 800 }, locale: language.locale, timezoneId: language.timeZone });
      await context.route(/^https?:/, (route) => route.abort());
      const page = await context.newPage();
      await page.setContent(
        `<!doctype html><html><body style="margin:0;background:#fff"><div id="root" style="width:${MOBILE_WIDTH}px;overflow:hidden"></div></body></html>`,
      );
      await page.addScriptTag({ content: renderer() });
      for (const { name, card } of language.cards) {
        writeFileSync(path.join(dir, `${name}.json`), `${JSON.stringify(card, null, 2)}\n`);
        const { warnings, overflow } = await renderCard(page, card);
        for (const warning of warnings) problems.push({ card: `${language.name}/${name}`, problem: warning });
        if (overflow > 0) problems.push({ card: `${language.name}/${name}`, problem: `${overflow} px wider than ${MOBILE_WIDTH} px` });
        await page.locator('#root').screenshot({ path: path.join(dir, `${name}.png`) });
      }
      await context.close();
    }
  } finally {
    await browser.close();
  }
  writeFileSync(path.join(outDir, 'index.html'), indexPage(languages));
  return problems;
}

function indexPage(languages: readonly GalleryLanguage[]): string {
  const names = languages[0]?.cards.map((c) => c.name) ?? [];
  const head = languages.map((l) => `<th>${l.name}</th>`).join('');
  const rows = names.map(
    (n) => `<tr><td>${n}</td>${languages.map((l) => `<td><img src="${l.name}/${n}.png" alt="${n} (${l.name})" width="${MOBILE_WIDTH}"></td>`).join('')}</tr>`,
  );
  return `<!doctype html><meta charset="utf-8"><title>Elevate cards</title><table><tr><th></th>${head}</tr>${rows.join('\n')}</table>\n`;
}
