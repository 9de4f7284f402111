// Content-Security-Policy, in Chromium: an escaping bug cannot run script.
// Usage: node csp.mjs PROBE_SITE HOSTILE_SITE
//   PROBE_SITE: a build of tests/fixtures/csp-probe (its theme injects an inline script and an
//               onerror handler into every heading: a stand-in for any escaping bug);
//   HOSTILE_SITE: a build of tests/fixtures/hostile (content that tries to break out).
// Both are loaded over http and from file://; the injected code must never run, the CSP must
// report the blocked attempts, and the pages' own scripts (search index, theme) must still work.
import { launch, serveDir } from './support.mjs';
import { readFileSync, existsSync, statSync } from 'node:fs';
import { join, resolve, extname } from 'node:path';
import { pathToFileURL } from 'node:url';

const [probe, hostile] = process.argv.slice(2).map((d) => resolve(d));
async function serve(dir) {
  const { server, base } = await serveDir(dir);
  return [server, base];
}

const browser = await launch();
let failed = 0, passed = 0;
async function check(name, url, { expectViolations }) {
  const page = await browser.newPage();
  const violations = [];
  const errors = [];
  page.on('console', (m) => { if (/Content Security Policy/i.test(m.text())) violations.push(m.text()); });
  page.on('pageerror', (e) => errors.push(String(e)));
  try {
    await page.goto(url);
    await page.waitForLoadState('load');
    // Give handlers (onerror, autofocus/onfocus) time to fire, and hover everything once.
    for (const el of await page.$$('a, h2, img, code')) { await el.hover({ timeout: 200 }).catch(() => {}); }
    await page.waitForTimeout(300);
    const pwned = await page.evaluate(() => window.__pwned);
    if (pwned !== undefined) throw new Error('injected code ran: ' + pwned);
    if (expectViolations && violations.length === 0) throw new Error('no CSP violation reported: was the payload blocked by the policy, or absent?');
    const own = await page.evaluate(() => Array.isArray(window.HANDBOOK_SEARCH) && document.documentElement.hasAttribute('data-theme') !== undefined);
    if (!own) throw new Error("the page's own scripts did not run (search index missing)");
    await page.click('.theme-toggle');
    const theme = await page.evaluate(() => document.documentElement.getAttribute('data-theme'));
    if (!theme) throw new Error('the theme toggle (handbook.js) did not run under the policy');
    if (errors.length) throw new Error('page errors: ' + errors.join('; '));
    passed++; console.log(`ok      ${name}`);
  } catch (e) {
    failed++; console.log(`FAILED  ${name}\n        ${String(e && e.message || e)}`);
  } finally {
    await page.close();
  }
}

const [s1, probeBase] = await serve(probe);
const [s2, hostileBase] = await serve(hostile);
// The probe's payload sits in headings: the question page has them.
const probePage = 'questions/first-question.html';
await check(`csp probe ${probePage} over http`, probeBase + probePage, { expectViolations: true });
await check(`csp probe ${probePage} from file://`, pathToFileURL(join(probe, probePage)).href, { expectViolations: true });
for (const page of ['index.html', 'questions/attack.html', 'scorecard.html', 'sheets/level-1.html', 'sheets/interview.html', 'levels/level-1.html']) {
  await check(`csp hostile ${page} over http`, hostileBase + page, { expectViolations: false });
  await check(`csp hostile ${page} from file://`, pathToFileURL(join(hostile, page)).href, { expectViolations: false });
}
// Control: the same probe page with its policy removed does run the payload, so the checks
// above can fail.
{
  const page = await browser.newPage();
  await page.route(probeBase + probePage, async (route) => {
    const res = await route.fetch();
    const body = (await res.text()).replace(/<meta http-equiv="Content-Security-Policy"[^>]*>/, '');
    await route.fulfill({ response: res, body });
  });
  await page.goto(probeBase + probePage);
  await page.waitForTimeout(300);
  const pwned = await page.evaluate(() => window.__pwned);
  if (pwned === undefined) { failed++; console.log('FAILED  csp control: without the policy the payload should run'); }
  else { passed++; console.log(`ok      csp control: without the policy the payload runs (${pwned})`); }
  await page.close();
}
await browser.close(); s1.close(); s2.close();
console.log(`${passed} passed, ${failed} failed`);
process.exit(failed ? 1 : 0);
