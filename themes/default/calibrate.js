// The calibration session: compares 2 to 10 exported scorecards (`handbook-scorecard/1`, see
// docs/scorecard-json.md) in the browser. Files are read with FileReader, so the page works
// from file:// and nothing leaves the machine.
//
// Agreement is Krippendorff's alpha with the ordinal metric (Krippendorff, Content Analysis,
// 2004; the coincidence-matrix form): questions are the units, interviewers the raters, the
// ratings of scored levels the values. The pure functions below are also loaded by node in
// tests/browser/alpha.test.mjs, which pins them to Python's `krippendorff` package.
//
// Every message is a word of the book's language: the page's `data-words` (words.toml,
// `script_*` keys); node's tests set them with `setWords`.
(function (root) {
  'use strict';

  var words = {};
  function setWords(w) { words = w || {}; }
  // A word with each `{name}` filled in one pass (braces in a filled-in value stay as they
  // are); a missing word shows its key.
  function word(key, values) {
    var w = typeof words[key] === 'string' ? words[key] : key;
    return w.replace(/\{(\w+)\}/g, function (m, name) { return values && Object.prototype.hasOwnProperty.call(values, name) ? String(values[name]) : m; });
  }

  var FORMAT = 'handbook-scorecard/1';
  var MIN_FILES = 2, MAX_FILES = 10;
  // Alpha over a single question says nothing: it needs at least this many questions that
  // two or more interviewers rated.
  var MIN_UNITS = 2;

  // Krippendorff's alpha, ordinal metric. `units`: one array per unit (question) holding each
  // rater's value, with null/undefined/NaN for "not rated". Returns null when alpha is not
  // defined (no pairable values, or no expected disagreement: every value the same).
  function alphaOrdinal(units) {
    var pairable = units.map(function (u) {
      return u.filter(function (v) { return typeof v === 'number' && !isNaN(v); });
    }).filter(function (u) { return u.length >= 2; });
    if (!pairable.length) return null;
    var values = [];
    pairable.forEach(function (u) { u.forEach(function (v) { if (values.indexOf(v) < 0) values.push(v); }); });
    values.sort(function (a, b) { return a - b; });
    var index = {};
    values.forEach(function (v, i) { index[v] = i; });
    var size = values.length;
    // The coincidence matrix: each ordered pair of values from different raters of a unit
    // adds 1 / (m_u - 1).
    var o = [];
    for (var i = 0; i < size; i++) { o.push([]); for (var j = 0; j < size; j++) o[i].push(0); }
    pairable.forEach(function (u) {
      var w = 1 / (u.length - 1);
      for (var a = 0; a < u.length; a++) {
        for (var b = 0; b < u.length; b++) {
          if (a !== b) o[index[u[a]]][index[u[b]]] += w;
        }
      }
    });
    var nc = o.map(function (row) { return row.reduce(function (s, x) { return s + x; }, 0); });
    var n = nc.reduce(function (s, x) { return s + x; }, 0);
    // Ordinal distance: (sum of n_g for g from c to k, minus (n_c + n_k) / 2) squared.
    function delta(c, k) {
      if (c === k) return 0;
      var lo = Math.min(c, k), hi = Math.max(c, k), s = 0;
      for (var g = lo; g <= hi; g++) s += nc[g];
      s -= (nc[lo] + nc[hi]) / 2;
      return s * s;
    }
    var observed = 0, expected = 0;
    for (var c = 0; c < size; c++) {
      for (var k = 0; k < size; k++) {
        var d = delta(c, k);
        observed += o[c][k] * d;
        expected += nc[c] * nc[k] * d;
      }
    }
    expected /= (n - 1);
    if (!(expected > 0)) return null;
    return 1 - observed / expected;
  }

  // Alpha as the page shows it: the figure rounded to 3 decimals, or why there is none.
  function agreement(units) {
    var pairable = units.filter(function (u) {
      return u.filter(function (v) { return typeof v === 'number' && !isNaN(v); }).length >= 2;
    }).length;
    if (pairable < MIN_UNITS) return { alpha: null, pairable: pairable, text: word('script_calibrate_not_enough') };
    var a = alphaOrdinal(units);
    if (a === null) return { alpha: null, pairable: pairable, text: word('script_calibrate_not_defined') };
    var text = a.toFixed(3);
    if (text === '-0.000') text = '0.000';
    return { alpha: a, pairable: pairable, text: text };
  }

  // Checks one parsed file; returns an error message naming the file, or null.
  function problemWith(name, rep, book) {
    if (!rep || typeof rep !== 'object' || Array.isArray(rep)) return word('script_calibrate_not_object', { file: name });
    if (rep.format !== FORMAT) {
      return rep.format
        ? word('script_calibrate_wrong_format', { file: name, format: FORMAT, found: String(rep.format) })
        : word('script_calibrate_no_format', { file: name, format: FORMAT });
    }
    if (rep.book !== book) return word('script_calibrate_other_book', { file: name, other: String(rep.book), book: book });
    if (!Array.isArray(rep.levels) || !rep.result) return word('script_calibrate_incomplete', { file: name });
    return null;
  }

  // Everything the page shows, from the book's data and the loaded scorecards
  // ([{ file, rep }], already checked).
  function analyse(data, loaded) {
    var notes = [];
    var scale = data.ratings.map(function (r) { return r.value; });
    var known = {};
    data.questions.forEach(function (q) { known[q.id] = q; });
    var names = loaded.map(function (x) { return x.rep.interviewer || x.file; });
    var raters = loaded.map(function (x, i) {
      var dup = names.filter(function (n) { return n === names[i]; }).length > 1;
      var answers = {};
      var unknown = [];
      x.rep.levels.forEach(function (l) {
        (l.questions || []).forEach(function (q) {
          if (!known[q.id]) { unknown.push(q.id); return; }
          var scored = q.scored !== false && l.scored !== false;
          var rating = scale.indexOf(q.rating) >= 0 ? q.rating : null;
          var checked = function (list) {
            return (list || []).filter(function (s) { return s && s.checked; }).map(function (s) { return String(s.text); });
          };
          answers[q.id] = {
            scored: scored, rating: scored ? rating : null, noted: scored ? null : rating,
            signals: checked(q.signals), flags: checked(q.red_flags),
            connected: !!q.connected, notes: String(q.notes || '')
          };
        });
      });
      if (unknown.length) notes.push(word('script_calibrate_unknown_questions', { file: x.file, n: unknown.length, ids: unknown.join(', ') }));
      var levelFlags = x.rep.levels.filter(function (l) { return l.red_flag && l.red_flag.seen; }).map(function (l) { return l.number; });
      return {
        name: dup ? names[i] + ' (' + x.file + ')' : names[i], file: x.file,
        candidate: String(x.rep.candidate || ''), date: String(x.rep.date || ''),
        reached: Number(x.rep.result.level_reached) || 0, reason: String(x.rep.result.reason || ''),
        levelFlags: levelFlags, answers: answers
      };
    });
    var candidates = raters.map(function (r) { return r.candidate; }).filter(function (c, i, all) { return all.indexOf(c) === i; });
    if (candidates.length > 1) {
      var listed = candidates.map(function (c) { return c || word('script_calibrate_no_candidate'); }).join(', ');
      notes.push(word('script_calibrate_different_candidates', { candidates: listed }));
    }

    var questions = data.questions.map(function (q) {
      var per = raters.map(function (r) { return r.answers[q.id] || null; });
      var ratings = per.map(function (a) { return a ? a.rating : null; });
      var rated = ratings.filter(function (v) { return v !== null; });
      // Who asked the question: a scored level, and a rating or a red flag ticked.
      var heard = per.filter(function (a) { return a && a.scored && (a.rating !== null || a.flags.length); });
      var spread = rated.length >= 2 ? Math.max.apply(null, rated) - Math.min.apply(null, rated) : 0;
      var flagged = heard.filter(function (a) { return a.flags.length; }).length;
      var why = [];
      if (spread >= 2) why.push(word('script_calibrate_ratings_differ', { ratings: rated.join(', '), spread: spread }));
      if (flagged && flagged < heard.length) why.push(word('script_calibrate_flag_split', { n: flagged, total: heard.length }));
      return { q: q, per: per, ratings: ratings, discuss: why };
    });
    var overall = agreement(questions.map(function (x) { return x.ratings; }));
    var levels = data.levels.map(function (l) {
      var units = questions.filter(function (x) { return x.q.level === l.number; }).map(function (x) { return x.ratings; });
      return { number: l.number, title: l.title, agreement: agreement(units) };
    });
    return { raters: raters, questions: questions, overall: overall, levels: levels, notes: notes };
  }

  function markdown(data, s) {
    var cell = function (t) { return String(t).replace(/\|/g, '\\|').replace(/\n/g, ' '); };
    var row = function (cells) { return '| ' + cells.map(cell).join(' | ') + ' |'; };
    var w = function (key) { return word('script_calibrate_' + key); };
    var out = ['# ' + word('script_calibrate_md_title', { book: data.book }), ''];
    out.push('## ' + w('md_interviewers'), '', row([w('interviewer'), w('file'), w('candidate'), w('date'), w('level_reached'), w('reason')]), '|---|---|---|---|---|---|');
    s.raters.forEach(function (r) { out.push(row([r.name, r.file, r.candidate || '-', r.date || '-', r.reached, r.reason])); });
    out.push('', '## ' + w('md_agreement'), '', row([w('md_questions'), w('md_alpha'), w('md_rated_by_two')]), '|---|---|---|');
    out.push(row([w('all_levels'), s.overall.text, s.overall.pairable]));
    s.levels.forEach(function (l) { out.push(row([word('script_calibrate_level_title', { n: l.number, title: l.title }), l.agreement.text, l.agreement.pairable])); });
    out.push('', '## ' + w('discuss_first'), '');
    var discuss = s.questions.filter(function (x) { return x.discuss.length; });
    if (!discuss.length) out.push(w('md_none'));
    discuss.forEach(function (x) { out.push('- ' + x.q.level + '.' + x.q.order + ' ' + x.q.question + ': ' + x.discuss.join('; ')); });
    if (s.notes.length) { out.push('', '## ' + w('notes'), ''); s.notes.forEach(function (n) { out.push('- ' + n); }); }
    out.push('', '## ' + w('md_every_question'), '');
    s.questions.forEach(function (x) {
      out.push('### ' + x.q.level + '.' + x.q.order + ' ' + x.q.question, '', row([w('interviewer'), w('rating'), w('md_signals'), w('md_red_flags'), w('notes')]), '|---|---|---|---|---|');
      s.raters.forEach(function (r, i) {
        var a = x.per[i];
        var rating = !a ? w('not_in_file') : a.rating !== null ? a.rating : a.noted !== null ? word('script_calibrate_md_noted', { rating: a.noted }) : '-';
        out.push('| ' + [r.name, rating, a ? a.signals.join('; ') || '-' : '-', a ? a.flags.join('; ') || '-' : '-', a ? a.notes || '-' : '-'].map(cell).join(' | ') + ' |');
      });
      out.push('');
    });
    return out.join('\n');
  }

  var api = { alphaOrdinal: alphaOrdinal, agreement: agreement, problemWith: problemWith, analyse: analyse, markdown: markdown, setWords: setWords, FORMAT: FORMAT, MIN_UNITS: MIN_UNITS };
  if (typeof module === 'object' && module.exports) { module.exports = api; return; }
  root.handbookCalibrate = api;

  // The page.
  var input = document.getElementById('calibrate-files');
  if (!input) return;
  var data = JSON.parse(document.getElementById('scorecard-data').textContent);
  try { setWords(JSON.parse(document.body.getAttribute('data-words') || '{}')); } catch (e) { setWords({}); }
  var session = null;

  function el(tag, cls, text) {
    var e = document.createElement(tag);
    if (cls) e.className = cls;
    if (text !== undefined) e.textContent = text;
    return e;
  }
  function readFile(file) {
    return new Promise(function (resolve) {
      var reader = new FileReader();
      reader.onload = function () { resolve({ file: file.name, text: String(reader.result) }); };
      reader.onerror = function () { resolve({ file: file.name, error: true }); };
      reader.readAsText(file);
    });
  }
  function showMessages(list) {
    var box = document.getElementById('calibrate-messages');
    box.textContent = '';
    list.forEach(function (m) { box.appendChild(el('p', null, m)); });
  }

  input.addEventListener('change', function () {
    var files = Array.prototype.slice.call(input.files || []);
    session = null;
    document.getElementById('calibrate-results').hidden = true;
    if (files.length > MAX_FILES) {
      showMessages([word('script_calibrate_too_many', { n: files.length, max: MAX_FILES })]);
      return;
    }
    Promise.all(files.map(readFile)).then(function (read) {
      var problems = [], loaded = [];
      read.forEach(function (r) {
        if (r.error) { problems.push(word('script_calibrate_unreadable', { file: r.file })); return; }
        var rep;
        try { rep = JSON.parse(r.text); } catch (e) { problems.push(word('script_calibrate_not_json', { file: r.file, error: e.message })); return; }
        var p = problemWith(r.file, rep, data.book);
        if (p) problems.push(p); else loaded.push({ file: r.file, rep: rep });
      });
      if (loaded.length < MIN_FILES) {
        problems.push(word('script_calibrate_too_few', { min: MIN_FILES, n: loaded.length }));
        showMessages(problems);
        return;
      }
      session = analyse(data, loaded);
      showMessages(problems.concat(session.notes));
      show(session);
    });
  });

  function show(s) {
    var discussList = document.getElementById('calibrate-discuss');
    discussList.textContent = '';
    var discuss = s.questions.filter(function (x) { return x.discuss.length; });
    discuss.forEach(function (x) {
      var li = el('li');
      li.setAttribute('data-question', x.q.id);
      var a = el('a', null, x.q.level + '.' + x.q.order + ' ' + x.q.question);
      a.href = '#cal-q-' + x.q.id;
      li.appendChild(a);
      li.appendChild(document.createTextNode(': ' + x.discuss.join('; ') + '.'));
      discussList.appendChild(li);
    });
    document.getElementById('calibrate-discuss-none').hidden = discuss.length > 0;

    var body = document.getElementById('calibrate-interviewers');
    body.textContent = '';
    s.raters.forEach(function (r, i) {
      var tr = el('tr');
      tr.setAttribute('data-rater', String(i));
      var th = el('th', null, r.name);
      th.scope = 'row';
      tr.appendChild(th);
      [r.file, r.candidate || '–', r.date || '–'].forEach(function (t) { tr.appendChild(el('td', null, t)); });
      tr.appendChild(el('td', 'cal-reached', String(r.reached)));
      tr.appendChild(el('td', 'cal-reason', r.reason));
      body.appendChild(tr);
    });

    document.getElementById('calibrate-alpha').textContent = s.overall.text;
    document.getElementById('calibrate-units').textContent = String(s.overall.pairable);
    s.levels.forEach(function (l) {
      document.getElementById('calibrate-alpha-level-' + l.number).textContent = l.agreement.text;
      document.getElementById('calibrate-units-level-' + l.number).textContent = String(l.agreement.pairable);
    });

    var box = document.getElementById('calibrate-questions');
    box.textContent = '';
    data.levels.forEach(function (l) {
      box.appendChild(el('h3', null, word('script_calibrate_level_title', { n: l.number, title: l.title })));
      s.questions.filter(function (x) { return x.q.level === l.number; }).forEach(function (x) {
        var section = el('section', 'cal-question' + (x.discuss.length ? ' is-discuss' : ''));
        section.id = 'cal-q-' + x.q.id;
        section.appendChild(el('h4', null, x.q.level + '.' + x.q.order + ' ' + x.q.question));
        if (x.discuss.length) section.appendChild(el('p', 'cal-why', word('script_calibrate_discuss_why', { why: x.discuss.join('; ') })));
        var table = el('table', 'cal-side');
        var head = el('thead');
        var hr = el('tr');
        ['interviewer', 'rating', 'signals_heard', 'red_flags_seen', 'notes'].forEach(function (key) { var c = el('th', null, word('script_calibrate_' + key)); c.scope = 'col'; hr.appendChild(c); });
        head.appendChild(hr);
        table.appendChild(head);
        var tb = el('tbody');
        s.raters.forEach(function (r, i) {
          var a = x.per[i];
          var tr = el('tr');
          var th = el('th', null, r.name);
          th.scope = 'row';
          tr.appendChild(th);
          var rating = !a ? word('script_calibrate_not_in_file') : a.rating !== null ? String(a.rating) : a.noted !== null ? word('script_calibrate_noted', { rating: a.noted }) : '–';
          tr.appendChild(el('td', 'cal-rating', rating));
          [a ? a.signals : [], a ? a.flags : []].forEach(function (list) {
            var td = el('td');
            if (list.length) { var ul = el('ul'); list.forEach(function (t) { ul.appendChild(el('li', null, t)); }); td.appendChild(ul); } else td.textContent = '–';
            tr.appendChild(td);
          });
          tr.appendChild(el('td', null, a && a.notes ? a.notes : '–'));
          tb.appendChild(tr);
        });
        table.appendChild(tb);
        section.appendChild(table);
        box.appendChild(section);
      });
    });
    document.getElementById('calibrate-results').hidden = false;
  }

  document.getElementById('calibrate-export-md').addEventListener('click', function () {
    if (!session) return;
    var a = document.createElement('a');
    a.href = URL.createObjectURL(new Blob([markdown(data, session)], { type: 'text/markdown' }));
    a.download = word('script_calibrate_md_file').replace(/[^A-Za-z0-9_-]+/g, '-') + '.md';
    document.body.appendChild(a);
    a.click();
    setTimeout(function () { URL.revokeObjectURL(a.href); a.remove(); }, 1000);
  });
})(this);
