// Browser tests of the built handbook, in Debian's Chromium driven by playwright-core.
// Usage: node run.mjs BOOK_DIR   (BOOK_DIR is the output of `handbook build`)
// Prints one line per test and ends with "N passed, N failed". Screenshots and PDFs go to
// target/browser/ at the repository root.
import { launch, serveDir, suite, assert } from './support.mjs';
import { readFileSync, mkdirSync, writeFileSync, existsSync, readdirSync, statSync, mkdtempSync, rmSync, cpSync } from 'node:fs';
import { join, resolve, extname, dirname } from 'node:path';
import { execFileSync, spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { runAlphaTests, REFERENCE, browserRatings, tomlWords } from './alpha.test.mjs';
import { writeBook } from './gen-book.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const require = createRequire(import.meta.url);
const bookDir = resolve(process.argv[2] || join(here, '../../book'));
const outDir = resolve(here, '../../target/browser');
mkdirSync(outDir, { recursive: true });
const bank = JSON.parse(readFileSync(join(bookDir, 'questions.json'), 'utf8'));
const levels = bank.levels.map((l) => l.level);

// A static server on loopback (file:// is tested separately for search).
const { server, base } = await serveDir(bookDir);

const browser = await launch();

const notes = [];
const { test, finish } = suite(browser, base, { allow: ['file:', 'blob:', 'data:'], context: { acceptDownloads: true } });

const q = (level) => bank.questions.filter((x) => x.level === level);

await test('alpha: the calibration functions match Python krippendorff (ordinal) on pinned data sets', async () => {
  const failures = runAlphaTests();
  assert(failures.length === 0, failures.join('\n'));
});

// Rates one question on the scorecard: a red flag for rating 1 (the flag forces it), else the radio.
async function rate(page, question, rating, { flag = false } = {}) {
  if (flag) await page.check(`[data-key="q:${question.id}:flag:0"]`);
  else await page.check(`[data-key="q:${question.id}:rating"][value="${rating}"]`);
}

await test('scorecard: the guide severity model decides passes, the stop and the reason', async (page) => {
  await page.goto(base + 'scorecard.html');
  await page.fill('[data-key="meta:candidate"]', 'C-0042');
  await page.fill('[data-key="meta:interviewer"]', 'Interviewer A');
  assert((await page.textContent('#sc-reason')).startsWith('Not started'), 'not started');
  assert((await page.$$('[data-key$=":passed"]')).length === 0, 'a level pass is computed, not a checkbox');
  // Level 1: all 3s but one, rated as they come; the level is decided only when all are rated.
  const l1 = q(1);
  for (const [i, question] of l1.entries()) {
    await page.check(`[data-key="q:${question.id}:signal:0"]`);
    await rate(page, question, i === 0 ? 2 : 3);
    const status = await page.textContent('#sc-level-1-status');
    if (i < l1.length - 1) assert(status.includes('in progress') && await page.isDisabled(`[data-key="q:${q(2)[0].id}:rating"][value="3"]`), 'level 1 not decided yet: ' + status);
  }
  assert((await page.textContent('#sc-level-1-status')).includes('passed'), 'one 2 is allowed');
  assert(!(await page.isDisabled(`[data-key="q:${q(2)[0].id}:rating"][value="3"]`)), 'level 2 opens when level 1 passes');
  // Level 2: two 2s fail it; raising one to 3 passes it.
  const l2 = q(2);
  for (const [i, question] of l2.entries()) await rate(page, question, i < 2 ? 2 : 4);
  let reason = await page.textContent('#sc-reason');
  assert(reason.includes('Stopped at level 2, not passed') && reason.includes('2 questions rated 2'), 'two 2s: ' + reason);
  assert(await page.isDisabled(`[data-key="q:${q(3)[0].id}:rating"][value="3"]`), 'level 3 stays locked after a fail');
  await rate(page, l2[1], 3);
  assert((await page.textContent('#sc-level-reached')).trim() === 'Level reached: 2', 'level 2 passed with one 2');
  // Level 3: a question red flag rates that question 1 and ends the climb at level 3.
  const third = q(3)[0];
  await rate(page, third, 3);
  await page.fill(`[data-key="q:${third.id}:notes"]`, 'Thinks the signature makes alg irrelevant');
  await page.check(`[data-key="q:${third.id}:flag:0"]`);
  assert(await page.isChecked(`[data-key="q:${third.id}:rating"][value="1"]`), 'a red flag rates the question 1');
  assert(await page.isDisabled(`[data-key="q:${third.id}:rating"][value="3"]`), 'other ratings are unavailable while a red flag is ticked');
  assert(await page.isVisible(`[data-question="${third.id}"] .sc-forced`), 'the page says why');
  await page.check('[data-key="rec"][value="2"]');
  const reached = await page.textContent('#sc-level-reached');
  reason = await page.textContent('#sc-reason');
  assert(reached.trim() === 'Level reached: 2', 'reached: ' + reached);
  assert(reason.includes('Stopped at level 3') && reason.includes(`question 3.${third.order} rated 1`) && reason.includes(third.red_flags[0]), 'reason: ' + reason);
  assert(await page.isDisabled(`[data-key="q:${q(4)[0].id}:rating"][value="4"]`), 'level 4 is locked');
  assert(await page.isVisible('#sc-level-4 .sc-lock'), 'the lock is visible, not hidden');
  // The anchors sit beside the rating choice, collapsed.
  if (third.anchors) {
    const details = `[data-question="${third.id}"] .sc-rate details.sc-anchors`;
    assert(!(await page.$eval(details, (d) => d.open)), 'anchors start collapsed');
    await page.click(details + ' summary');
    assert((await page.textContent(details)).includes(third.anchors['4'].replace(/[`*]/g, '').slice(0, 30)), 'the 4 anchor is shown');
  }
  await page.screenshot({ path: join(outDir, 'scorecard-level-2.png'), fullPage: false });

  const [dl] = await Promise.all([page.waitForEvent('download'), page.click('#sc-export-json')]);
  const json = JSON.parse(readFileSync(await dl.path(), 'utf8'));
  assert(json.format === 'handbook-scorecard/1' && json.book === bank.title, 'export format and book');
  assert(json.result.level_reached === 2 && json.result.stopped_at === 3 && json.result.reason === reason, 'export result');
  assert(json.candidate === 'C-0042' && json.interviewer === 'Interviewer A' && json.recommendation === 2, 'export meta');
  const all = json.levels.flatMap((l) => l.questions);
  for (const question of l1) {
    const e = all.find((x) => x.id === question.id);
    assert(e.level === 1 && e.signals[0].checked && e.rating === (question === l1[0] ? 2 : 3), 'export lost a mark on ' + question.id);
  }
  const e3 = all.find((x) => x.id === third.id);
  assert(e3.rating === 1 && e3.red_flags[0].checked && e3.notes.includes('alg irrelevant'), 'export lost the level 3 marks');
  assert(json.levels[0].passed && json.levels[1].passed && !json.levels[2].passed && json.levels[2].status === 'failed' && !json.levels[3].scored, 'export levels');
  const [md] = await Promise.all([page.waitForEvent('download'), page.click('#sc-export-md')]);
  const text = readFileSync(await md.path(), 'utf8');
  assert(text.includes('Level reached: 2') && text.includes('[x] Red flag: ' + third.red_flags[0]) && text.includes('C-0042'), 'markdown export');
  writeFileSync(join(outDir, 'scorecard-export.md'), text);
  notes.push('scripted interview: ' + reason.trim());
});

await test("scorecard: the level red flag ends the climb even when every answer is good", async (page) => {
  await page.goto(base + 'scorecard.html');
  for (const question of q(1)) await rate(page, question, 4);
  assert((await page.textContent('#sc-level-reached')).includes('1'), 'level 1 passed');
  await page.check('[data-key="level:1:flag"]');
  const reason = await page.textContent('#sc-reason');
  assert((await page.textContent('#sc-level-reached')).trim() === 'Level reached: 0', 'the level red flag: not passed');
  assert(reason.includes("the level's red flag was seen") && reason.includes(bank.levels[0].red_flag), 'reason: ' + reason);
  assert(await page.isVisible('#sc-level-2 .sc-lock'), 'level 2 locked');
});

await test('scorecard: locked levels cannot be scored; state survives a reload and clears', async (page) => {
  await page.goto(base + 'scorecard.html');
  assert((await page.textContent('#sc-level-reached')).includes('0'), 'starts at 0');
  const l2 = q(2)[0].id;
  const box = `[data-key="q:${l2}:signal:0"]`;
  assert(await page.isDisabled(box), 'level 2 locked at start');
  assert(await page.isVisible(box), 'the locked box is on screen, so a click reaches it');
  // A real click on the locked box (force skips playwright's wait for it to be enabled).
  await page.click(box, { force: true });
  assert(!(await page.isChecked(box)), 'a locked level accepted a mark');
  const stored = await page.evaluate(() => JSON.stringify(sessionStorage));
  assert(!stored.includes(`q:${l2}:signal:0`), 'a locked level stored a mark');
  for (const question of q(1)) await rate(page, question, 3);
  assert(!(await page.isDisabled(box)), 'level 2 opens when level 1 passes');
  await page.click(box);
  assert(await page.isChecked(box), 'the same click works once the level is open');
  await page.reload();
  assert(await page.isChecked(box), 'state kept in sessionStorage');
  // Failing level 1 again keeps level 2's marks as notes past the stop, not scores.
  await rate(page, q(1)[0], 1);
  assert(await page.isVisible('#sc-level-2 .sc-past'), 'marks past the stop are shown as notes');
  page.once('dialog', (d) => d.accept());
  await page.click('#sc-clear');
  assert(!(await page.isChecked(`[data-key="q:${q(1)[0].id}:rating"][value="1"]`)), 'clear');
  const left = await page.evaluate(() => Object.keys(sessionStorage).length);
  assert(left === 0, 'clear empties sessionStorage');
});

await test('rating scale: every legend shows the guide scale; no script hard-codes it', async (page) => {
  await page.goto(base + 'guide.html');
  const scale = await page.$$eval('.rating-scale-table tbody tr', (rows) => rows.map((r) => [...r.children].map((c) => c.textContent.trim())));
  assert(scale.length === 4 && scale.map((r) => r[0]).join() === '1,2,3,4', 'the guide shows the scale: ' + JSON.stringify(scale));
  await page.goto(base + 'scorecard.html');
  const legend = await page.$$eval('.sc-legend dt', (d) => d.map((x) => x.textContent.trim()));
  assert(JSON.stringify(legend) === JSON.stringify(scale.map((r) => `${r[0]} ${r[1]}`)), 'scorecard legend: ' + legend);
  const radios = await page.$$eval(`[data-question="${bank.questions[0].id}"] .sc-rating label`, (l) => l.map((x) => x.textContent.trim()));
  assert(JSON.stringify(radios) === JSON.stringify(scale.map((r) => `${r[0]} ${r[1]}`)), 'rating choices: ' + radios);
  for (const p of ['sheets/level-1.html', 'sheets/interview.html', 'sheets/anchors-level-1.html']) {
    await page.goto(base + p);
    const footer = await page.textContent('.sheet-footer');
    for (const r of scale) assert(footer.includes(`${r[0]} ${r[1]}`), `${p}: legend lacks "${r[0]} ${r[1]}"`);
  }
  for (const js of ['scorecard.js', 'calibrate.js', 'drill.js']) {
    const src = readFileSync(join(bookDir, 'assets', js), 'utf8');
    for (const r of scale) assert(!src.includes(r[1]), `${js} hard-codes "${r[1]}"`);
  }
});

// Three interviewers score the same interview; their exports go to the calibration session.
const exported = [];
await test('calibration: three interviews on the scorecard, exported as handbook-scorecard/1', async (page, context) => {
  for (const n of [1, 2, 3, 4]) assert(q(n).length >= 4, `the test needs 4 questions in level ${n}, the book has ${q(n).length}`);
  const plan = browserRatings();
  const expected = { A: [2, 'Stopped at level 3, not passed: question 3.2 rated 1'], B: [3, "Stopped at level 4, not passed: the level's red flag was seen"], C: [0, 'Stopped at level 1, not passed: 2 questions rated 2'] };
  for (const who of ['A', 'B', 'C']) {
    const tab = await context.newPage();
    await tab.goto(base + 'scorecard.html');
    await tab.fill('[data-key="meta:candidate"]', 'C-0077');
    await tab.fill('[data-key="meta:interviewer"]', 'Interviewer ' + who);
    for (const [li, ratings] of plan[who].entries()) {
      if (!ratings) { assert(await tab.isDisabled(`[data-key="q:${q(li + 1)[0].id}:rating"][value="3"]`), `${who}: level ${li + 1} must be locked`); continue; }
      for (const [i, r] of ratings.entries()) {
        const question = q(li + 1)[i];
        await tab.check(`[data-key="q:${question.id}:signal:0"]`);
        await rate(tab, question, r, { flag: r === 1 });
      }
    }
    if (who === 'B') await tab.check('[data-key="level:4:flag"]');
    const reached = (await tab.textContent('#sc-level-reached')).trim();
    const reason = (await tab.textContent('#sc-reason')).trim();
    assert(reached === 'Level reached: ' + expected[who][0], `${who}: ${reached}`);
    assert(reason.startsWith(expected[who][1]), `${who}: ${reason}`);
    const [dl] = await Promise.all([tab.waitForEvent('download'), tab.click('#sc-export-json')]);
    const file = join(outDir, `scorecard-${who}.json`);
    writeFileSync(file, readFileSync(await dl.path()));
    exported.push(file);
    await tab.close();
  }
});

await test('calibration: calibrate.html from file:// shows alpha, discuss first and each level reached', async (page) => {
  assert(exported.length === 3, 'the three exports are missing');
  await page.goto('file://' + join(bookDir, 'calibrate.html'));
  await page.setInputFiles('#calibrate-files', exported);
  await page.waitForSelector('#calibrate-results:not([hidden])');
  const refs = Object.fromEntries(REFERENCE.map((r) => [r.name, r.text]));
  const alpha = (await page.textContent('#calibrate-alpha')).trim();
  assert(alpha === refs['browser overall'], `alpha ${alpha}, Python ${refs['browser overall']}`);
  for (const n of [1, 2, 3]) {
    const a = (await page.textContent(`#calibrate-alpha-level-${n}`)).trim();
    assert(a === refs[`browser level ${n}`], `level ${n}: alpha ${a}, Python ${refs[`browser level ${n}`]}`);
  }
  for (const n of levels.filter((n) => n > 3)) {
    assert((await page.textContent(`#calibrate-alpha-level-${n}`)).trim() === 'not enough ratings', `level ${n}: not enough ratings`);
    assert((await page.textContent(`#calibrate-units-level-${n}`)).trim() === '0', `level ${n}: 0 questions rated by two`);
  }
  assert((await page.textContent('#calibrate-units')).trim() === '12', 'overall: 12 questions rated by at least two');
  const discuss = await page.$$eval('#calibrate-discuss li', (l) => l.map((x) => x.getAttribute('data-question')));
  const want = [q(1)[1].id, q(3)[1].id, q(3)[2].id];
  assert(JSON.stringify(discuss) === JSON.stringify(want), `discuss first: ${discuss}, expected ${want}`);
  const rows = await page.$$eval('#calibrate-interviewers tr', (r) => r.map((x) => [x.querySelector('th').textContent, x.querySelector('.cal-reached').textContent, x.querySelector('.cal-reason').textContent]));
  assert(JSON.stringify(rows.map((r) => r[0] + ':' + r[1])) === JSON.stringify(['Interviewer A:2', 'Interviewer B:3', 'Interviewer C:0']), 'levels reached: ' + JSON.stringify(rows));
  assert(rows[1][2].includes("level's red flag"), 'reason shown: ' + rows[1][2]);
  const side = await page.textContent(`#cal-q-${q(3)[1].id}`);
  assert(side.includes(q(3)[1].red_flags[0]) && side.includes('Interviewer B'), 'side by side shows the red flag');
  const [md] = await Promise.all([page.waitForEvent('download'), page.click('#calibrate-export-md')]);
  const text = readFileSync(await md.path(), 'utf8');
  assert(text.includes('| All levels | ' + refs['browser overall'] + ' | 12 |') && text.includes('## Discuss first'), 'markdown export');
  writeFileSync(join(outDir, 'calibration-session.md'), text);
  await page.screenshot({ path: join(outDir, 'calibrate.png'), fullPage: false });
  notes.push(`calibration: alpha ${alpha} overall; discuss first ${discuss.join(', ')}`);
});

await test('calibration: files of another format or book are refused, naming the file', async (page) => {
  const other = join(outDir, 'scorecard-other-book.json');
  const card = JSON.parse(readFileSync(exported[0], 'utf8'));
  writeFileSync(other, JSON.stringify({ ...card, book: 'Another Handbook' }));
  const notJson = join(outDir, 'not-a-scorecard.json');
  writeFileSync(notJson, '{ this is not json');
  await page.goto('file://' + join(bookDir, 'calibrate.html'));
  await page.setInputFiles('#calibrate-files', [join(bookDir, 'questions.json'), other, notJson, exported[1]]);
  await page.waitForSelector('#calibrate-messages p');
  const msg = await page.textContent('#calibrate-messages');
  assert(msg.includes('questions.json: not a handbook scorecard') && msg.includes('handbook-questions/1'), 'format message: ' + msg);
  assert(msg.includes('scorecard-other-book.json: a scorecard of the book "Another Handbook"'), 'book message: ' + msg);
  assert(msg.includes('not-a-scorecard.json: not a JSON file'), 'JSON message: ' + msg);
  assert(msg.includes('Load at least 2') && await page.isHidden('#calibrate-results'), 'one valid file is not a session');
  const eleven = Array.from({ length: 11 }, () => exported[0]);
  await page.setInputFiles('#calibrate-files', eleven);
  await page.waitForFunction(() => document.getElementById('calibrate-messages').textContent.includes('at most 10'));
});

await test('drill: a level anchors, shuffled and unrated, then reference, distance and summary', async (page) => {
  const level = levels.find((n) => q(n).some((x) => x.anchors));
  assert(level, 'no question of the book has anchors');
  await page.goto('file://' + join(bookDir, 'drill.html'));
  await page.selectOption('#drill-level', String(level));
  await page.click('#drill-start');
  const data = JSON.parse(await page.textContent('#scorecard-data'));
  const reference = new Map();
  for (const x of data.questions.filter((x) => x.level === level && x.anchors)) for (const a of x.anchors) reference.set(x.question_html + '\n' + a.text, a.value);
  const items = await page.$$eval('.drill-item', (l) => l.map((li) => li.querySelector('legend').innerHTML + '\n' + li.querySelector('.drill-answer').innerHTML));
  assert(items.length === reference.size && items.every((i) => reference.has(i)), `the drill shows the level's ${reference.size} anchors: ${items.length}`);
  assert(!(await page.textContent('#drill-items')).includes('Reference rating'), 'no rating shown before checking');
  const order = items.map((i) => reference.get(i)).join('');
  assert(order !== [...reference.values()].join(''), 'shuffled');
  const choose = (ref, d) => (d === 0 ? ref : d === 1 ? (ref < 4 ? ref + 1 : ref - 1) : (ref <= 2 ? ref + 2 : ref - 2));
  for (const [i, item] of items.entries()) {
    if (i === 2) continue; // left unrated
    const d = i === 0 ? 1 : i === 1 ? 2 : 0;
    await page.check(`input[name="drill-${i}"][value="${choose(reference.get(item), d)}"]`);
  }
  await page.click('#drill-check');
  const count = async (id) => Number(await page.textContent(id));
  assert(await count('#drill-exact') === items.length - 3 && await count('#drill-adjacent') === 1 && await count('#drill-off') === 1 && await count('#drill-unrated') === 1, 'summary');
  const results = await page.$$eval('.drill-result', (r) => r.map((x) => x.textContent));
  assert(results.every((r, i) => r.startsWith('Reference rating: ' + reference.get(items[i]))), 'each item shows its reference rating');
  assert(results[1].includes('off by 2'), 'the distance: ' + results[1]);
  await page.screenshot({ path: join(outDir, 'drill.png'), fullPage: false });
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
  // The anchors sheets may take more than a page: recorded, not asserted.
  for (const n of levels) {
    await page.goto(base + `sheets/anchors-level-${n}.html`);
    await page.emulateMedia({ media: 'print' });
    const file = join(outDir, `sheet-anchors-${n}-A4.pdf`);
    await page.pdf({ path: file, format: 'A4', printBackground: true });
    sheetPages[`anchors-${n} A4`] = pdfPages(file);
  }
  notes.push('sheet pages: ' + JSON.stringify(sheetPages));
});

// A generated bank with a 40-question level, built with the handbook binary and printed.
function handbookBin() {
  const candidates = [process.env.HANDBOOK_BIN, join(here, '../../target/release/handbook'), join(here, '../../target/debug/handbook')];
  const found = candidates.find((c) => c && existsSync(c));
  if (!found) throw new Error('no handbook binary: run `cargo build --release` or set HANDBOOK_BIN');
  return found;
}
function pageTexts(file) {
  return Array.from({ length: pdfPages(file) }, (_, i) => execFileSync('pdftotext', ['-f', String(i + 1), '-l', String(i + 1), '-layout', file, '-'], { encoding: 'utf8' }).replace(/\s+/g, ' '));
}
const longPages = {};
await test('sheets: a 40-question level prints on several pages, header and footer on each, no question split', async (page) => {
  const dir = mkdtempSync(join(tmpdir(), 'handbook-print-'));
  try {
    const made = writeBook(dir, { level1: 40, level2: 3 });
    execFileSync(handbookBin(), ['build', dir], { encoding: 'utf8', stdio: 'pipe' });
    const long = made.filter((m) => m.tag.startsWith('L1'));
    for (const format of ['A4', 'Letter']) {
      await page.goto('file://' + join(dir, 'book/sheets/level-1.html'));
      await page.emulateMedia({ media: 'print' });
      const file = join(outDir, `sheet-40-level-1-${format}.pdf`);
      await page.pdf({ path: file, format, printBackground: true });
      const texts = pageTexts(file);
      longPages[`level sheet ${format}`] = texts.length;
      assert(texts.length > 1, `${format}: a 40-question level on ${texts.length} page`);
      texts.forEach((t, i) => {
        for (const h of ['Generated Print Bank: level 1, Long level', 'Candidate ref.', 'Interviewer', 'Date', 'Level red flag', 'Stop rule', 'Rating: 1 wrong, or a red flag']) {
          assert(t.includes(h), `${format} page ${i + 1} lacks "${h}"`);
        }
      });
      assert(texts[0].includes(`${long[0].tag} How does`), `${format}: page 1 lacks the first question`);
      for (const m of long) {
        const where = (s) => texts.findIndex((t) => t.includes(s));
        const title = where(`${m.tag} How does`);
        assert(title >= 0, `${format}: ${m.tag} missing`);
        for (const part of [`${m.tag}-S1`, `${m.tag}-S4`, `${m.tag}-F2`]) {
          assert(where(part) === title, `${format}: ${m.tag} split across pages (${part} on page ${where(part) + 1}, title on ${title + 1})`);
        }
      }
      await page.goto('file://' + join(dir, 'book/sheets/interview.html'));
      await page.emulateMedia({ media: 'print' });
      const summary = join(outDir, `sheet-40-interview-${format}.pdf`);
      await page.pdf({ path: summary, format, printBackground: true });
      const st = pageTexts(summary);
      longPages[`interview sheet ${format}`] = st.length;
      assert(st.length > 1, `${format}: 43 rows on one page?`);
      assert(st[0].includes(`${long[0].tag} How does`) && st[0].includes(`${long[5].tag} How does`), `${format}: the summary table does not start on page 1`);
      st.forEach((t, i) => {
        for (const h of ['Generated Print Bank: interview summary', 'Candidate ref.', 'Question', 'Notes']) assert(t.includes(h), `${format} summary page ${i + 1} lacks "${h}"`);
      });
      assert(made.every((m) => st.some((t) => t.includes(`${m.tag} How does`))), `${format}: a question is missing from the summary`);
    }
    const check = spawnSync(handbookBin(), ['check', dir], { encoding: 'utf8' });
    assert(check.status === 0 && (check.stdout + check.stderr).includes('the level 1 sheet (sheets/level-1.html) will not fit on one printed page'), 'check warns about the long sheet');
    assert(!(check.stdout + check.stderr).includes('the level 2 sheet'), 'check does not warn about the short one');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  notes.push('40-question sheets, pages: ' + JSON.stringify(longPages));
});

// The English pieces of the theme's words a page could show, as tests/build.rs finds them:
// the text between `{name}` placeholders, trimmed of spaces and punctuation, two letters or
// more, less the words French shares.
const SAME_IN_FRENCH = ['Alpha', 'Alpha (ordinal)', 'Article', 'Date', 'Exact', 'on', 'Question', 'Questions', 'question', 'questions', 'Sources'];
function englishFragments() {
  const words = tomlWords(readFileSync(join(here, '../../themes/default/words.toml'), 'utf8'));
  const out = [];
  for (const [key, value] of Object.entries(words)) {
    for (let piece of value.split(/\{\w+\}/)) {
      for (let before = null; before !== piece;) {
        before = piece;
        piece = piece.replace(/^[\s.,:;·]+|[\s.,:;·]+$/g, '').replace(/\($/, '').replace(/^\)/, '');
      }
      if ((piece.match(/[A-Za-z]/g) || []).length >= 2 && !SAME_IN_FRENCH.includes(piece)) out.push([key, piece]);
    }
  }
  return out;
}
function containsWord(text, word) {
  for (let i = text.indexOf(word); i >= 0; i = text.indexOf(word, i + 1)) {
    const before = text[i - 1], after = text[i + word.length];
    if (!(before && /[\p{L}\p{N}]/u.test(before)) && !(after && /[\p{L}\p{N}]/u.test(after))) return true;
  }
  return false;
}
// What a page shows or reads out: text (code and data blocks aside) and labelling attributes.
const interfaceTexts = () => {
  const out = [document.title];
  const walk = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  for (let n = walk.nextNode(); n; n = walk.nextNode()) if (!n.parentElement.closest('script, pre, code')) out.push(n.textContent);
  for (const a of ['aria-label', 'placeholder', 'title', 'alt']) document.querySelectorAll(`[${a}]`).forEach((e) => out.push(e.getAttribute(a)));
  return out;
};

await test('words: on a French bank every text the scripts write is French (scorecard, exports, calibration, drill, search)', async (page, context) => {
  const dir = mkdtempSync(join(tmpdir(), 'handbook-french-'));
  const problems = [];
  try {
    cpSync(join(here, '../fixtures/other-subject'), dir, { recursive: true });
    execFileSync(handbookBin(), ['build', dir], { encoding: 'utf8', stdio: 'pipe' });
    const site = join(dir, 'book');
    const fr = JSON.parse(readFileSync(join(site, 'questions.json'), 'utf8'));
    const english = englishFragments();
    const judge = (where, texts) => {
      // A format's name (handbook-scorecard/1) is a format, not a word.
      for (const t of texts.map((x) => x.replace(/handbook-[a-z]+\/\d+/g, ' '))) {
        if (t.includes('script_')) problems.push(`${where}: a missing word shows its key in "${t.trim()}"`);
        for (const [key, f] of english) if (containsWord(t, f)) problems.push(`${where}: "${f}" (the English of ${key}) in "${t.trim().slice(0, 120)}"`);
      }
    };
    const look = async (where, tab = page) => judge(where, await tab.evaluate(interfaceTexts));
    const markdown = (text) => text.split('\n').map((l) => l.replace(/`[^`]*`/g, ' ')); // the book's code aside

    // The scorecard, step by step: every status and reason the script writes.
    const qs = (n) => fr.questions.filter((x) => x.level === n);
    await page.goto('file://' + join(site, 'scorecard.html'));
    await look('scorecard, not started');
    assert((await page.textContent('#sc-reason')).includes('Pas commencé'), 'the reason is French: ' + await page.textContent('#sc-reason'));
    await page.fill('[data-key="meta:candidate"]', 'C-7');
    await page.fill('[data-key="meta:interviewer"]', 'Anne');
    await page.check(`[data-key="q:${qs(1)[0].id}:signal:0"]`);
    await look('scorecard, level 1 in progress');
    assert((await page.textContent('#sc-level-1-status')).includes('en cours'), 'in progress');
    await page.check(`[data-key="q:${qs(1)[0].id}:rating"][value="3"]`);
    await page.check(`[data-key="q:${qs(2)[0].id}:rating"][value="2"]`);
    await page.check(`[data-key="q:${qs(3)[0].id}:flag:0"]`);
    await page.check('[data-key="rec"][value="none"]');
    await look('scorecard, stopped at level 3 by a question red flag');
    assert((await page.textContent('#sc-reason')).startsWith('Arrêté au niveau 3, non validé : question 3.1 notée 1'), 'reason: ' + await page.textContent('#sc-reason'));
    assert((await page.textContent('#sc-level-4-status')).includes("l'ascension s'est arrêtée au niveau 3"), 'locked level');
    const [mdFile] = await Promise.all([page.waitForEvent('download'), page.click('#sc-export-md')]);
    assert(mdFile.suggestedFilename() === 'grille-C-7-Anne.md', 'file name: ' + mdFile.suggestedFilename());
    const md = readFileSync(await mdFile.path(), 'utf8');
    judge('scorecard Markdown export', markdown(md));
    assert(md.includes('- Recommandation : pas de décision') && md.includes('## Niveau 4 : ') && md.includes('(au-delà de l\'arrêt : remarques, non noté)'), 'markdown export:\n' + md);
    const [jsonFile] = await Promise.all([page.waitForEvent('download'), page.click('#sc-export-json')]);
    const first = join(dir, 'grille-anne.json');
    writeFileSync(first, readFileSync(await jsonFile.path()));
    const card = JSON.parse(readFileSync(first, 'utf8'));
    // The export is a format: its keys and codes stay as docs/scorecard-json.md defines them.
    assert(card.format === 'handbook-scorecard/1' && card.recommendation === 'no decision' && card.levels[3].status === 'not scored', 'format codes');
    await page.check('[data-key="level:1:flag"]');
    await look('scorecard, the level red flag seen');
    assert((await page.textContent('#sc-reason')).includes("le signal d'alarme du niveau a été vu"), 'level flag reason');
    let asked = '';
    page.once('dialog', (d) => { asked = d.message(); d.accept(); });
    await page.click('#sc-clear');
    judge('scorecard, the clear dialog', [asked]);
    assert(asked.startsWith('Effacer'), 'the dialog is French: ' + asked);
    for (let n = 1; n <= fr.levels.length; n++) await page.check(`[data-key="q:${qs(n)[0].id}:rating"][value="4"]`);
    await look('scorecard, every level passed');
    assert((await page.textContent('#sc-reason')) === `Les ${fr.levels.length} niveaux sont validés.`, 'all passed');

    // A second interviewer, another candidate reference: the session notes it.
    const tab = await context.newPage();
    await tab.goto('file://' + join(site, 'scorecard.html'));
    await tab.fill('[data-key="meta:candidate"]', 'C-8');
    await tab.fill('[data-key="meta:interviewer"]', 'Paul');
    await tab.check(`[data-key="q:${qs(1)[0].id}:rating"][value="1"]`);
    const [second] = await Promise.all([tab.waitForEvent('download'), tab.click('#sc-export-json')]);
    const secondFile = join(dir, 'grille-paul.json');
    writeFileSync(secondFile, readFileSync(await second.path()));
    await tab.close();

    // The calibration session, with a file of another format among them.
    await page.goto('file://' + join(site, 'calibrate.html'));
    await page.setInputFiles('#calibrate-files', [first, secondFile, join(site, 'questions.json')]);
    await page.waitForSelector('#calibrate-results:not([hidden])');
    await look('calibration session');
    const messages = await page.textContent('#calibrate-messages');
    assert(messages.includes('questions.json : pas une grille handbook') && messages.includes('candidats différents'), 'messages: ' + messages);
    assert((await page.textContent('#calibrate-alpha')).trim() === 'pas assez de notes', 'alpha text');
    const [calFile] = await Promise.all([page.waitForEvent('download'), page.click('#calibrate-export-md')]);
    assert(calFile.suggestedFilename() === 'seance-etalonnage.md', 'file name: ' + calFile.suggestedFilename());
    const calMd = readFileSync(await calFile.path(), 'utf8');
    judge('calibration Markdown export', markdown(calMd));
    assert(calMd.includes('## À discuter d\'abord') && calMd.includes('| Tous les niveaux | pas assez de notes |'), 'calibration markdown:\n' + calMd);
    await page.setInputFiles('#calibrate-files', [first]);
    await page.waitForFunction(() => document.getElementById('calibrate-messages').textContent.includes('Chargez au moins'));
    await look('calibration session, one file');

    // The drill: the status, then each result.
    await page.goto('file://' + join(site, 'drill.html'));
    await look('drill, started');
    assert((await page.textContent('#drill-status')).includes('réponses à noter'), 'drill status');
    const items = await page.$$('.drill-item');
    await page.check('input[name="drill-0"][value="1"]');
    await page.check('input[name="drill-1"][value="4"]');
    await page.click('#drill-check');
    await look('drill, checked');
    const results = await page.$$eval('.drill-result', (r) => r.map((x) => x.textContent));
    assert(items.length === 4 && results.every((r) => r.startsWith('Note de référence : ')) && results[2].includes('Vous ne l\'avez pas notée'), 'drill results: ' + results);

    // Search and the hidden lines of a snippet.
    await page.goto('file://' + join(site, 'search.html') + '?q=NULL');
    await look('search');
    assert((await page.textContent('#search-status')).includes('trouvée(s)'), 'search status');
    await page.goto('file://' + join(site, 'questions/null-comparison.html'));
    await page.click('.toggle-hidden');
    await look('question, hidden lines shown');
    assert((await page.textContent('.toggle-hidden')) === 'Masquer les lignes masquées', 'toggle');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  assert(problems.length === 0, problems.slice(0, 20).join('\n'));
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
const axePages = ['index.html', bank.questions[0].url, 'levels/level-1.html', 'scorecard.html', 'sheets/level-1.html', 'sheets/anchors-level-1.html', 'search.html', 'guide.html', 'calibrate.html', 'drill.html', ...articlePages];
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
  }, { bypassCSP: true }); // axe is injected as an inline script, which the pages' policy (rightly) blocks
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
finish(notes, join(outDir, 'notes.txt'));
