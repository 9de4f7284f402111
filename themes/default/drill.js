// The calibration drill: one level's anchors, shuffled and without their ratings. The user
// rates each; then the page shows the reference rating, the distance and a summary. The
// reference ratings stay in this script's memory until the user asks for them (they are not
// in the page's markup), and nothing is stored or sent.
(function () {
  'use strict';
  var root = document.getElementById('drill');
  if (!root) return;
  var data = JSON.parse(document.getElementById('scorecard-data').textContent);
  var items = [];
  var list = document.getElementById('drill-items');
  var checkButton = document.getElementById('drill-check');
  var status = document.getElementById('drill-status');
  // The interface words of the book's language: the page's `data-words` (words.toml,
  // `script_*` keys). A missing word shows its key; `{name}` is filled in one pass.
  var words = {};
  try { words = JSON.parse(document.body.getAttribute('data-words') || '{}'); } catch (e) { words = {}; }
  function word(key, values) {
    var w = typeof words[key] === 'string' ? words[key] : key;
    return w.replace(/\{(\w+)\}/g, function (m, name) { return values && Object.prototype.hasOwnProperty.call(values, name) ? String(values[name]) : m; });
  }

  function shuffle(a) {
    for (var i = a.length - 1; i > 0; i--) {
      var j = Math.floor(Math.random() * (i + 1));
      var t = a[i]; a[i] = a[j]; a[j] = t;
    }
    return a;
  }
  function el(tag, cls, text) {
    var e = document.createElement(tag);
    if (cls) e.className = cls;
    if (text !== undefined) e.textContent = text;
    return e;
  }

  function start(level) {
    items = [];
    data.questions.forEach(function (q) {
      if (q.level !== level || !q.anchors) return;
      q.anchors.forEach(function (a) { items.push({ question: q, text: a.text, reference: a.value }); });
    });
    shuffle(items);
    list.textContent = '';
    document.getElementById('drill-summary').hidden = true;
    if (!items.length) {
      checkButton.hidden = true;
      status.textContent = word('script_drill_no_anchors', { n: level });
      return;
    }
    var asked = data.questions.filter(function (q) { return q.level === level && q.anchors && q.anchors.length; }).length;
    status.textContent = word('script_drill_status', { n: items.length, questions: asked, level: level });
    items.forEach(function (item, i) {
      var li = el('li', 'drill-item');
      var fs = el('fieldset');
      var legend = el('legend');
      // question_html and the anchor text are inline markdown the build rendered and escaped.
      legend.innerHTML = item.question.question_html;
      fs.appendChild(legend);
      var quote = el('blockquote', 'drill-answer');
      quote.innerHTML = item.text;
      fs.appendChild(quote);
      var choices = el('div', 'drill-choices');
      data.ratings.forEach(function (r) {
        var label = el('label');
        var input = document.createElement('input');
        input.type = 'radio';
        input.name = 'drill-' + i;
        input.value = String(r.value);
        label.appendChild(input);
        label.appendChild(document.createTextNode(' ' + r.value + (r.label ? ' ' + r.label : '')));
        choices.appendChild(label);
      });
      fs.appendChild(choices);
      fs.appendChild(el('p', 'drill-result'));
      li.appendChild(fs);
      list.appendChild(li);
      item.node = li;
    });
    checkButton.hidden = false;
  }

  function check() {
    var exact = 0, adjacent = 0, off = 0, unrated = 0;
    items.forEach(function (item, i) {
      var chosen = item.node.querySelector('input[name="drill-' + i + '"]:checked');
      var result = item.node.querySelector('.drill-result');
      if (!chosen) {
        unrated++;
        result.textContent = word('script_drill_unrated', { reference: item.reference });
        item.node.setAttribute('data-distance', 'none');
        return;
      }
      var d = Math.abs(Number(chosen.value) - item.reference);
      if (d === 0) exact++; else if (d === 1) adjacent++; else off++;
      item.node.setAttribute('data-distance', String(d));
      result.textContent = d === 0
        ? word('script_drill_exact', { reference: item.reference, yours: chosen.value })
        : word('script_drill_off', { reference: item.reference, yours: chosen.value, d: d });
    });
    document.getElementById('drill-exact').textContent = String(exact);
    document.getElementById('drill-adjacent').textContent = String(adjacent);
    document.getElementById('drill-off').textContent = String(off);
    document.getElementById('drill-unrated').textContent = String(unrated);
    document.getElementById('drill-summary').hidden = false;
  }

  document.getElementById('drill-start').addEventListener('click', function () {
    start(Number(document.getElementById('drill-level').value));
  });
  checkButton.addEventListener('click', check);
  start(Number(document.getElementById('drill-level').value));
})();
