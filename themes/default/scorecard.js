// The interview scorecard: the guide's severity model as code.
// - A question's red flag rates that question 1.
// - The level's red flag ends the climb at once: the level is not passed.
// - A level is passed when its red flag was not seen, every question of the level is rated, no
//   rating is 1 and at most one rating is 2. The next level opens only then.
// - The level reached is the last level passed in order; later levels are notes, not scores.
// The scale (values and labels) comes from the page's data, which the build takes from the
// guide's front matter. State lives in sessionStorage only. No network requests.
(function () {
  'use strict';
  var form = document.getElementById('scorecard');
  if (!form) return;
  var data = JSON.parse(document.getElementById('scorecard-data').textContent);
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
      return { status: 'failed', reason: "the level's red flag was seen (" + level.red_flag + ')' };
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
        return 'question ' + label(q) + ' rated ' + lowest + (flags.length ? ' (red flag: ' + flags.join('; ') + ')' : '');
      }).join(', '));
    }
    if (twos.length > 1) {
      why.push(twos.length + ' questions rated ' + (lowest + 1) + ' (' + twos.map(label).join(', ') + '; at most one may be)');
    }
    if (why.length) return { status: 'failed', reason: why.join('; ') };
    if (unrated.length) {
      return { status: 'open', reason: (qs.length - unrated.length) + ' of ' + qs.length + ' questions rated' };
    }
    return { status: 'passed', reason: 'every question rated, no ' + lowest + ', ' + (twos.length ? 'one' : 'no') + ' ' + (lowest + 1) };
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
    if (!stop) reason = 'All ' + data.levels.length + ' levels passed.';
    else if (stop.level === 1 && stop.status === 'open' && !hasMarks(1)) reason = 'Not started: rate the level 1 questions.';
    else if (stop.status === 'open') reason = 'Stopped at level ' + stop.level + ', not decided yet: ' + stop.reason + '.';
    else reason = 'Stopped at level ' + stop.level + ', not passed: ' + stop.reason + '.';
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
      if (locked) status.textContent = 'Level ' + n + ': not scored (the climb stopped at level ' + open + ').';
      else if (j.status === 'passed') status.textContent = 'Level ' + n + ' passed: ' + j.reason + '.';
      else if (j.status === 'failed') status.textContent = 'Level ' + n + ' not passed: ' + j.reason + '.';
      else status.textContent = 'Level ' + n + (hasMarks(n) ? ' in progress: ' + j.reason + '.' : ': not scored yet.');
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
    document.getElementById('sc-level-reached').textContent = 'Level reached: ' + r.reached;
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
  function markdown(rep) {
    var recNames = { 1: '1 strong no', 2: '2 no', 3: '3 yes', 4: '4 strong yes' };
    var out = ['# Scorecard: ' + rep.book, '',
      '- Candidate reference: ' + (rep.candidate || '-'), '- Interviewer: ' + (rep.interviewer || '-'), '- Date: ' + (rep.date || '-'),
      '- Level reached: ' + rep.result.level_reached, '- ' + rep.result.reason,
      '- Recommendation: ' + (typeof rep.recommendation === 'number' ? recNames[rep.recommendation] : (rep.recommendation || '-')), ''];
    rep.levels.forEach(function (l) {
      out.push('## Level ' + l.number + ': ' + l.title + (l.scored ? ' (' + (l.passed ? 'passed' : l.status === 'failed' ? 'not passed' : 'not decided') + ')' : ' (past the stop: notes, not scored)'));
      out.push('', '- [' + (l.red_flag.seen ? 'x' : ' ') + '] Level red flag: ' + l.red_flag.text, '');
      l.questions.forEach(function (q) {
        out.push('### ' + q.level + '.' + q.order + ' ' + q.question, '', '- Rating: ' + (q.rating ? ratingText(q.rating) + (l.scored ? '' : ', a note: past the stop') : '-'));
        q.signals.forEach(function (s) { out.push('- [' + (s.checked ? 'x' : ' ') + '] ' + s.text); });
        q.red_flags.forEach(function (s) { out.push('- [' + (s.checked ? 'x' : ' ') + '] Red flag: ' + s.text); });
        out.push('- [' + (q.connected ? 'x' : ' ') + '] Connected to another level');
        if (q.notes) out.push('- Notes: ' + q.notes.replace(/\n/g, ' '));
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
    var ref = (state['meta:candidate'] || 'candidate').replace(/[^A-Za-z0-9_-]+/g, '-');
    var who = (state['meta:interviewer'] || '').replace(/[^A-Za-z0-9_-]+/g, '-');
    return 'scorecard-' + ref + (who ? '-' + who : '') + '.' + ext;
  }
  document.getElementById('sc-export-md').addEventListener('click', function () { download(fileName('md'), 'text/markdown', markdown(report())); });
  document.getElementById('sc-export-json').addEventListener('click', function () { download(fileName('json'), 'application/json', JSON.stringify(report(), null, 2)); });
  document.getElementById('sc-print').addEventListener('click', function () { window.print(); });
  document.getElementById('sc-clear').addEventListener('click', function () {
    if (!window.confirm('Clear every mark and note on this scorecard?')) return;
    state = {};
    try { sessionStorage.removeItem(storageKey); } catch (e) { /* ignore */ }
    apply();
    render();
  });
  window.handbookScorecard = { report: report, markdown: function () { return markdown(report()); } };
  apply();
  render();
})();
