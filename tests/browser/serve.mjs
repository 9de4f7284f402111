// `handbook serve` in Chromium, under the pages' Content-Security-Policy: an edit reloads the
// open page, a broken edit shows the error banner (styled), fixing it clears the banner, and the
// policy reports no violation (serve's script and stylesheet are files, not inline); a false
// snippet saved in an answer turns its mark to a failure in the open page, and back to a pass.
// Usage: node serve.mjs HANDBOOK_BINARY BOOK_DIR   (BOOK_DIR is edited and restored)
import { launch } from './support.mjs';
import { spawn } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { createInterface } from 'node:readline';

const [bin, book] = process.argv.slice(2).map((p) => resolve(p));
const server = spawn(bin, ['serve', book, '--port', '0'], { stdio: ['ignore', 'ignore', 'pipe'] });
const base = await new Promise((ok, fail) => {
  const lines = createInterface({ input: server.stderr });
  lines.on('line', (line) => { const m = line.match(/(http:\/\/127\.0\.0\.1:\d+\/)/); if (m) ok(m[1]); });
  server.on('exit', () => fail(new Error('serve exited')));
});
const browser = await launch();
const guide = join(book, 'content/guide.md');
const original = readFileSync(guide, 'utf8');
let failed = 0, passed = 0;
async function step(name, fn) {
  try { await fn(); passed++; console.log(`ok      ${name}`); }
  catch (e) { failed++; console.log(`FAILED  ${name}\n        ${String(e && e.message || e)}`); }
}
try {
  const page = await browser.newPage();
  const violations = [], errors = [];
  page.on('console', (m) => { if (/Content Security Policy/i.test(m.text())) violations.push(m.text()); });
  page.on('pageerror', (e) => errors.push(String(e)));
  await page.goto(base + 'guide.html');
  await page.waitForTimeout(500); // the reload script's first poll is under way

  await step('an edit reloads the open page', async () => {
    writeFileSync(guide, original + '\nEdited in the browser test.\n');
    await page.waitForFunction(() => document.body.innerText.includes('Edited in the browser test.'), null, { timeout: 10000 });
  });
  await step('a broken edit shows the error banner, styled by serve.css', async () => {
    writeFileSync(guide, '---\ntitle: [\n---\n');
    const banner = await page.waitForSelector('.handbook-serve-error', { timeout: 10000 });
    const text = await banner.innerText();
    if (!text.includes('The last rebuild failed') || !text.includes('guide.md')) throw new Error('banner text: ' + text);
    const position = await banner.evaluate((el) => getComputedStyle(el).position);
    if (position !== 'fixed') throw new Error('serve.css not applied (position ' + position + ')');
  });
  await step('fixing it clears the banner', async () => {
    writeFileSync(guide, original);
    await page.waitForSelector('.handbook-serve-error', { state: 'detached', timeout: 10000 });
  });
  await step("a saved answer's snippets run again and the open page's mark follows", async () => {
    const file = join(book, 'content/questions/first-question.md');
    const answer = readFileSync(file, 'utf8');
    await page.goto(base + 'questions/first-question.html');
    await page.waitForTimeout(500);
    try {
      writeFileSync(file, answer.replace('assert_eq!(x, 42);', 'assert_eq!(x, 43);'));
      await page.waitForSelector('.snippet-mark[data-verified="fail"]', { timeout: 120000 });
      writeFileSync(file, answer);
      await page.waitForSelector('.snippet-mark[data-verified="fail"]', { state: 'detached', timeout: 120000 });
    } finally {
      writeFileSync(file, answer);
    }
  });
  await step('no Content-Security-Policy violation, no page error', async () => {
    if (violations.length) throw new Error(violations.join('; '));
    if (errors.length) throw new Error(errors.join('; '));
  });
} finally {
  writeFileSync(guide, original);
  await browser.close();
  server.kill();
}
console.log(`${passed} passed, ${failed} failed`);
process.exit(failed ? 1 : 0);
