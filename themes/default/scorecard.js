// The interview scorecard: the guide's severity model as code.
// - A question's red flag rates that question 1.
// - The level's red flag ends the climb at once: the level is not passed.
// - A level is passed when its red flag was not seen, every question of the level is rated, no
//   rating is 1 and at most one rating is 2. The next level opens only then.
// - The level reached is the last level passed in order; later levels are notes, not scores.
// The scale (values and labels) comes from the page's data, which the build takes from the
// guide's front matter; the words from the page's `data-words`. State lives in sessionStorage
// only. No network requests.
(function () {
  'use strict';
  var form = document.getElementById('scorecard');
  if (!form) return;
  var data = JSON.parse(document.getElementById('scorecard-data').textContent);
  // The interface words of the book's language: the page's `data-words` (words.toml,
  // `script_*` keys). A missing word shows its key; `{name}` is filled in one pass, so braces in
  // a filled-in value (a question, a note) stay as they are.
  var words = {};
  try { words = JSON.parse(document.body.getAttribute('data-words') || '{}'); } catch (e) { words = {}; }
  function word(key, values) {
    var w = typeof words[key] === 'string' ? words[key] : key;
    return w.replace(/\{(\w+)\}/g, function (m, name) { return values && Object.prototype.hasOwnProperty.call(values, name) ? String(values[name]) : m; });
  }
  var storageKey = 'handbook-scorecard:' + data.book;
  var state = {};
  try { state = JSON.parse(sessionStorage.getItem(storageKey) || '{}') || {}; } catch (e) { state = {}; }
  var lowest = data.ratings[0].value;
  var labels = {};
  data.ratings.forEach(function (r) { labels[r.value] = r.label; });

  var inputs = Array.prototype.slice.call(form.querySelectorAll('[data-key]'));
  var byLevel = {};
  data.levels.forEach(function (l) { byLevel[l.number] = []; });
  data.questions.forEach(function (q) { byLevel[q.level].push(q); });

  function save() {
    try { sessionStorage.setItem(storageKey, JSON.stringify(state)); } catch (e) { /* storage may be full or disabled */ }
  }
  function read(el) {
    var key = el.getAttribute('data-key');
    if (el.type === 'checkbox') { if (el.checked) state[key] = true; else delete state[key]; }
    else if (el.type === 'radio') { if (el.checked) state[key] = el.value; }
    else if (el.value) state[key] = el.value; else delete state[key];
  }
  function apply() {
    inputs.forEach(function (el) {
      var v = state[el.getAttribute('data-key')];
      if (el.type === 'checkbox') el.checked = !!v;
      else if (el.type === 'radio') el.checked = v === el.value;
      else el.value = v || '';
    });
  }

  function flagsOfQuestion(q) {
    return q.red_flags.filter(function (f, i) { return state['q:' + q.id + ':flag:' + i]; });
  }
  function ratingOf(q) {
    var v = state['q:' + q.id + ':rating'];
    return v ? Number(v) : null;
  }
  function label(q) { return q.level + '.' + q.order; }
  function hasMarks(n) {
    if (Object.keys(state).some(function (k) { return k.indexOf('level:' + n + ':') === 0; })) return true;
    return byLevel[n].some(function (q) {
      return Object.keys(state).some(function (k) { return k.indexOf('q:' + q.id + ':') === 0; });
    });
  }

  // One level under the severity model: 'passed', 'failed' (decided: the level red flag, a 1,
  // or more than one 2), or 'open' (not decided yet), with the reason in words.
  function judge(n) {
    var level = data.levels[n - 1];
    var qs = byLevel[n];
    if (state['level:' + n + ':flag']) {
      return { status: 'failed', reason: word('script_scorecard_level_flag_seen', { red_flag: level.red_flag }) };
    }
    var ones = [], twos = [], unrated = [];
    qs.forEach(function (q) {
      var r = ratingOf(q);
      if (r === null) unrated.push(q);
      else if (r === lowest) ones.push(q);
      else if (r === lowest + 1) twos.push(q);
    });
    var why = [];
    if (ones.length) {
      why.push(ones.map(function (q) {
        var flags = flagsOfQuestion(q);
        return flags.length
          ? word('script_scorecard_question_rated_flag', { question: label(q), rating: lowest, flags: flags.join('; ') })
          : word('script_scorecard_question_rated', { question: label(q), rating: lowest });
      }).join(', '));
    }
    if (twos.length > 1) {
      why.push(word('script_scorecard_too_many', { n: twos.length, rating: lowest + 1, questions: twos.map(label).join(', ') }));
    }
    if (why.length) return { status: 'failed', reason: why.join('; ') };
    if (unrated.length) {
      return { status: 'open', reason: word('script_scorecard_rated_of', { n: qs.length - unrated.length, total: qs.length }) };
    }
    return { status: 'passed', reason: word(twos.length ? 'script_scorecard_all_rated_one' : 'script_scorecard_all_rated_none', { lowest: lowest, second: lowest + 1 }) };
  }

  // The climb: levels in order, up to the first one not passed.
  function result() {
    var reached = 0, stop = null, levels = [];
    for (var n = 1; n <= data.levels.length; n++) {
      var j = judge(n);
      levels.push(j);
      if (stop) continue;
      if (j.status === 'passed') reached = n;
      else stop = { level: n, status: j.status, reason: j.reason };
    }
    var reason;
    if (!stop) reason = word('script_scorecard_all_passed', { n: data.levels.length });
    else if (stop.level === 1 && stop.status === 'open' && !hasMarks(1)) reason = word('script_scorecard_not_started');
    else if (stop.status === 'open') reason = word('script_scorecard_stopped_open', { n: stop.level, reason: stop.reason });
    else reason = word('script_scorecard_stopped_failed', { n: stop.level, reason: stop.reason });
    return { reached: reached, stop: stop, levels: levels, reason: reason };
  }

  function render() {
    var r = result();
    var open = r.stop ? r.stop.level : data.levels.length;
    data.levels.forEach(function (level, i) {
      var n = i + 1;
      var section = document.getElementById('sc-level-' + n);
      var locked = n > open;
      section.classList.toggle('is-locked', locked);
      var lock = section.querySelector('.sc-lock'); // level 1 has none: it is never locked
      if (lock) lock.hidden = !(locked && !hasMarks(n));
      section.querySelector('.sc-past').hidden = !(locked && hasMarks(n));
      section.querySelector('.sc-level-fields').disabled = locked;
      var j = r.levels[i];
      var status = document.getElementById('sc-level-' + n + '-status');
      status.className = 'sc-status is-' + (locked ? 'locked' : j.status);
      if (locked) status.textContent = word('script_scorecard_level_locked', { n: n, stop: open });
      else if (j.status === 'passed') status.textContent = word('script_scorecard_level_passed', { n: n, reason: j.reason });
      else if (j.status === 'failed') status.textContent = word('script_scorecard_level_failed', { n: n, reason: j.reason });
      else if (hasMarks(n)) status.textContent = word('script_scorecard_level_in_progress', { n: n, reason: j.reason });
      else status.textContent = word('script_scorecard_level_not_scored_yet', { n: n });
    });
    // A question with a red flag is rated 1: the other ratings are not available.
    data.questions.forEach(function (q) {
      var forced = flagsOfQuestion(q).length > 0;
      var box = form.querySelector('[data-question="' + q.id + '"]');
      box.querySelectorAll('[data-key="q:' + q.id + ':rating"]').forEach(function (el) {
        el.disabled = forced && Number(el.value) !== lowest;
      });
      box.querySelector('.sc-forced').hidden = !forced;
    });
    document.getElementById('sc-level-reached').textContent = word('script_scorecard_level_reached', { n: r.reached });
    document.getElementById('sc-reason').textContent = r.reason;
  }

  function edited(ev) {
    if (!ev.target.hasAttribute || !ev.target.hasAttribute('data-key')) return;
    read(ev.target);
    data.questions.forEach(function (q) {
      if (flagsOfQuestion(q).length) state['q:' + q.id + ':rating'] = String(lowest);
    });
    apply();
    save();
    render();
  }
  form.addEventListener('input', edited);
  form.addEventListener('change', edited);

  // The `handbook-scorecard/1` export (docs/scorecard-json.md).
  function report() {
    var r = result();
    var lastScored = r.stop ? r.stop.level : data.levels.length;
    var levels = data.levels.map(function (level, i) {
      var n = i + 1;
      var scored = n <= lastScored;
      return {
        number: n, title: level.title, scored: scored,
        status: scored ? r.levels[i].status : 'not scored',
        passed: scored && r.levels[i].status === 'passed',
        red_flag: { text: level.red_flag, seen: !!state['level:' + n + ':flag'] },
        questions: byLevel[n].map(function (q) {
          return {
            id: q.id, level: q.level, order: q.order, question: q.question, scored: scored,
            rating: ratingOf(q),
            signals: q.signals.map(function (s, j) { return { text: s, checked: !!state['q:' + q.id + ':signal:' + j] }; }),
            red_flags: q.red_flags.map(function (s, j) { return { text: s, checked: !!state['q:' + q.id + ':flag:' + j] }; }),
            connected: !!state['q:' + q.id + ':connected'],
            notes: state['q:' + q.id + ':notes'] || ''
          };
        })
      };
    });
    var rec = state.rec || null;
    return {
      format: 'handbook-scorecard/1', book: data.book,
      candidate: state['meta:candidate'] || '', interviewer: state['meta:interviewer'] || '', date: state['meta:date'] || '',
      ratings: data.ratings.map(function (x) { return { value: x.value, label: x.label }; }),
      result: { level_reached: r.reached, stopped_at: r.stop ? r.stop.level : null, reason: r.reason },
      recommendation: rec === 'none' ? 'no decision' : (rec ? Number(rec) : null),
      levels: levels
    };
  }
  function ratingText(v) { return v + (labels[v] ? ' (' + labels[v] + ')' : ''); }
  // The recommendation as the export's reader sees it: a number and its word, or "no decision".
  function recommendationText(rec) {
    if (typeof rec === 'number') return rec + ' ' + word('script_scorecard_recommendation_' + rec);
    return rec === 'no decision' ? word('script_scorecard_recommendation_none') : '-';
  }
  function markdown(rep) {
    var out = ['# ' + word('script_scorecard_md_title', { book: rep.book }), '',
      '- ' + word('script_scorecard_md_candidate', { value: rep.candidate || '-' }),
      '- ' + word('script_scorecard_md_interviewer', { value: rep.interviewer || '-' }),
      '- ' + word('script_scorecard_md_date', { value: rep.date || '-' }),
      '- ' + word('script_scorecard_level_reached', { n: rep.result.level_reached }), '- ' + rep.result.reason,
      '- ' + word('script_scorecard_md_recommendation', { value: recommendationText(rep.recommendation) }), ''];
    rep.levels.forEach(function (l) {
      var status = !l.scored ? 'past_stop' : l.passed ? 'passed' : l.status === 'failed' ? 'not_passed' : 'not_decided';
      out.push('## ' + word('script_scorecard_md_level', { n: l.number, status: word('script_scorecard_md_' + status), title: l.title }));
      out.push('', '- [' + (l.red_flag.seen ? 'x' : ' ') + '] ' + word('script_scorecard_md_level_flag', { text: l.red_flag.text }), '');
      l.questions.forEach(function (q) {
        var rating = !q.rating ? '-' : l.scored ? ratingText(q.rating) : word('script_scorecard_md_rating_note', { rating: ratingText(q.rating) });
        out.push('### ' + q.level + '.' + q.order + ' ' + q.question, '', '- ' + word('script_scorecard_md_rating', { value: rating }));
        q.signals.forEach(function (s) { out.push('- [' + (s.checked ? 'x' : ' ') + '] ' + s.text); });
        q.red_flags.forEach(function (s) { out.push('- [' + (s.checked ? 'x' : ' ') + '] ' + word('script_scorecard_md_red_flag', { text: s.text })); });
        out.push('- [' + (q.connected ? 'x' : ' ') + '] ' + word('script_scorecard_md_connected'));
        if (q.notes) out.push('- ' + word('script_scorecard_md_notes', { text: q.notes.replace(/\n/g, ' ') }));
        out.push('');
      });
    });
    return out.join('\n');
  }
  function download(name, type, text) {
    var a = document.createElement('a');
    a.href = URL.createObjectURL(new Blob([text], { type: type }));
    a.download = name;
    document.body.appendChild(a);
    a.click();
    setTimeout(function () { URL.revokeObjectURL(a.href); a.remove(); }, 1000);
  }
  function fileName(ext) {
    var safe = function (s) { return s.replace(/[^A-Za-z0-9_-]+/g, '-'); };
    var ref = safe(state['meta:candidate'] || word('script_scorecard_file_candidate'));
    var who = safe(state['meta:interviewer'] || '');
    return safe(word('script_scorecard_file')) + '-' + ref + (who ? '-' + who : '') + '.' + ext;
  }
  document.getElementById('sc-export-md').addEventListener('click', function () { download(fileName('md'), 'text/markdown', markdown(report())); });
  document.getElementById('sc-export-json').addEventListener('click', function () { download(fileName('json'), 'application/json', JSON.stringify(report(), null, 2)); });
  document.getElementById('sc-print').addEventListener('click', function () { window.print(); });
  document.getElementById('sc-clear').addEventListener('click', function () {
    if (!window.confirm(word('script_scorecard_confirm_clear'))) return;
    state = {};
    try { sessionStorage.removeItem(storageKey); } catch (e) { /* ignore */ }
    apply();
    render();
  });
  window.handbookScorecard = { report: report, markdown: function () { return markdown(report()); } };
  apply();
  render();
})();
