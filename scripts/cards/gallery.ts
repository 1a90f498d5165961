import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
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

/**
 * Teams' themes as a card sees them: the host config's text colours on the default container.
 * - light: as the Agents Playground bundles it (node_modules/@microsoft/m365agentsplayground/dist/client/static/js/main.*.js).
 * - dark: Microsoft's "Microsoft Teams" dark host config of the Adaptive Cards designer (npm adaptivecards-designer
 *   2.4.4, src/hostConfigs/microsoft-teams-dark.json as bundled in dist/adaptivecards-designer.js); the Playground
 *   bundles no dark one.
 * - contrast: no Microsoft host config for Teams' high-contrast theme is published (the designer has light and dark
 *   only). Rendered instead with the light config under Chromium's forced colours (`forced-colors: active`, what
 *   Windows high-contrast mode does to web content, Teams' web and desktop clients included): it shows that nothing
 *   is lost when the system replaces every colour, not Teams' own high-contrast palette. [?]
 */
export type Theme = 'light' | 'dark' | 'contrast';

const hostConfig = (background: string, colors: Record<'default' | 'subtle' | 'accent' | 'attention' | 'good' | 'warning', string>) => ({
  fontFamily: "'Segoe UI', system-ui, sans-serif",
  supportsInteractivity: true,
  containerStyles: {
    default: {
      backgroundColor: background,
      foregroundColors: {
        default: { default: colors.default, subtle: colors.subtle },
        accent: { default: colors.accent, subtle: colors.accent },
        attention: { default: colors.attention, subtle: colors.attention },
        good: { default: colors.good, subtle: colors.good },
        warning: { default: colors.warning, subtle: colors.warning },
      },
    },
  },
});

const LIGHT = hostConfig('#ffffff', { default: '#252424', subtle: '#605e5c', accent: '#6264a7', attention: '#c4314b', good: '#92c353', warning: '#f8d22a' });
const THEMES: Readonly<Record<Theme, { hostConfig: object; background: string }>> = {
  light: { hostConfig: LIGHT, background: '#ffffff' },
  dark: {
    hostConfig: hostConfig('#2d2c2c', { default: '#ffffff', subtle: '#bfbfbf', accent: '#a6a7dc', attention: '#d74654', good: '#92c353', warning: '#f8d22a' }),
    background: '#2d2c2c',
  },
  contrast: { hostConfig: LIGHT, background: '#ffffff' },
};

export interface GalleryLanguage {
  /** Folder name, e.g. `en`. */
  name: string;
  locale: string;
  timeZone: string;
  cards: CardSample[];
  /** Themes to render (default light only); light goes to `<name>/`, the others to `<name>/<theme>/`. */
  themes?: readonly Theme[];
}

export interface GalleryProblem {
  card: string;
  problem: string;
}

const renderer = (): string => readFileSync(require.resolve('adaptivecards/dist/adaptivecards.min.js'), 'utf8');

/** Renders one card on the page; its parse warnings and whether it fits the width. */
async function renderCard(page: Page, card: object, theme: Theme): Promise<{ warnings: string[]; overflow: number }> {
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
    { json: card, hostConfig: THEMES[theme].hostConfig },
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
      for (const theme of language.themes ?? ['light']) {
        const dir = theme === 'light' ? path.join(outDir, language.name) : path.join(outDir, language.name, theme);
        problems.push(...(await renderAll(browser, dir, language, theme)));
      }
    }
  } finally {
    await browser.close();
  }
  writeFileSync(path.join(outDir, 'index.html'), indexPage(languages));
  return problems;
}

/** One language in one theme: JSON and PNG of each card in `dir`; the problems found. */
async function renderAll(browser: Browser, dir: string, language: GalleryLanguage, theme: Theme): Promise<GalleryProblem[]> {
  const problems: GalleryProblem[] = [];
  const where = theme === 'light' ? language.name : `${language.name}/${theme}`;
  mkdirSync(dir, { recursive: true });
  const context = await browser.newContext({
    viewport: { width: MOBILE_WIDTH, height: 800 },
    locale: language.locale,
    timezoneId: language.timeZone,
    forcedColors: theme === 'contrast' ? 'active' : 'none',
    colorScheme: theme === 'contrast' ? 'dark' : 'light',
  });
  await context.route(/^https?:/, (route) => route.abort());
  const page = await context.newPage();
  await page.setContent(
    `<!doctype html><html><body style="margin:0;background:${THEMES[theme].background}"><div id="root" style="width:${MOBILE_WIDTH}px;overflow:hidden"></div></body></html>`,
  );
  await page.addScriptTag({ content: renderer() });
  for (const { name, card } of language.cards) {
    writeFileSync(path.join(dir, `${name}.json`), `${JSON.stringify(card, null, 2)}\n`);
    const { warnings, overflow } = await renderCard(page, card, theme);
    for (const warning of warnings) problems.push({ card: `${where}/${name}`, problem: warning });
    if (overflow > 0) problems.push({ card: `${where}/${name}`, problem: `${overflow} px wider than ${MOBILE_WIDTH} px` });
    await page.locator('#root').screenshot({ path: path.join(dir, `${name}.png`) });
  }
  await context.close();
  return problems;
}

function indexPage(languages: readonly GalleryLanguage[]): string {
  const names = languages[0]?.cards.map((c) => c.name) ?? [];
  const columns = languages.flatMap((l) =>
    (l.themes ?? ['light']).map((theme) => ({
      label: theme === 'light' ? l.name : `${l.name} ${theme}`,
      dir: theme === 'light' ? l.name : `${l.name}/${theme}`,
    })),
  );
  const head = columns.map((c) => `<th>${c.label}</th>`).join('');
  const rows = names.map(
    (n) => `<tr><td>${n}</td>${columns.map((c) => `<td><img src="${c.dir}/${n}.png" alt="${n} (${c.label})" width="${MOBILE_WIDTH}"></td>`).join('')}</tr>`,
  );
  return `<!doctype html><meta charset="utf-8"><title>Elevate cards</title><table><tr><th></th>${head}</tr>${rows.join('\n')}</table>\n`;
}
