/**
 * The CLI's HTML report in a real browser: `cluster-preflight --format html examples` opened in
 * headless Chromium (playwright-core, test/e2e/setup.sh installs Debian's chromium). It must show
 * every cluster's map with no console error and without fetching anything: the page is
 * self-contained. Leaves test-output/html-report.png (the README's picture).
 *
 *   npm run build && node out/test/e2e/checkReport.js
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromium } from 'playwright-core';

const ROOT = path.resolve(__dirname, '..', '..', '..');
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

async function main(): Promise<number> {
  const result = spawnSync(process.execPath, [path.join(ROOT, 'dist', 'cli.js'), '--format', 'html', 'examples'], {
    cwd: ROOT,
    encoding: 'utf8',
    maxBuffer: 64 << 20,
  });
  if (result.status !== 1) {
    console.error(`[report] the CLI exited ${result.status} (expected 1: the examples have errors)\n${result.stderr}`);
    return 1;
  }
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'preflight-report-'));
  const file = path.join(dir, 'report.html');
  fs.writeFileSync(file, result.stdout);
  const browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox'] });
  let failures = 0;
  const check = (what: string, ok: boolean, detail = '') => {
    console.log(`${ok ? 'ok  ' : 'FAIL'}  ${what}${ok || !detail ? '' : `\n      ${detail}`}`);
    if (!ok) failures++;
  };
  try {
    const page = await browser.newPage({ viewport: { width: 1280, height: 1000 } });
    const errors: string[] = [];
    const requests: string[] = [];
    page.on('console', (m) => m.type() === 'error' && errors.push(m.text()));
    page.on('pageerror', (e) => errors.push(String(e)));
    page.on('request', (r) => requests.push(r.url()));
    const url = pathToFileURL(file).href;
    await page.goto(url, { waitUntil: 'load' });
    const sections = await page.locator('section.cluster').count();
    check(`the report shows a map per cluster (${sections})`, sections >= 8);
    const missing = await page.locator('.cell.missing').count();
    check(`missing ports are red cells (${missing})`, missing > 0);
    const blocked = await page.locator('svg .arrow.blocked').count();
    check(`blocked flows are red arrows (${blocked})`, blocked > 0);
    check('no console errors', errors.length === 0, errors.join('\n'));
    check(
      'nothing is fetched but the page itself',
      requests.every((r) => r === url),
      requests.join('\n'),
    );
    // What matters is on the first screen of a laptop (issue 17): the summary and the first blocked cell.
    await page.setViewportSize({ width: 1280, height: 800 });
    await page.mouse.wheel(0, -100_000);
    const onScreen = async (selector: string) => {
      const box = await page.locator(selector).first().boundingBox();
      const scroller = await page
        .locator(selector)
        .first()
        .evaluate((el) => {
          // Inside the matrix's own scroll box it must be within that box's visible part too.
          const wrap = el.closest('.matrix-wrap');
          if (!wrap) return true;
          const outer = wrap.getBoundingClientRect();
          const inner = el.getBoundingClientRect();
          return inner.left >= outer.left && inner.right <= outer.right && inner.top >= outer.top && inner.bottom <= outer.bottom;
        });
      return !!box && box.x >= 0 && box.y >= 0 && box.x + box.width <= 1280 && box.y + box.height <= 800 && scroller;
    };
    check('the summary is visible without scrolling at 1280×800', await onScreen('nav.report-summary .summary'));
    check('the first missing cell is visible without scrolling at 1280×800', await onScreen('.cell.missing'));
    await page.screenshot({ path: path.join(ROOT, 'test-output', 'html-report-1280.png') });
    const dcMissing = 'section.cluster[data-cluster$="/examples/dc/inventory.yaml"] .cell.missing';
    await page.locator('section.cluster[data-cluster$="/examples/dc/inventory.yaml"] h1').evaluate((el) => el.scrollIntoView());
    check("examples/dc's ✕ (8472/UDP) is visible without scrolling sideways", await onScreen(dcMissing));
    const links = await page.locator('nav.report-summary a[href^="#cluster-"]').count();
    check(`the summary links every cluster (${links})`, links === sections);
    const empty = await page.locator('section.cluster:not(.no-nodes) >> text=/^0 nodes/').count();
    check('no empty "0 nodes" map', empty === 0);
    const headings = await page.locator('section.cluster h1').allTextContents();
    check(
      'cluster headings are relative paths',
      headings.every((h) => !h.startsWith('/')),
      headings.join(', '),
    );
    const width = await page.locator('html').evaluate((el) => el.scrollWidth);
    check(`the page is no wider than the window (${width} px)`, width <= 1280);
    await page.setViewportSize({ width: 1280, height: 1000 });
    await page.locator('section.cluster[data-cluster$="/examples/dc/inventory.yaml"]').scrollIntoViewIfNeeded();
    await page.screenshot({ path: path.join(ROOT, 'test-output', 'html-report.png') });

    // A 10,000-character host name (issue 18: the page was 77,387 px wide) stays within the window.
    const hostile = path.join(dir, 'hostile');
    fs.mkdirSync(hostile);
    fs.writeFileSync(
      path.join(hostile, 'inventory.yaml'),
      `apiVersion: cluster-preflight/v1alpha1\nkind: Inventory\nspec:\n  nodes:\n    - hostname: ${'a'.repeat(10_000)}\n      roles: [worker]\n      firewall:\n        - port: 10250\n`,
    );
    const long = spawnSync(process.execPath, [path.join(ROOT, 'dist', 'cli.js'), '--format', 'html', hostile], {
      cwd: dir,
      encoding: 'utf8',
      maxBuffer: 64 << 20,
    });
    fs.writeFileSync(file, long.stdout);
    await page.setViewportSize({ width: 1280, height: 800 });
    await page.goto(url, { waitUntil: 'load' });
    const nodes = await page.locator('tr[data-node]').count();
    const longWidth = await page.locator('html').evaluate((el) => el.scrollWidth);
    check(
      `a 10,000-character node name keeps the page within the window (${longWidth} px, ${nodes} node)`,
      nodes === 1 && longWidth <= 1280,
    );
    console.log('[report] screenshot: test-output/html-report.png');
  } finally {
    await browser.close();
    fs.rmSync(dir, { recursive: true, force: true });
  }
  console.log(`report: ${failures ? `${failures} failed` : 'all passed'}`);
  return failures ? 1 : 0;
}

main().then(
  (code) => process.exit(code),
  (error) => {
    console.error(error);
    process.exit(1);
  },
);
