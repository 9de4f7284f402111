// handbook: theme toggle, sidebar on small screens, hidden snippet lines, search. No network requests.
(function () {
  'use strict';
  var root = document.body.getAttribute('data-root') || '';
  var html = document.documentElement;
  // The interface words of the book's language: the page's `data-words` (words.toml, `script_*`
  // keys). A missing word shows its key, never a silent English default. `{name}` is filled in
  // one pass, so braces in a filled-in value stay as they are.
  var words = {};
  try { words = JSON.parse(document.body.getAttribute('data-words') || '{}'); } catch (e) { words = {}; }
  function word(key, values) {
    var w = typeof words[key] === 'string' ? words[key] : key;
    return w.replace(/\{(\w+)\}/g, function (m, name) { return values && Object.prototype.hasOwnProperty.call(values, name) ? String(values[name]) : m; });
  }

  // The sidebar's question lists come from the shared search index, not from every page: a
  // page's size must not grow with the number of questions in the book.
  var index = window.HANDBOOK_SEARCH || [];
  var path = document.body.getAttribute('data-path') || '';
  document.querySelectorAll('.toc-questions').forEach(function (list) {
    var level = Number(list.getAttribute('data-level'));
    var n = 0;
    index.forEach(function (e) {
      if (e.l !== level) return;
      n += 1;
      var li = document.createElement('li');
      var a = document.createElement('a');
      a.href = root + e.u;
      a.textContent = level + '.' + n + ' ' + e.q.replace(/`/g, '');
      if (e.u === path) a.setAttribute('aria-current', 'page');
      li.appendChild(a);
      list.appendChild(li);
    });
  });

  var themeButton = document.querySelector('.theme-toggle');
  if (themeButton) themeButton.addEventListener('click', function () {
    var dark = html.getAttribute('data-theme') === 'dark' ||
      (!html.getAttribute('data-theme') && window.matchMedia('(prefers-color-scheme: dark)').matches);
    var next = dark ? 'light' : 'dark';
    html.setAttribute('data-theme', next);
    try { localStorage.setItem('handbook-theme', next); } catch (e) { /* storage may be disabled */ }
  });

  var sidebarButton = document.querySelector('.sidebar-toggle');
  var sidebar = document.getElementById('sidebar');
  if (sidebarButton && sidebar) sidebarButton.addEventListener('click', function () {
    var open = sidebar.classList.toggle('open');
    sidebarButton.setAttribute('aria-expanded', String(open));
  });

  document.querySelectorAll('.toggle-hidden').forEach(function (button) {
    button.addEventListener('click', function () {
      var figure = button.closest('.snippet');
      var shown = figure.classList.toggle('show-hidden');
      button.setAttribute('aria-pressed', String(shown));
      button.textContent = shown ? word('script_hide_hidden_lines') : word('script_show_hidden_lines');
    });
  });

  // Search over the index built at build time (search-index.js), so it works from file:// too.
  function search(query, level) {
    var terms = query.toLowerCase().split(/\s+/).filter(Boolean);
    if (!terms.length && !level) return [];
    return index.map(function (e) {
      if (level && String(e.l) !== String(level)) return null;
      var q = e.q.toLowerCase(), score = 0;
      for (var i = 0; i < terms.length; i++) {
        var t = terms[i];
        if (q.indexOf(t) >= 0) score += 3;
        else if (e.t.indexOf(t) >= 0) score += 1;
        else return null;
      }
      return { e: e, score: score };
    }).filter(Boolean).sort(function (a, b) { return b.score - a.score || rank(a.e) - rank(b.e); }).map(function (r) { return r.e; });
  }
  // Questions by level, then articles (entries without a level).
  function rank(e) {
    return e.l === undefined ? Infinity : e.l;
  }
  function resultItem(e) {
    var li = document.createElement('li');
    var a = document.createElement('a');
    a.href = root + e.u;
    var badge = document.createElement('span');
    if (e.l === undefined) { // an article belongs to no level
      badge.className = 'level-badge article-badge';
      badge.textContent = word('script_article');
    } else {
      badge.className = 'level-badge level-' + e.l;
      badge.textContent = word('script_level_short', { n: e.l });
    }
    a.appendChild(badge);
    a.appendChild(document.createTextNode(' ' + e.q));
    li.appendChild(a);
    return li;
  }

  var box = document.getElementById('search-box');
  var list = document.querySelector('.search-results');
  var selected = -1;
  function showResults() {
    var results = search(box.value, '').slice(0, 8);
    list.textContent = '';
    selected = -1;
    results.forEach(function (e) { list.appendChild(resultItem(e)); });
    list.hidden = results.length === 0;
  }
  if (box && list) {
    box.addEventListener('input', showResults);
    box.addEventListener('keydown', function (ev) {
      var links = list.querySelectorAll('a');
      if (ev.key === 'ArrowDown' || ev.key === 'ArrowUp') {
        ev.preventDefault();
        if (!links.length) return;
        selected = (selected + (ev.key === 'ArrowDown' ? 1 : -1) + links.length) % links.length;
        links.forEach(function (l, i) { l.setAttribute('aria-selected', String(i === selected)); });
      } else if (ev.key === 'Enter' && selected >= 0 && links[selected]) {
        ev.preventDefault();
        location.href = links[selected].href;
      } else if (ev.key === 'Escape') {
        list.hidden = true;
        box.blur();
      }
    });
  }
  document.addEventListener('keydown', function (ev) {
    var tag = (document.activeElement && document.activeElement.tagName) || '';
    if (ev.key === '/' && !/INPUT|TEXTAREA|SELECT/.test(tag) && box) {
      ev.preventDefault();
      box.focus();
    }
  });

  var pageBox = document.getElementById('search-page-box');
  if (pageBox) {
    var levelSelect = document.getElementById('search-level');
    var out = document.getElementById('search-page-results');
    var status = document.getElementById('search-status');
    var params = new URLSearchParams(location.search);
    pageBox.value = params.get('q') || '';
    levelSelect.value = params.get('level') || '';
    var run = function () {
      var results = search(pageBox.value, levelSelect.value);
      out.textContent = '';
      results.forEach(function (e) { out.appendChild(resultItem(e)); });
      status.textContent = (pageBox.value || levelSelect.value) ? word('script_found', { n: results.length }) : word('script_type_to_search', { n: index.length });
    };
    pageBox.addEventListener('input', run);
    levelSelect.addEventListener('change', run);
    run();
  }
})();
