// The HTML report in a real browser: headless Chromium (Debian's `chromium` package) driven by
// playwright-core, which downloads no browser of its own.
//
//   cd tests/browser && npm ci && node --test
//
// Environment: STEMMA_BIN (the stemma binary; default: $CARGO_TARGET_DIR or ../../target, then
// debug/stemma), CHROMIUM (default /usr/bin/chromium). Screenshots go to the target folder:
// report-screenshot.png (the top of the demo report, a node clicked), report-screenshot-pair.png
// (the pair an edge click scrolled to) and report-screenshot-hostile.png (the hostile corpus).

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { chromium } from 'playwright-core';

const here = dirname(fileURLToPath(import.meta.url));
const root = resolve(here, '..', '..');
const targetDir = resolve(process.env.CARGO_TARGET_DIR || join(root, 'target'));
const stemma = process.env.STEMMA_BIN || join(targetDir, 'debug', 'stemma');
const chromiumPath = process.env.CHROMIUM || '/usr/bin/chromium';
const demoIds = ['independent', 'partial', 'second_generation', 'spun', 'syndicated', 'wire'];

// Flags that keep Chromium off the (closed) network, so that it starts and stops quickly.
const chromiumArgs = [
  '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync',
];

let work;
let browser;

function report(args, out) {
  execFileSync(stemma, ['analyze', ...args, '--format', 'html', '-o', out], {
    env: { ...process.env, NO_COLOR: '1' },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  return pathToFileURL(out).href;
}

/** A page that records script errors, console errors (CSP violations among them) and dialogs. */
async function open(url) {
  const page = await browser.newPage({ viewport: { width: 1280, height: 1100 } });
  const problems = { errors: [], console: [], dialogs: [] };
  page.on('pageerror', (e) => problems.errors.push(String(e)));
  page.on('console', (m) => { if (m.type() === 'error' || m.type() === 'warning') problems.console.push(m.text()); });
  page.on('dialog', (d) => { problems.dialogs.push(d.message()); d.dismiss().catch(() => {}); });
  await page.goto(url);
  return { page, problems };
}

const visiblePairs = (page) => page.$$eval('section.pair', (ps) => ps.filter((p) => !p.hidden).map((p) => Number(p.dataset.pair)));

before(async () => {
  assert.ok(existsSync(stemma), `stemma binary not found at ${stemma} (build it, or set STEMMA_BIN)`);
  assert.ok(existsSync(chromiumPath), `${chromiumPath} not found (apt-get install chromium, or set CHROMIUM)`);
  work = mkdtempSync(join(tmpdir(), 'stemma-browser-'));
  browser = await chromium.launch({ executablePath: chromiumPath, args: chromiumArgs, headless: true, timeout: 60_000 });
});

after(async () => {
  if (browser) await browser.close();
  if (work) rmSync(work, { recursive: true, force: true });
});

test('the demo report renders its graph and pairs, and clicks show articles and pairs', async () => {
  const url = report([join(root, 'examples')], join(work, 'demo.html'));
  const { page, problems } = await open(url);

  // The graph: one node per article, drawn with a real size, none overlapping another.
  const nodes = await page.$$eval('svg.stemma-graph .node.article', (ns) => ns.map((n) => {
    const r = n.querySelector('rect').getBoundingClientRect();
    return { id: n.getAttribute('aria-label'), x: r.x, y: r.y, w: r.width, h: r.height };
  }));
  assert.deepEqual(nodes.map((n) => n.id).sort(), demoIds);
  for (const n of nodes) assert.ok(n.w > 40 && n.h > 20, `node ${n.id} is drawn: ${JSON.stringify(n)}`);
  for (const a of nodes) {
    for (const b of nodes) {
      if (a.id < b.id) {
        const apart = a.x + a.w <= b.x || b.x + b.w <= a.x || a.y + a.h <= b.y || b.y + b.h <= a.y;
        assert.ok(apart, `nodes ${a.id} and ${b.id} overlap`);
      }
    }
  }
  // Node labels fit in their boxes.
  const overflowing = await page.$$eval('svg.stemma-graph .node', (ns) => ns.filter((n) => {
    const box = n.querySelector('rect').getBBox();
    return Array.from(n.querySelectorAll('tspan')).some((t) => t.getComputedTextLength() > box.width - 4);
  }).map((n) => n.getAttribute('aria-label')));
  assert.deepEqual(overflowing, []);
  assert.equal(await page.locator('svg.stemma-graph .edge').count(), 4);

  // The pairs: ten related pairs, each a table of aligned groups with word changes marked.
  assert.deepEqual(await visiblePairs(page), [1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
  const groups = await page.$$eval('section.pair', (ps) => ps.map((p) => p.querySelectorAll('tr.group').length));
  assert.ok(groups.every((g) => g > 0), `every pair has aligned groups: ${groups}`);
  assert.ok(await page.locator('section.pair del').count() > 0);
  assert.ok(await page.locator('section.pair ins').count() > 0);
  assert.equal(await page.textContent('#pair-count'), '10 of 10 pairs shown');

  // Clicking the node of `partial` shows its article and filters the pairs to its four.
  await page.click('svg.stemma-graph .node[aria-label="partial"]');
  const partial = await page.$eval('svg.stemma-graph .node[aria-label="partial"]', (n) => n.dataset.articles);
  const shown = await visiblePairs(page);
  assert.equal(shown.length, 4);
  for (const n of shown) {
    const arts = await page.$eval(`#pair-${n}`, (p) => p.dataset.articles.split(' '));
    assert.ok(arts.includes(partial), `pair ${n} is one of partial's`);
  }
  assert.equal(await page.isVisible('#selection'), true);
  assert.match(await page.textContent('#selection'), /In Orrin Ford, the water is going down/);
  assert.equal(await page.textContent('#article-filter-name'), 'partial');
  assert.equal(await page.textContent('#pair-count'), '4 of 10 pairs shown');
  await page.evaluate(() => window.scrollTo(0, 0));
  await page.screenshot({ path: join(targetDir, 'report-screenshot.png') });

  // Clicking an edge scrolls to its pair, clearing a filter that hid it.
  const edgePair = await page.$eval('svg.stemma-graph .edge[data-pair]', (e) => e.dataset.pair);
  await page.click('button.clear-selection >> nth=0');
  await page.uncheck(`input[name="relation"][value="${await page.$eval(`#pair-${edgePair}`, (p) => p.dataset.relation)}"]`);
  assert.equal(await page.isVisible(`#pair-${edgePair}`), false);
  await page.evaluate(() => window.scrollTo(0, 0));
  await page.locator(`svg.stemma-graph .edge[data-pair="${edgePair}"] text.label`).click();
  assert.equal(await page.isVisible(`#pair-${edgePair}`), true);
  await page.waitForFunction((n) => {
    const r = document.getElementById(`pair-${n}`).getBoundingClientRect();
    return r.top >= 0 && r.top < window.innerHeight / 2;
  }, edgePair);
  assert.match(await page.getAttribute(`#pair-${edgePair}`, 'class'), /flash/);
  await page.screenshot({ path: join(targetDir, 'report-screenshot-pair.png') });

  // Filters: relation and score.
  await page.uncheck('input[name="relation"][value="partial"]');
  assert.equal((await visiblePairs(page)).length, 6);
  await page.$eval('#min-score', (el) => { el.value = '0.7'; el.dispatchEvent(new Event('input', { bubbles: true })); });
  const strong = await visiblePairs(page);
  for (const n of strong) {
    assert.ok(Number(await page.$eval(`#pair-${n}`, (p) => p.dataset.score)) >= 0.7);
  }
  assert.ok(strong.length > 0 && strong.length < 6, `score filter keeps some: ${strong}`);

  assert.deepEqual(problems, { errors: [], console: [], dialogs: [] });
  await page.close();
});

test('a hostile corpus runs no script and keeps the layout', async () => {
  const dir = join(work, 'hostile');
  execFileSync('mkdir', ['-p', dir]);
  const wire = readFileSync(join(root, 'examples', 'wire.txt'), 'utf8');
  const payload = '<script>window.__pwned = 1; alert(1)</script> "quoted" \'single\' </svg> ]]> </script> <img src=x onerror="window.__pwned=2">';
  const hostileIds = ['<b>bold', 'x"><svg onload=alert(1)>', "it's ]]> & more"];
  // Three related copies of the wire story, each with the payload in its text.
  hostileIds.forEach((id, k) => {
    const lines = wire.split('\n');
    lines.splice(3 + k, 0, `${payload} Paragraph ${k}.`);
    writeFileSync(join(dir, `${id}.txt`), lines.join('\n').replace('Karsby', `Karsby ${payload}`));
  });
  const meta = hostileIds.map((id, k) => JSON.stringify({
    id,
    title: `</title></svg><script>window.__pwned = 3</script> title ${k}`,
    publisher: `"><img src=x onerror=alert(${k})>`,
    url: k === 0 ? 'javascript:alert(1)' : `https://example.invalid/"><script>window.__pwned=4</script>`,
    published: `2025-03-0${k + 3}T08:00:00Z`,
  }));
  writeFileSync(join(dir, 'meta.jsonl'), meta.join('\n') + '\n');

  const { page, problems } = await open(report([dir], join(work, 'hostile.html')));
  // Click everything the script reacts to, in case a click would run a payload.
  for (const sel of ['svg.stemma-graph .node', 'svg.stemma-graph .edge', 'button.member']) {
    for (const el of await page.$$(sel)) await el.click({ force: true });
  }
  assert.equal(await page.evaluate(() => window.__pwned), undefined);
  assert.deepEqual(problems.dialogs, []);
  assert.deepEqual(problems.errors, []);
  assert.deepEqual(problems.console, [], 'no CSP violation: no injected script or load was even tried');
  assert.equal(await page.locator('script').count(), 1);
  assert.equal(await page.locator('svg').count(), 1);
  assert.equal(await page.locator('img').count(), 0);
  // The layout holds: three article nodes, three pairs, the body's parts in order.
  const nodeIds = await page.$$eval('svg.stemma-graph .node.article', (ns) => ns.map((n) => n.getAttribute('aria-label')).sort());
  assert.deepEqual(nodeIds, [...hostileIds].sort());
  assert.equal(await page.locator('section.pair').count(), 3);
  assert.deepEqual(await page.$$eval('body > *', (es) => es.map((e) => e.tagName)), ['HEADER', 'MAIN', 'FOOTER', 'SCRIPT']);
  assert.deepEqual(await page.$$eval('main > section', (es) => es.map((e) => e.id)), ['graph', 'families', 'articles', 'pairs']);
  // The payload is shown as text, and no link leads to javascript:.
  assert.match(await page.textContent('#pairs'), /<script>window\.__pwned = 1; alert\(1\)<\/script>/);
  assert.match(await page.textContent('#articles'), /<\/title><\/svg><script>window\.__pwned = 3<\/script> title 0/);
  const hrefs = await page.$$eval('a[href]', (as) => as.map((a) => a.getAttribute('href')));
  assert.ok(hrefs.every((h) => h.startsWith('#') || h.startsWith('https://')), `links: ${hrefs}`);
  await page.evaluate(() => window.scrollTo(0, 0));
  await page.screenshot({ path: join(targetDir, 'report-screenshot-hostile.png') });
  await page.close();
});
