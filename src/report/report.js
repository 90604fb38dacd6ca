/* dmasim report: the page's script.  The tree and the matrices are static
 * HTML; this adds the details panel, the route highlight, the device filter
 * and keyboard navigation.  It loads nothing. */
(function () {
  'use strict';
  var cache = {};
  var panel = document.getElementById('details');
  var selected = null;

  function data(m) {
    if (!cache[m]) {
      var el = document.getElementById('data-' + m);
      cache[m] = el ? JSON.parse(el.textContent) : null;
    }
    return cache[m];
  }

  function el(tag, text, attrs) {
    var e = document.createElement(tag);
    if (text !== undefined && text !== null) e.textContent = text;
    if (attrs) Object.keys(attrs).forEach(function (k) { e.setAttribute(k, attrs[k]); });
    return e;
  }

  function devText(D, id) {
    if (id < 0) return 'none';
    var d = D.devs[id];
    return d[1] === d[0] ? d[0] : d[1] + ' (' + d[0] + ')';
  }

  function cellText(mt, d) {
    if (mt === 'not_supported') return 'not_supported';
    return mt + (d >= 0 ? ', distance ' + d : '');
  }

  function clearHighlight() {
    document.querySelectorAll('svg.tree .hl, svg.tree .end').forEach(function (n) {
      n.classList.remove('hl');
      n.classList.remove('end');
    });
  }

  function highlight(m, D, cell, client, provider) {
    clearHighlight();
    var on = {};
    var nodeId = function (d) { return 't' + m + '-d' + d; };
    on[nodeId(client)] = true;
    (cell.hops || []).forEach(function (h) {
      on[h[1] >= 0 ? nodeId(h[1]) : 't' + m + '-h' + h[2]] = true;
    });
    Object.keys(on).forEach(function (id) {
      var n = document.getElementById(id);
      if (n) n.classList.add('hl');
    });
    [client, provider].forEach(function (d) {
      var n = document.getElementById(nodeId(d));
      if (n) n.classList.add('end');
    });
    D.devs.forEach(function (dv, id) {
      var parent = dv[2] >= 0 ? nodeId(dv[2]) : 't' + m + '-h' + dv[3];
      if (on[nodeId(id)] && on[parent]) {
        var e = document.querySelector('svg.tree path[data-to="' + nodeId(id) + '"]');
        if (e) e.classList.add('hl');
      }
    });
  }

  function addRow(dl, term, value) {
    dl.appendChild(el('dt', term));
    var dd = el('dd');
    if (typeof value === 'string') dd.textContent = value; else dd.appendChild(value);
    dl.appendChild(dd);
    return dd;
  }

  function lines(list) {
    return list && list.length ? el('pre', list.join('\n')) : el('span', 'none');
  }

  function items(list) {
    var ul = el('ul');
    list.forEach(function (t) { ul.appendChild(el('li', t)); });
    return ul;
  }

  function show(td) {
    var table = td.closest('table');
    var m = +table.dataset.m, p = +table.dataset.p;
    var i = td.parentNode.rowIndex - 1, j = td.cellIndex - 1;
    var D = data(m);
    if (!D) return;
    var n = D.eps.length, pol = D.policies[p], cell = pol.cells[i * n + j];
    var prov = D.eps[i], client = D.eps[j];
    if (selected) selected.classList.remove('sel');
    selected = td;
    td.classList.add('sel');
    panel.textContent = '';
    var close = el('button', 'close', { type: 'button', 'class': 'close' });
    close.addEventListener('click', function () {
      panel.hidden = true; clearHighlight();
      if (selected) { selected.classList.remove('sel'); selected.focus(); }
    });
    panel.appendChild(close);
    panel.appendChild(el('h2', devText(D, prov) + ' \u2192 ' + devText(D, client) +
      ' under ' + pol.name));
    panel.appendChild(el('p', 'Provider ' + D.devs[prov][1] + ' offers the memory, client ' +
      D.devs[client][1] + ' does the DMA.'));
    var dl = el('dl');
    addRow(dl, 'Decision', cellText(cell.m, cell.d)).dataset.map = cell.m;
    addRow(dl, 'nvidia-smi code', cell.smi);
    addRow(dl, 'Common upstream device', devText(D, cell.u)).dataset.up = cell.u;
    addRow(dl, 'ACS redirects at', cell.acs.length ? cell.acs.map(function (d) {
      return devText(D, d); }).join(', ') : 'none');
    addRow(dl, 'Decided by', cell.rule);
    addRow(dl, 'Kernel warnings', lines(cell.warn)).className = 'warn';
    if (cell.map) {
      var mp = cell.map;
      addRow(dl, 'Mapping', mp.path + ' (' + mp.op + '), BAR ' + mp.bar +
        ' offset 0, 4 KiB at CPU ' + mp.phys);
      addRow(dl, 'DMA address', mp.dma === null ? 'DMA_MAPPING_ERROR (' + mp.reason + ')'
        : mp.dma).className = 'dma';
      addRow(dl, 'Why', mp.why);
      if (mp.msgs.length) addRow(dl, 'Mapping messages', lines(mp.msgs));
      if (mp.iommu) addRow(dl, 'IOMMU', mp.iommu);
      if (mp.lands) addRow(dl, 'Lands', mp.lands + (mp.route_why ? ' (' + mp.route_why + ')' : ''));
      addRow(dl, 'Verdict', mp.verdict + (mp.fault !== 'none' ? ' (' + mp.fault + ')' : ''));
    } else {
      addRow(dl, 'Mapping', cell.nomap || 'none');
      if (cell.raw) addRow(dl, 'Raw bus address', 'BAR ' + cell.raw.bar + ' at bus address ' +
        cell.raw.addr + ' lands: ' + cell.raw.lands +
        (cell.raw.route_why ? ' (' + cell.raw.route_why + ')' : '')).className = 'dma';
    }
    /* the values the topology marks inferred that the decision, the
       mapping or the route rest on (as dmasim map --p2p names them) */
    if (cell.depends_on_inferred)
      addRow(dl, 'Depends on inferred', items(cell.depends_on_inferred)).className = 'inf';
    panel.appendChild(dl);
    if (cell.hops) {
      panel.appendChild(el('h3', cell.map ? 'Route of ' + D.devs[client][1] +
        "'s write to the DMA address, hop by hop"
        : 'Route of ' + D.devs[client][1] + "'s write to the raw bus address, hop by hop"));
      var t = el('table', null, { 'class': 'hops' });
      var head = el('tr');
      ['#', 'port', 'action', 'address', 'after'].forEach(function (h) {
        head.appendChild(el('th', h, { scope: 'col' }));
      });
      t.appendChild(el('thead')).appendChild(head);
      var body = el('tbody');
      cell.hops.forEach(function (h, k) {
        /* [action, device id or -1, host bridge id or -1, address, after] */
        var tr = el('tr');
        tr.dataset.action = h[0];
        tr.dataset.addr = h[3];
        tr.dataset.addrOut = h[4];
        if (h[1] >= 0) { tr.dataset.bdf = D.devs[h[1]][0]; tr.dataset.name = D.devs[h[1]][1]; }
        else tr.dataset.hostBridge = h[2] >= 0 ? D.hbs[h[2]] : '';
        tr.appendChild(el('td', String(k + 1)));
        tr.appendChild(el('td', h[1] >= 0 ? devText(D, h[1]) : 'root complex ' + D.hbs[h[2]]));
        tr.appendChild(el('td', h[0]));
        tr.appendChild(el('td', h[3]));
        tr.appendChild(el('td', h[4] === h[3] ? '' : h[4]));
        body.appendChild(tr);
      });
      t.appendChild(body);
      panel.appendChild(t);
    }
    panel.appendChild(el('p', 'The same from the command line: dmasim p2p ' + D.file +
      ' --provider ' + D.devs[prov][1] + ' ' + D.devs[client][1] + ' --policy ' + pol.arg +
      ' --verbose; dmasim map --p2p ' + D.file + ' ' + D.devs[prov][1] + ' ' +
      D.devs[client][1] + ' --policy ' + pol.arg));
    var wrap = table.closest('.mx-wrap');
    if (panel.parentNode !== wrap.parentNode || panel.previousElementSibling !== wrap)
      wrap.parentNode.insertBefore(panel, wrap.nextSibling);
    panel.hidden = false;
    highlight(m, D, cell, client, prov);
  }

  function cellLabel(td) {
    var table = td.closest('table');
    var row = td.parentNode.cells[0].textContent;
    var col = table.tHead.rows[0].cells[td.cellIndex].textContent;
    return 'provider ' + row + ', client ' + col + ': ' + td.dataset.map.replace(/_/g, ' ') +
      (+td.dataset.dist >= 0 ? ', distance ' + td.dataset.dist : '') +
      (td.classList.contains('inf') ? ', rests on inferred values' : '');
  }

  function visible(td) { return td && td.offsetParent !== null; }

  function move(td, dr, dc) {
    var table = td.closest('table'), rows = table.tBodies[0].rows;
    var r = td.parentNode.sectionRowIndex, c = td.cellIndex;
    for (;;) {
      r += dr; c += dc;
      if (r < 0 || r >= rows.length || c < 1 || c >= rows[0].cells.length) return td;
      var next = rows[r].cells[c];
      if (visible(next)) return next;
    }
  }

  function focusCell(from, to) {
    if (from === to) return;
    from.tabIndex = -1;
    to.tabIndex = 0;
    to.focus();
  }

  document.querySelectorAll('table.mx:not(.diff)').forEach(function (table) {
    var first = table.tBodies[0].rows.length ? table.tBodies[0].rows[0].cells[1] : null;
    if (first) first.tabIndex = 0;
    table.addEventListener('click', function (ev) {
      var td = ev.target.closest('td');
      if (!td) return;
      table.querySelectorAll('td[tabindex="0"]').forEach(function (c) { c.tabIndex = -1; });
      td.tabIndex = 0;
      show(td);
    });
    table.addEventListener('focusin', function (ev) {
      var td = ev.target.closest('td');
      if (td && !td.hasAttribute('aria-label')) td.setAttribute('aria-label', cellLabel(td));
    });
    table.addEventListener('keydown', function (ev) {
      var td = ev.target.closest('td');
      if (!td) return;
      var rows = table.tBodies[0].rows, to = null;
      switch (ev.key) {
      case 'ArrowRight': to = move(td, 0, 1); break;
      case 'ArrowLeft': to = move(td, 0, -1); break;
      case 'ArrowDown': to = move(td, 1, 0); break;
      case 'ArrowUp': to = move(td, -1, 0); break;
      case 'Home': to = td.parentNode.cells[1]; break;
      case 'End': to = td.parentNode.cells[td.parentNode.cells.length - 1]; break;
      case 'PageUp': to = rows[0].cells[td.cellIndex]; break;
      case 'PageDown': to = rows[rows.length - 1].cells[td.cellIndex]; break;
      case 'Enter': case ' ': show(td); ev.preventDefault(); return;
      case 'Escape': panel.hidden = true; clearHighlight(); return;
      default: return;
      }
      ev.preventDefault();
      if (to) focusCell(td, to);
    });
  });

  document.querySelectorAll('input.filter').forEach(function (input) {
    input.addEventListener('input', function () {
      var q = input.value.trim().toLowerCase();
      var terms = q ? q.split(/[\s,]+/) : [];
      var hit = function (h) {
        var t = (h.textContent + ' ' + h.title).toLowerCase();
        return !terms.length || terms.some(function (w) { return t.indexOf(w) >= 0; });
      };
      var sec = document.getElementById('m' + input.dataset.m);
      sec.querySelectorAll('table.mx').forEach(function (table) {
        var heads = table.tHead.rows[0].cells, keep = [];
        for (var c = 1; c < heads.length; c++) {
          var h = heads[c];
          keep[c] = hit(h);
          h.classList.toggle('hid', !keep[c]);
        }
        Array.prototype.forEach.call(table.tBodies[0].rows, function (tr) {
          var rh = tr.cells[0];
          tr.classList.toggle('hid', !hit(rh));
          for (var c2 = 1; c2 < tr.cells.length; c2++) tr.cells[c2].classList.toggle('hid', !keep[c2]);
        });
      });
    });
  });
})();
