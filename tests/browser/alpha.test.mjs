// Unit tests of the calibration session's pure functions (themes/default/calibrate.js), run by
// node: Krippendorff's alpha (ordinal) against reference values from Python's `krippendorff`
// package 0.9.0, and the session analysis ("discuss first", who stopped where).
//
// The reference values were computed with (`pip install krippendorff`, Python 3.11):
//
//   python3 -c '
//   import krippendorff, numpy as np; nan = np.nan
//   d = [[1,2,3,3,nan,4],[1,2,3,4,2,4],[2,2,nan,4,2,3]]
//   print(krippendorff.alpha(reliability_data=np.array(d, dtype=float), level_of_measurement="ordinal"))'
//
// with `d` replaced by each data set below (rows are raters, columns questions, nan = not
// rated). Python raises "There has to be more than one value in the domain." when every rating
// is the same, and returns nan when the paired ratings are all the same; the page shows
// "not defined" for both.
//
// Usage: node alpha.test.mjs   (run.mjs also runs these first)
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { readFileSync } from 'node:fs';

const require = createRequire(import.meta.url);
const cal = require('../../themes/default/calibrate.js');
// The page gives the script its words (data-words); here they are the theme's English ones.
cal.setWords(scriptWords(readFileSync(new URL('../../themes/default/words.toml', import.meta.url), 'utf8')));
const nan = NaN;

// The words of a words.toml whose keys start with `prefix`: `key = "value"` lines, whose
// values are TOML basic strings (the escapes the theme uses, \" and \\, read the same in JSON).
export function tomlWords(toml, prefix = '') {
  const words = {};
  for (const line of toml.split('\n')) {
    const m = /^(\w+)\s*=\s*(".*")\s*$/.exec(line);
    if (m && m[1].startsWith(prefix)) words[m[1]] = JSON.parse(m[2]);
  }
  return words;
}
export function scriptWords(toml) { return tomlWords(toml, 'script_'); }

// Rows are raters; the functions take units (columns).
const units = (rows) => rows[0].map((_, i) => rows.map((r) => (Number.isNaN(r[i]) ? null : r[i])));

export const REFERENCE = [
  // /work/shared/calibration.md: 3 raters x 6 questions.
  { name: 'calibration.md', rows: [[1, 2, 3, 3, nan, 4], [1, 2, 3, 4, 2, 4], [2, 2, nan, 4, 2, 3]], alpha: 0.8557692307692307, text: '0.856' },
  // Krippendorff (2011), "Computing Krippendorff's alpha-reliability", the 4 coders x 12 units example.
  { name: 'krippendorff-2011', rows: [[1, 2, 3, 3, 2, 1, 4, 1, 2, nan, nan, nan], [1, 2, 3, 3, 2, 2, 4, 1, 2, 5, nan, 3], [nan, 3, 3, 3, 2, 3, 4, 2, 2, 5, 1, nan], [1, 2, 3, 3, 2, 4, 4, 1, 2, 5, 1, nan]], alpha: 0.8153875037548814, text: '0.815' },
  // Four interviewers, ten questions, ratings 1-4, missing ratings in every row.
  { name: 'four-raters-missing', rows: [[3, 4, 2, 1, nan, 3, 3, 2, 4, nan], [3, 3, 2, 2, 1, nan, 4, 2, 4, 3], [nan, 4, 1, 1, 1, 3, 3, nan, 4, 2], [2, 4, 2, nan, 2, 3, nan, 3, 3, 2]], alpha: 0.7392721347093971, text: '0.739' },
  // Two interviewers who systematically disagree.
  { name: 'disagree', rows: [[1, 2, 3, 4, 1, 2], [4, 3, 2, 1, 3, 4]], alpha: -0.711111111111111, text: '-0.711' },
  // The browser test's three interviews (run.mjs): levels 1-3 of four questions each.
  { name: 'browser overall', rows: browserRows(), alpha: 0.22946460379663092, text: '0.229' },
  { name: 'browser level 1', rows: browserRows().map((r) => r.slice(0, 4)), alpha: 0.07925925925925936, text: '0.079' },
  { name: 'browser level 2', rows: browserRows().map((r) => r.slice(4, 8)), alpha: 0.125, text: '0.125' },
  { name: 'browser level 3', rows: browserRows().map((r) => r.slice(8, 12)), alpha: 0.41267123287671237, text: '0.413' },
];

// The ratings run.mjs clicks for interviewers A, B and C on the first four questions of
// levels 1, 2 and 3 (null: the level is locked, past that interviewer's stop).
export function browserRatings() {
  return {
    A: [[3, 3, 4, 3], [3, 2, 3, 3], [3, 1, 1, 3]],
    B: [[3, 4, 4, 3], [3, 3, 3, 4], [4, 3, 2, 3]],
    C: [[2, 2, 3, 3], null, null],
  };
}
function browserRows() {
  const r = browserRatings();
  return ['A', 'B', 'C'].map((k) => r[k].flatMap((l) => l || [nan, nan, nan, nan]));
}

export function runAlphaTests() {
  const failures = [];
  const check = (cond, msg) => { if (!cond) failures.push(msg); };
  for (const ref of REFERENCE) {
    const a = cal.alphaOrdinal(units(ref.rows));
    check(a !== null && Math.abs(a - ref.alpha) < 1e-9, `${ref.name}: alpha ${a}, Python ${ref.alpha}`);
    const shown = cal.agreement(units(ref.rows));
    check(shown.text === ref.text, `${ref.name}: shown as ${shown.text}, expected ${ref.text}`);
  }
  // Not defined: every rating the same (Python raises), or every paired rating the same (nan).
  check(cal.alphaOrdinal(units([[3, 3, 3], [3, 3, 3]])) === null, 'all the same: alpha must be undefined');
  check(cal.agreement(units([[3, 3, 3], [3, 3, 3]])).text === 'not defined', 'all the same: "not defined"');
  check(cal.agreement(units([[3, 3, nan], [3, 3, 4]])).text === 'not defined', 'paired all the same: "not defined"');
  // Not enough: fewer than two questions rated by at least two interviewers.
  const one = cal.agreement(units([[1, nan, 2], [3, 2, nan]]));
  check(one.text === 'not enough ratings' && one.pairable === 1, `one pairable question: ${JSON.stringify(one)}`);
  check(cal.agreement([]).text === 'not enough ratings', 'no ratings: "not enough ratings"');
  // Ordinal, not interval: the same data gives Python's interval 0.821429 only with the other metric.
  check(Math.abs(cal.alphaOrdinal(units(REFERENCE[0].rows)) - 0.8214285714285714) > 0.01, 'the metric is ordinal, not interval');

  // The session analysis on two small scorecards.
  const data = {
    book: 'B', ratings: [1, 2, 3, 4].map((value) => ({ value, label: 'l' + value })),
    levels: [{ number: 1, title: 'One', red_flag: 'x' }],
    questions: ['a', 'b', 'c', 'd'].map((id, i) => ({ id, level: 1, order: i + 1, question: id.toUpperCase() + '?', signals: ['s'], red_flags: ['f'] })),
  };
  const card = (who, ratings, flags) => ({
    format: 'handbook-scorecard/1', book: 'B', interviewer: who, candidate: 'C-1', date: '',
    result: { level_reached: 0, stopped_at: 1, reason: 'r ' + who },
    levels: [{ number: 1, scored: true, red_flag: { text: 'x', seen: false }, questions: data.questions.map((q, i) => ({
      id: q.id, level: 1, order: i + 1, scored: true, rating: ratings[i],
      signals: [{ text: 's', checked: true }], red_flags: [{ text: 'f', checked: flags.includes(q.id) }], notes: '' })) }],
  });
  const s = cal.analyse(data, [
    { file: 'x.json', rep: card('X', [1, 3, 2, 3], ['a']) },
    { file: 'y.json', rep: card('Y', [3, 3, 1, null], ['c']) },
  ]);
  const discuss = s.questions.filter((q) => q.discuss.length).map((q) => q.q.id);
  check(JSON.stringify(discuss) === '["a","c"]', `discuss first: ${discuss} (a differs by 2 and one flag; c: flag seen by one only)`);
  check(s.overall.pairable === 3, `pairable: ${s.overall.pairable}`);
  check(cal.problemWith('z.json', { format: 'handbook-questions/1' }, 'B').startsWith('z.json: not a handbook scorecard'), 'another format names the file');
  check(cal.problemWith('w.json', card('W', [], []), 'Other book').startsWith('w.json: a scorecard of the book "B"'), 'another book names the file');
  check(cal.problemWith('v.json', [1, 2], 'B').startsWith('v.json: not a scorecard'), 'not an object names the file');
  return failures;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const failures = runAlphaTests();
  for (const f of failures) console.log('FAILED  ' + f);
  console.log(failures.length ? `${failures.length} failed` : `ok      alpha: ${REFERENCE.length} reference values from Python's krippendorff, and the session analysis`);
  process.exit(failures.length ? 1 : 0);
}
