// Browser tests of print.html (the whole book in one page) and of the diagrams drawn at build
// time, in Debian's Chromium driven by playwright-core.
// Usage: node print.mjs BOOK_DIR   (BOOK_DIR is the output of `handbook build`)
// Prints one line per test and ends with "N passed, N failed". The PDF and the screenshots go
// to target/browser/ at the repository root (diagrams in target/browser/diagrams/).
import { launch, serveDir, suite, assert } from './support.mjs';
import { readFileSync, mkdirSync, writeFileSync, existsSync, readdirSync, statSync } from 'node:fs';
import { join, resolve, extname, dirname, relative } from 'node:path';
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const bookDir = resolve(process.argv[2] || join(here, '../../book'));
const outDir = resolve(here, '../../target/browser');
const diagramDir = join(outDir, 'diagrams');
mkdirSync(diagramDir, { recursive: true });
const bank = JSON.parse(readFileSync(join(bookDir, 'questions.json'), 'utf8'));

const { server, base } = await serveDir(bookDir);

const browser = await launch();

const notes = [];
const { test, finish } = suite(browser, base, {});
const squash = (s) => s.replace(/\s+/g, '');

// A4 with 15 mm margins: the printed column is 180 mm wide, 680 CSS px at 96 px per inch.
const margin = '15mm';
const columnPx = Math.floor((180 / 25.4) * 96);

await test('print.html: A4 PDF with every question, no code line past the page edge, no hidden line', async (page) => {
  await page.goto(base + 'print.html');
  await page.emulateMedia({ media: 'print' });

  // Every question of questions.json has its section, in order, with its model answer.
  const sections = await page.$$eval('.print-question', (s) => s.map((e) => e.id));
  assert(sections.length === bank.questions.length, `${sections.length} question sections for ${bank.questions.length} questions`);
  assert(sections.join() === bank.questions.map((q) => 'q-' + q.id).join(), 'question sections out of order');
  const dupes = await page.evaluate(() => {
    const seen = new Map();
    document.querySelectorAll('[id]').forEach((e) => seen.set(e.id, (seen.get(e.id) || 0) + 1));
    return [...seen].filter(([, n]) => n > 1).map(([id]) => id);
  });
  assert(dupes.length === 0, 'duplicate ids: ' + dupes.join(', '));
  const badLinks = await page.$$eval('a[href^="#"]', (as) => as.map((a) => a.getAttribute('href').slice(1)).filter((id) => id && !document.getElementById(id)));
  assert(badLinks.length === 0, 'in-page links without a target: ' + badLinks.slice(0, 5).join(', '));

  // Hidden lines: each question's snippets in print are its page's snippets minus the hidden
  // lines, shown lines all kept.
  const shownOnPage = {};
  let hiddenOnPages = 0;
  const probe = await browser.newPage();
  for (const q of bank.questions) {
    await probe.goto(base + q.url);
    hiddenOnPages += await probe.$$eval('.answer .hidden-line', (e) => e.length);
    shownOnPage[q.id] = await probe.$$eval('.answer pre.code', (pres) => pres.map((pre) => {
      const c = pre.cloneNode(true);
      c.querySelectorAll('.hidden-line').forEach((h) => h.remove());
      return c.textContent;
    }));
  }
  await probe.close();
  for (const q of bank.questions) {
    const printed = await page.$$eval(`#q-${q.id} .answer pre.code`, (pres) => pres.map((p) => p.textContent));
    assert(JSON.stringify(printed) === JSON.stringify(shownOnPage[q.id]), `${q.id}: printed snippets differ from the shown lines of its page`);
  }
  assert(await page.$$eval('.hidden-line, .toggle-hidden', (e) => e.length) === 0, 'print.html has hidden lines or their buttons');
  notes.push(`hidden lines left out of print.html: ${hiddenOnPages}`);

  // No code line reaches past the printed column: lay the page out at the column's width in
  // print media and measure every line box of every code block.
  await page.setViewportSize({ width: columnPx, height: 1000 });
  const overflow = await page.evaluate((width) => {
    const out = [];
    document.querySelectorAll('pre.code').forEach((pre, i) => {
      const range = document.createRange();
      range.selectNodeContents(pre);
      const right = Math.max(0, ...[...range.getClientRects()].map((r) => r.right));
      if (right > width + 1 || pre.scrollWidth > pre.clientWidth + 1) out.push(`pre #${i} reaches ${Math.round(right)} px: ${pre.textContent.slice(0, 60)}`);
    });
    return out;
  }, columnPx);
  assert(overflow.length === 0, 'code past the page edge:\n' + overflow.slice(0, 5).join('\n'));
  const longest = await page.$$eval('pre.code', (pres) => Math.max(...pres.flatMap((p) => p.textContent.split('\n').map((l) => l.length))));

  const file = join(outDir, 'print-A4.pdf');
  await page.pdf({ path: file, format: 'A4', printBackground: true, margin: { top: margin, bottom: margin, left: margin, right: margin } });
  const info = execFileSync('pdfinfo', [file], { encoding: 'utf8' });
  const pages = Number(/Pages:\s+(\d+)/.exec(info)[1]);
  assert(pages >= bank.questions.length, `${pages} pages for ${bank.questions.length} questions: page breaks missing`);
  const text = execFileSync('pdftotext', ['-layout', file, '-'], { encoding: 'utf8' });
  const flat = squash(text);
  const missing = bank.questions.filter((q) => !flat.includes(squash(q.question.replace(/`/g, ''))));
  assert(missing.length === 0, 'questions missing from the PDF: ' + missing.map((q) => q.id).join(', '));
  // Every printed code line is in the PDF's text whole (whitespace aside: wrapping adds breaks).
  const lines = await page.$$eval('pre.code', (pres) => pres.flatMap((p) => p.textContent.split('\n')).filter((l) => l.trim()));
  const cut = lines.filter((l) => !flat.includes(squash(l)));
  assert(cut.length === 0, `${cut.length} code lines not whole in the PDF, e.g.: ${cut.slice(0, 3).join(' | ')}`);
  // Each question starts a page: some page opens with its level line, then its title.
  const pageTexts = text.split('\f').map(squash);
  const starts = bank.questions.filter((q) => pageTexts.some((t) => t.startsWith('Level' + q.level) && t.slice(0, 400).includes(squash(q.question.replace(/`/g, '')).slice(0, 30))));
  assert(starts.length === bank.questions.length, `only ${starts.length} of ${bank.questions.length} questions open a page`);
  notes.push(`print.html on A4: ${pages} pages, ${bank.questions.length} questions, ${lines.length} code lines (longest ${longest} characters) all whole`);
});

// Every page with a diagram, in light and dark: strokes and text take the text colour (so they
// follow the theme), markers resolve, and each figure is screenshot for review.
const pagesWithDiagrams = [];
const walk = (d) => readdirSync(d).forEach((f) => {
  const p = join(d, f);
  if (statSync(p).isDirectory()) walk(p);
  else if (p.endsWith('.html') && !p.endsWith('print.html') && readFileSync(p, 'utf8').includes('<figure class="diagram">')) pagesWithDiagrams.push(relative(bookDir, p));
});
walk(bookDir);
pagesWithDiagrams.sort();
for (const scheme of ['light', 'dark']) {
  await test(`diagrams (${scheme}): drawn in the text colour, captioned, screenshot`, async (page) => {
    assert(pagesWithDiagrams.length > 0, 'no page has a diagram');
    await page.emulateMedia({ colorScheme: scheme });
    let n = 0;
    for (const p of pagesWithDiagrams) {
      await page.goto(base + p);
      const figures = await page.$$('figure.diagram');
      for (const [i, fig] of figures.entries()) {
        const r = await fig.evaluate((f) => {
          const svg = f.querySelector('svg');
          const text = getComputedStyle(document.querySelector('main')).color;
          const strokes = [...svg.querySelectorAll('line, path, rect, circle, polygon')].filter((e) => !e.closest('marker'));
          const wrong = strokes.filter((e) => getComputedStyle(e).stroke !== text).length;
          const refs = [...svg.querySelectorAll('[marker-end], [marker-start]')].map((e) => (e.getAttribute('marker-end') || e.getAttribute('marker-start')).slice(5, -1));
          const box = svg.getBoundingClientRect();
          return { text, shapes: strokes.length, wrong, dangling: refs.filter((id) => !document.getElementById(id)), caption: f.querySelector('figcaption').textContent.trim(), width: box.width, height: box.height, bg: getComputedStyle(document.body).backgroundColor };
        });
        assert(r.shapes > 0 && r.width > 0 && r.height > 0, `${p} #${i}: nothing drawn`);
        assert(r.wrong === 0, `${p} #${i}: ${r.wrong} of ${r.shapes} shapes not stroked in the text colour ${r.text}`);
        assert(r.dangling.length === 0, `${p} #${i}: markers without a definition: ${r.dangling}`);
        assert(r.caption.length > 0, `${p} #${i}: no caption`);
        assert(scheme === 'light' ? r.text !== 'rgb(255, 255, 255)' : r.bg !== 'rgb(255, 255, 255)', `${p}: the ${scheme} theme is not applied`);
        await fig.screenshot({ path: join(diagramDir, `${p.replace(/[/.]/g, '_')}-${i + 1}-${scheme}.png`) });
        n++;
      }
    }
    notes.push(`diagrams (${scheme}): ${n} on ${pagesWithDiagrams.length} page(s): ${pagesWithDiagrams.join(', ')}`);
  });
}

await browser.close();
server.close();
finish(notes, join(outDir, 'print-notes.txt'));
