
(function () {
  'use strict';
  // Article data is only read from the DOM (dataset, textContent), never parsed as HTML.
  var byId = function (id) { return document.getElementById(id); };
  var all = function (selector) { return Array.prototype.slice.call(document.querySelectorAll(selector)); };
  var pairs = all('section.pair');
  var relations = all('input[name="relation"]');
  var minScore = byId('min-score');
  var minCoverage = byId('min-coverage');
  var selected = null;

  function apply() {
    var on = {};
    var shown = 0;
    var visible = {};
    relations.forEach(function (r) { on[r.value] = r.checked; });
    var s = parseFloat(minScore.value);
    var c = parseFloat(minCoverage.value);
    pairs.forEach(function (p) {
      var d = p.dataset;
      var ok = on[d.relation] && parseFloat(d.score) >= s - 1e-9 && parseFloat(d.coverage) >= c - 1e-9 &&
        (!selected || d.articles.split(' ').some(function (a) { return selected.indexOf(a) >= 0; }));
      p.hidden = !ok;
      if (ok) { shown += 1; visible[d.pair] = true; }
    });
    all('.stemma-graph .edge[data-pair]').forEach(function (e) {
      e.classList.toggle('faded', !visible[e.dataset.pair]);
    });
    byId('min-score-value').textContent = s.toFixed(2);
    byId('min-coverage-value').textContent = Math.round(c * 100) + '%';
    byId('pair-count').textContent = shown + ' of ' + pairs.length + ' pairs shown';
    byId('no-pairs').hidden = shown > 0 || pairs.length === 0;
  }

  function unmark() {
    all('.selected').forEach(function (x) { x.classList.remove('selected'); });
  }

  // Shows the articles of a node (or of an article button) and filters the pairs to theirs.
  function select(el, scroll) {
    var articles = (el.dataset.articles || '').split(' ').filter(function (a) { return a !== ''; });
    selected = articles;
    unmark();
    all('.stemma-graph .node').forEach(function (n) {
      if (n.dataset.articles === el.dataset.articles) { n.classList.add('selected'); }
    });
    var name = el.getAttribute('aria-label') || el.textContent;
    byId('article-filter-name').textContent = name;
    byId('article-filter').hidden = false;
    var panel = byId('selection');
    var body = panel.querySelector('tbody');
    while (body.firstChild) { body.removeChild(body.firstChild); }
    articles.forEach(function (a) {
      var row = byId('article-' + a);
      if (!row) { return; }
      row.classList.add('selected');
      var copy = row.cloneNode(true);
      copy.removeAttribute('id');
      copy.classList.remove('selected');
      body.appendChild(copy);
    });
    byId('selection-what').textContent = articles.length === 1 ? 'Article ' + name + ':' :
      name + ', the source of:';
    panel.hidden = false;
    apply();
    if (scroll) { byId('pairs').scrollIntoView(); }
  }

  function clearSelection() {
    selected = null;
    unmark();
    byId('article-filter').hidden = true;
    byId('selection').hidden = true;
    apply();
  }

  // Scrolls to a pair, clearing the filters first if they hide it.
  function showPair(n) {
    var p = byId('pair-' + n);
    if (!p) { return; }
    if (p.hidden) {
      selected = null;
      relations.forEach(function (r) { r.checked = true; });
      minScore.value = '0';
      minCoverage.value = '0';
      byId('article-filter').hidden = true;
      apply();
    }
    unmark();
    all('.stemma-graph .edge[data-pair="' + n + '"]').forEach(function (e) { e.classList.add('selected'); });
    pairs.forEach(function (q) { q.classList.remove('flash'); });
    p.classList.add('flash');
    p.scrollIntoView();
  }

  document.addEventListener('click', function (ev) {
    var t = ev.target;
    if (!(t instanceof Element)) { return; }
    var edge = t.closest('.stemma-graph .edge[data-pair]');
    if (edge) { showPair(edge.dataset.pair); return; }
    var node = t.closest('.stemma-graph .node, .stemma-graph .edge[data-articles], button.member');
    if (node) { select(node, true); return; }
    if (t.closest('button.clear-selection')) { clearSelection(); return; }
    var link = t.closest('a[href^="#pair-"]');
    if (link) {
      ev.preventDefault();
      showPair(link.getAttribute('href').slice(6));
    }
  });
  document.addEventListener('keydown', function (ev) {
    var t = ev.target;
    if ((ev.key === 'Enter' || ev.key === ' ') && t instanceof Element && t.closest('.stemma-graph') &&
        t.getAttribute('role') === 'button') {
      ev.preventDefault();
      t.dispatchEvent(new MouseEvent('click', { bubbles: true }));
    }
  });
  relations.concat([minScore, minCoverage]).forEach(function (i) { i.addEventListener('input', apply); });
  byId('show-unaligned').addEventListener('change', function (ev) {
    document.body.classList.toggle('hide-unaligned', !ev.target.checked);
  });
  apply();
}());
