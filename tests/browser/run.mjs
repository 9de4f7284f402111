// Browser tests of the built handbook, in Debian's Chromium driven by playwright-core.
// Usage: node run.mjs BOOK_DIR   (BOOK_DIR is the output of `handbook build`)
// Prints one line per test and ends with "N passed, N failed". Screenshots and PDFs go to
// target/browser/ at the repository root.
import { chromium } from 'playwright-core';
import { createServer } from 'node:http';
import { readFileSync, mkdirSync, writeFileSync, existsSync, readdirSync, statSync } from 'node:fs';
import { join, resolve, extname, dirname } from 'node:path';
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { createRequire } from 'node:module';

const here = dirname(fileURLToPath(import.meta.url));
const require = createRequire(import.meta.url);
const bookDir = resolve(process.argv[2] || join(here, '../../book'));
const outDir = resolve(here, '../../target/browser');
mkdirSync(outDir, { recursive: true });
const bank = JSON.parse(readFileSync(join(bookDir, 'questions.json'), 'utf8'));
const levels = bank.levels.map((l) => l.level);

// A static server on loopback (file:// is tested separately for search).
const types = { '.html': 'text/html; charset=utf-8', '.css': 'text/css', '.js': 'text/javascript', '.json': 'application/json' };
const server = createServer((req, res) => {
  const path = decodeURIComponent(new URL(req.url, 'http://x').pathname);
  const file = join(bookDir, path.endsWith('/') ? path + 'index.html' : path);
  if (!file.startsWith(bookDir) || !existsSync(file) || !statSync(file).isFile()) { res.writeHead(404); res.end('not found'); return; }
  res.writeHead(200, { 'Content-Type': types[extname(file)] || 'application/octet-stream' });
  res.end(readFileSync(file));
});
await new Promise((ok) => server.listen(0, '127.0.0.1', ok));
const base = `http://127.0.0.1:${server.address().port}/`;

const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking',
    '--disable-component-update', '--disable-sync', '--disable-quic'],
});

const results = [];
const notes = [];
async function test(name, fn) {
  const context = await browser.newContext({ acceptDownloads: true });
  const page = await context.newPage();
  const errors = [];
  page.on('pageerror', (e) => errors.push(String(e)));
  // No network: any request leaving loopback is a failure.
  await page.route('**/*', (route) => {
    const u = route.request().url();
    if (u.startsWith(base) || u.startsWith('file:') || u.startsWith('blob:') || u.startsWith('data:')) return route.continue();
    errors.push('network request to ' + u);
    return route.abort();
  });
  try {
    await fn(page, context);
    if (errors.length) throw new Error('page errors: ' + errors.join('; '));
    results.push([name, true]);
    console.log(`ok      ${name}`);
  } catch (e) {
    results.push([name, false]);
    console.log(`FAILED  ${name}\n        ${String(e && e.stack || e).split('\n').slice(0, 6).join('\n        ')}`);
  } finally {
    await context.close();
  }
}
function assert(cond, msg) { if (!cond) throw new Error(msg); }

const q = (level) => bank.questions.filter((x) => x.level === level);

await test('scorecard: a scripted interview ends at the last level passed, naming the red flag', async (page) => {
  await page.goto(base + 'scorecard.html');
  await page.fill('[data-key="meta:candidate"]', 'C-0042');
  await page.fill('[data-key="meta:interviewer"]', 'Interviewer A');
  const marks = [];
  for (const n of [1, 2]) {
    for (const question of q(n)) {
      await page.check(`[data-key="q:${question.id}:signal:0"]`);
      await page.check(`[data-key="q:${question.id}:rating"][value="3"]`);
      marks.push(question.id);
    }
    await page.check(`[data-key="level:${n}:passed"]`);
  }
  const third = q(3)[0];
  await page.fill(`[data-key="q:${third.id}:notes"]`, 'Thinks the signature makes alg irrelevant');
  await page.check(`[data-key="q:${third.id}:flag:0"]`);
  await page.check('[data-key="rec"][value="2"]');
  const reached = await page.textContent('#sc-level-reached');
  const reason = await page.textContent('#sc-reason');
  assert(reached.trim() === 'Level reached: 2', 'reached: ' + reached);
  assert(reason.includes('Stopped at level 3') && reason.includes(third.red_flags[0]), 'reason: ' + reason);
  assert(await page.isDisabled('[data-key="level:3:passed"]'), 'a level with a red flag cannot be passed');
  assert(await page.isDisabled(`[data-key="q:${q(4)[0].id}:rating"][value="4"]`), 'level 4 is locked');
  assert(await page.isVisible('#sc-level-4 .sc-lock'), 'the lock is visible, not hidden');
  await page.screenshot({ path: join(outDir, 'scorecard-level-2.png'), fullPage: false });

  const [dl] = await Promise.all([page.waitForEvent('download'), page.click('#sc-export-json')]);
  const json = JSON.parse(readFileSync(await dl.path(), 'utf8'));
  assert(json.result.level_reached === 2 && json.result.stopped_at === 3, 'export result');
  assert(json.candidate === 'C-0042' && json.interviewer === 'Interviewer A' && json.recommendation === 2, 'export meta');
  for (const id of marks) {
    const eq = json.levels.flatMap((l) => l.questions).find((x) => x.id === id);
    assert(eq.rating === 3 && eq.signals[0].checked, 'export lost a mark on ' + id);
  }
  const e3 = json.levels[2].questions.find((x) => x.id === third.id);
  assert(e3.red_flags[0].checked && e3.notes.includes('alg irrelevant'), 'export lost the level 3 marks');
  assert(json.levels[0].passed && json.levels[1].passed && !json.levels[2].passed, 'export levels passed');
  const [md] = await Promise.all([page.waitForEvent('download'), page.click('#sc-export-md')]);
  const text = readFileSync(await md.path(), 'utf8');
  assert(text.includes('Level reached: 2') && text.includes('[x] Red flag: ' + third.red_flags[0]) && text.includes('C-0042'), 'markdown export');
  writeFileSync(join(outDir, 'scorecard-export.md'), text);
  notes.push('scripted interview: ' + reason.trim());
});

await test('scorecard: locked levels cannot be scored; state survives a reload and clears', async (page) => {
  await page.goto(base + 'scorecard.html');
  assert((await page.textContent('#sc-level-reached')).includes('0'), 'starts at 0');
  const l2 = q(2)[0].id;
  assert(await page.isDisabled(`[data-key="q:${l2}:signal:0"]`), 'level 2 locked at start');
  let clicked = true;
  try { await page.check(`[data-key="q:${l2}:signal:0"]`, { timeout: 500 }); } catch { clicked = false; }
  assert(!clicked, 'a locked level accepted a mark');
  await page.check('[data-key="level:1:passed"]');
  assert(!(await page.isDisabled(`[data-key="q:${l2}:signal:0"]`)), 'level 2 opens when level 1 passes');
  await page.check(`[data-key="q:${l2}:signal:0"]`);
  await page.reload();
  assert(await page.isChecked(`[data-key="q:${l2}:signal:0"]`), 'state kept in sessionStorage');
  // Un-passing level 1 keeps level 2's marks as notes past the stop, not scores.
  await page.uncheck('[data-key="level:1:passed"]');
  assert(await page.isVisible('#sc-level-2 .sc-past'), 'marks past the stop are shown as notes');
  page.once('dialog', (d) => d.accept());
  await page.click('#sc-clear');
  assert(!(await page.isChecked('[data-key="level:1:passed"]')), 'clear');
  const stored = await page.evaluate(() => Object.keys(sessionStorage).length);
  assert(stored === 0, 'clear empties sessionStorage');
});

function pdfPages(file) {
  const info = execFileSync('pdfinfo', [file], { encoding: 'utf8' });
  return Number(/Pages:\s+(\d+)/.exec(info)[1]);
}
const sheetPages = {};
await test('sheets: each level sheet prints on exactly one A4 and one Letter page, nothing cut off', async (page) => {
  for (const n of levels) {
    await page.goto(base + `sheets/level-${n}.html`);
    await page.emulateMedia({ media: 'print' });
    for (const format of ['A4', 'Letter']) {
      const file = join(outDir, `sheet-level-${n}-${format}.pdf`);
      await page.pdf({ path: file, format, printBackground: true });
      const pages = pdfPages(file);
      sheetPages[`level-${n} ${format}`] = pages;
      assert(pages === 1, `level ${n} on ${format}: ${pages} pages`);
      const text = execFileSync('pdftotext', ['-layout', file, '-'], { encoding: 'utf8' }).replace(/\s+/g, ' ');
      assert(text.includes('Stop rule'), `level ${n} ${format}: footer cut off`);
      const last = q(n)[q(n).length - 1];
      const lastWords = last.question.replace(/`/g, '').split(' ').slice(-3).join(' ');
      assert(text.includes(lastWords), `level ${n} ${format}: last question cut off (${lastWords})`);
    }
    await page.screenshot({ path: join(outDir, `sheet-level-${n}.png`), fullPage: true });
  }
  await page.goto(base + 'sheets/interview.html');
  await page.emulateMedia({ media: 'print' });
  for (const format of ['A4', 'Letter']) {
    const file = join(outDir, `sheet-interview-${format}.pdf`);
    await page.pdf({ path: file, format, printBackground: true });
    sheetPages[`interview ${format}`] = pdfPages(file);
    assert(sheetPages[`interview ${format}`] === 1, `interview summary on ${format}: ${sheetPages[`interview ${format}`]} pages`);
  }
  notes.push('sheet pages: ' + JSON.stringify(sheetPages));
});

await test('search: finds questions from the header box and the page, filters by level, works from file://', async (page) => {
  await page.goto('file://' + join(bookDir, 'index.html'));
  await page.keyboard.press('/');
  assert(await page.evaluate(() => document.activeElement.id === 'search-box'), '/ focuses the search box');
  // A distinctive word of some question: the longest word of the last question's text.
  const word = bank.questions[bank.questions.length - 1].question.split(/[^A-Za-z]+/).sort((a, b) => b.length - a.length)[0].toLowerCase();
  await page.keyboard.type(word);
  await page.waitForSelector('.search-results li a');
  const first = await page.getAttribute('.search-results li a', 'href');
  assert(first.includes('questions/'), 'a result links to a question page: ' + first);
  await page.goto('file://' + join(bookDir, 'search.html') + '?q=&level=2');
  const hits = await page.$$eval('#search-page-results a', (as) => as.map((a) => a.textContent));
  assert(hits.length > 0 && hits.every((h) => h.startsWith('L2')), 'level filter: ' + hits.join(' | '));
  const size = statSync(join(bookDir, 'search-index.js')).size;
  notes.push(`search index: ${size} bytes`);
});

await test('screens: light and dark themes, phone width, hidden snippet lines toggle', async (page, context) => {
  const firstWithSnippet = bank.questions.find((x) => readFileSync(join(bookDir, x.url), 'utf8').includes('toggle-hidden'));
  assert(firstWithSnippet, 'some question has hidden lines');
  await page.goto(base + firstWithSnippet.url);
  const hiddenBefore = await page.$eval('.hidden-line', (e) => getComputedStyle(e).display);
  assert(hiddenBefore === 'none', 'hidden lines are hidden');
  await page.click('.toggle-hidden');
  const hiddenAfter = await page.$eval('.hidden-line', (e) => getComputedStyle(e).display);
  assert(hiddenAfter !== 'none', 'the toggle reveals them');
  await page.screenshot({ path: join(outDir, 'question-light.png') });
  await page.emulateMedia({ colorScheme: 'dark' });
  const bg = await page.evaluate(() => getComputedStyle(document.body).backgroundColor);
  assert(bg !== 'rgb(255, 255, 255)', 'dark theme follows the system setting');
  await page.screenshot({ path: join(outDir, 'question-dark.png') });
  await page.setViewportSize({ width: 390, height: 844 });
  await page.emulateMedia({ colorScheme: 'light' });
  await page.goto(base + 'index.html');
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth > window.innerWidth + 1);
  assert(!overflow, 'no horizontal scroll on a phone');
  await page.screenshot({ path: join(outDir, 'index-phone.png') });
  await page.keyboard.press('Tab');
  const skip = await page.evaluate(() => document.activeElement.className);
  assert(skip.includes('skip-link'), 'first Tab reaches the skip link');
});

const axeSource = readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');
const articlesDir = join(bookDir, 'articles');
const articlePages = existsSync(articlesDir) ? readdirSync(articlesDir).filter((f) => f.endsWith('.html')).map((f) => 'articles/' + f) : [];
const axePages = ['index.html', bank.questions[0].url, 'levels/level-1.html', 'scorecard.html', 'sheets/level-1.html', 'search.html', 'guide.html', ...articlePages];
const axeSummary = {};
for (const scheme of ['light', 'dark']) {
  await test(`axe-core (${scheme}): no serious or critical violations`, async (page) => {
    await page.emulateMedia({ colorScheme: scheme });
    const bad = [];
    for (const p of axePages) {
      await page.goto(base + p);
      await page.addScriptTag({ content: axeSource });
      const r = await page.evaluate(async () => await window.axe.run(document, { resultTypes: ['violations'] }));
      const serious = r.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
      axeSummary[`${scheme} ${p}`] = r.violations.map((v) => `${v.id}(${v.impact})`).join(',') || 'none';
      for (const v of serious) bad.push(`${p}: ${v.id} (${v.impact}) ${v.nodes.slice(0, 2).map((n) => n.target.join(' ')).join(', ')}`);
    }
    assert(bad.length === 0, bad.join('\n'));
  });
}
notes.push('axe: ' + JSON.stringify(axeSummary));

await test('html-validate: every page is valid HTML', async () => {
  const { HtmlValidate, FileSystemConfigLoader } = await import('html-validate');
  const validator = new HtmlValidate(new FileSystemConfigLoader({
    extends: ['html-validate:recommended'],
    rules: {
      // The theme's choices, not errors: inline styles for the serve error banner are not in
      // built pages; long lines and our entity use are fine.
      'no-inline-style': 'off', 'require-sri': 'off', 'no-trailing-whitespace': 'off',
      // A question page's title is the question: interviewers read it, search engines do not rank it.
      'long-title': 'off',
    },
  }));
  const files = [];
  const walk = (d) => readdirSync(d).forEach((f) => { const p = join(d, f); statSync(p).isDirectory() ? walk(p) : p.endsWith('.html') && files.push(p); });
  walk(bookDir);
  const problems = [];
  for (const f of files) {
    const report = await validator.validateFile(f);
    for (const r of report.results) for (const m of r.messages) problems.push(`${f.slice(bookDir.length + 1)}:${m.line}:${m.column} ${m.ruleId} ${m.message}`);
  }
  notes.push(`html-validate: ${files.length} pages, ${problems.length} problems`);
  assert(problems.length === 0, problems.slice(0, 15).join('\n'));
});

await browser.close();
server.close();
writeFileSync(join(outDir, 'notes.txt'), notes.join('\n') + '\n');
for (const n of notes) console.log('note: ' + n);
const passed = results.filter((r) => r[1]).length;
const failed = results.length - passed;
console.log(`${passed} passed, ${failed} failed`);
process.exit(failed ? 1 : 0);
