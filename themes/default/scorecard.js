// The interview scorecard: the guide's rules as code. Levels are scored in order; a level opens
// when the previous one is passed; a red flag ends the climb; answers past the stop are notes.
// State lives in sessionStorage only. No network requests.
(function () {
  'use strict';
  var form = document.getElementById('scorecard');
  if (!form) return;
  var data = JSON.parse(document.getElementById('scorecard-data').textContent);
  var storageKey = 'handbook-scorecard:' + data.book;
  var state = {};
  try { state = JSON.parse(sessionStorage.getItem(storageKey) || '{}') || {}; } catch (e) { state = {}; }

  var inputs = Array.prototype.slice.call(form.querySelectorAll('[data-key]'));

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

  // Red flags ticked in level n, as text.
  function flagsOf(n) {
    var out = [];
    var level = data.levels[n - 1];
    if (state['level:' + n + ':flag']) out.push(level.red_flag);
    data.questions.forEach(function (q) {
      if (q.level !== n) return;
      q.red_flags.forEach(function (f, i) { if (state['q:' + q.id + ':flag:' + i]) out.push(f); });
    });
    return out;
  }
  function hasMarks(n) {
    return Object.keys(state).some(function (k) {
      if (k.indexOf('level:' + n + ':') === 0) return true;
      if (k.indexOf('q:') !== 0) return false;
      var id = k.split(':')[1];
      return data.questions.some(function (q) { return q.id === id && q.level === n; });
    });
  }

  // The guide's rule: the level reached is the last level passed in order, stopping at the
  // first level with a red flag or not (yet) passed.
  function result() {
    var reached = 0, stop = null;
    for (var n = 1; n <= data.levels.length; n++) {
      var flags = flagsOf(n);
      if (flags.length) { stop = { level: n, reason: 'red flag: ' + flags.join('; ') }; break; }
      if (!state['level:' + n + ':passed']) {
        stop = { level: n, reason: hasMarks(n) ? 'level ' + n + ' not marked passed' : 'level ' + n + ' not scored yet' };
        break;
      }
      reached = n;
    }
    return { reached: reached, stop: stop };
  }

  function render() {
    var r = result();
    var open = r.stop ? r.stop.level : data.levels.length;
    data.levels.forEach(function (level, i) {
      var n = i + 1;
      var section = document.getElementById('sc-level-' + n);
      var locked = n > open;
      section.classList.toggle('is-locked', locked);
      section.querySelector('.sc-lock').hidden = !(locked && !hasMarks(n));
      section.querySelector('.sc-past').hidden = !(locked && hasMarks(n));
      section.querySelector('.sc-level-fields').disabled = locked;
      var passed = section.querySelector('[data-key="level:' + n + ':passed"]');
      passed.disabled = locked || flagsOf(n).length > 0;
    });
    document.getElementById('sc-level-reached').textContent = 'Level reached: ' + r.reached;
    var reason;
    if (!r.stop) reason = 'All ' + data.levels.length + ' levels passed.';
    else if (r.reached === 0 && !hasMarks(1)) reason = 'Not started: score level 1 first.';
    else reason = 'Stopped at level ' + r.stop.level + ': ' + r.stop.reason + '.';
    document.getElementById('sc-reason').textContent = reason;
  }

  function edited(ev) {
    if (!ev.target.hasAttribute || !ev.target.hasAttribute('data-key')) return;
    read(ev.target);
    // A level with a red flag cannot stay passed.
    data.levels.forEach(function (l, i) { if (flagsOf(i + 1).length) delete state['level:' + (i + 1) + ':passed']; });
    apply();
    save();
    render();
  }
  form.addEventListener('input', edited);
  form.addEventListener('change', edited);

  function report() {
    var r = result();
    var levels = data.levels.map(function (level, i) {
      var n = i + 1;
      var scored = n <= (r.stop ? r.stop.level : data.levels.length);
      return {
        number: n, title: level.title, passed: !!state['level:' + n + ':passed'], scored: scored,
        red_flag: { text: level.red_flag, seen: !!state['level:' + n + ':flag'] },
        questions: data.questions.filter(function (q) { return q.level === n; }).map(function (q) {
          return {
            id: q.id, question: q.question,
            rating: state['q:' + q.id + ':rating'] ? Number(state['q:' + q.id + ':rating']) : null,
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
      result: { level_reached: r.reached, stopped_at: r.stop ? r.stop.level : null, reason: document.getElementById('sc-reason').textContent },
      recommendation: rec === 'none' ? 'no decision' : (rec ? Number(rec) : null),
      levels: levels
    };
  }
  function markdown(rep) {
    var recNames = { 1: '1 strong no', 2: '2 no', 3: '3 yes', 4: '4 strong yes' };
    var out = ['# Scorecard: ' + rep.book, '',
      '- Candidate reference: ' + (rep.candidate || '-'), '- Interviewer: ' + (rep.interviewer || '-'), '- Date: ' + (rep.date || '-'),
      '- Level reached: ' + rep.result.level_reached, '- ' + rep.result.reason,
      '- Recommendation: ' + (typeof rep.recommendation === 'number' ? recNames[rep.recommendation] : (rep.recommendation || '-')), ''];
    rep.levels.forEach(function (l) {
      out.push('## Level ' + l.number + ': ' + l.title + (l.scored ? (l.passed ? ' (passed)' : '') : ' (past the stop: notes, not scored)'));
      out.push('', '- [' + (l.red_flag.seen ? 'x' : ' ') + '] Level red flag: ' + l.red_flag.text, '');
      l.questions.forEach(function (q) {
        out.push('### ' + q.question, '', '- Rating: ' + (l.scored && q.rating ? q.rating : '-'));
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
    return 'scorecard-' + ref + '.' + ext;
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
