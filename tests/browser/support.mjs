// What the browser tests share: a static server for a built site on loopback, and Debian's
// Chromium launched the way this machine allows (no background networking, fresh profile).
import { chromium } from 'playwright-core';
import { createServer } from 'node:http';
import { readFileSync, existsSync, statSync, writeFileSync } from 'node:fs';
import { join, extname } from 'node:path';

const types = { '.html': 'text/html; charset=utf-8', '.css': 'text/css', '.js': 'text/javascript', '.json': 'application/json' };

// Serves `dir` on 127.0.0.1 (a free port); resolves to { server, base } with base ending in '/'.
export async function serveDir(dir) {
  const server = createServer((req, res) => {
    const path = decodeURIComponent(new URL(req.url, 'http://x').pathname);
    const file = join(dir, path.endsWith('/') ? path + 'index.html' : path);
    if (!file.startsWith(dir) || !existsSync(file) || !statSync(file).isFile()) { res.writeHead(404); res.end('not found'); return; }
    res.writeHead(200, { 'Content-Type': types[extname(file)] || 'application/octet-stream' });
    res.end(readFileSync(file));
  });
  await new Promise((ok) => server.listen(0, '127.0.0.1', ok));
  return { server, base: `http://127.0.0.1:${server.address().port}/` };
}

export function launch() {
  return chromium.launch({
    executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking',
      '--disable-component-update', '--disable-sync', '--disable-quic'],
  });
}

export function assert(cond, msg) { if (!cond) throw new Error(msg); }

// The test harness: each test gets a fresh context and page; a page error, a report from the
// pages' Content-Security-Policy (it must not have to block anything the book ships) or a
// request that leaves `base` (other than to the schemes in `allow`) fails it. Prints one line
// per test; `finish` prints the notes and "N passed, N failed" and exits 1 on a failure.
export function suite(browser, base, { allow = ['file:', 'data:'], context: defaults = {} } = {}) {
  const results = [];
  async function test(name, fn, contextOptions = {}) {
    const context = await browser.newContext({ ...defaults, ...contextOptions });
    const page = await context.newPage();
    const errors = [];
    page.on('pageerror', (e) => errors.push(String(e)));
    page.on('console', (m) => { if (/Content Security Policy/i.test(m.text())) errors.push('CSP: ' + m.text()); });
    // No network: any request leaving loopback is a failure.
    await page.route('**/*', (route) => {
      const u = route.request().url();
      if (u.startsWith(base) || allow.some((s) => u.startsWith(s))) return route.continue();
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
  function finish(notes, notesFile) {
    writeFileSync(notesFile, notes.join('\n') + '\n');
    for (const n of notes) console.log('note: ' + n);
    const passed = results.filter((r) => r[1]).length;
    const failed = results.length - passed;
    console.log(`${passed} passed, ${failed} failed`);
    process.exit(failed ? 1 : 0);
  }
  return { test, finish };
}
