// Search as you type, on the search page only. Without JavaScript the form
// posts and the server answers with a results page; with it, results appear
// while typing. The query goes in a POST body, never in a URL, so it stays out
// of the address bar, the history and the server's access logs.
(function () {
  "use strict";
  var form = document.querySelector(".kb-search-form--page");
  var root = document.querySelector(".kb-search-results");
  if (!form || !root || !window.fetch) {
    return;
  }
  var input = form.querySelector("input[name=q]");
  var lang = form.querySelector("input[name=lang]").value;
  var strings = root.dataset;
  var live = document.createElement("div");
  live.className = "kb-visually-hidden";
  live.setAttribute("aria-live", "polite");
  root.appendChild(live);
  var output = document.createElement("div");
  root.appendChild(output);
  var timer = null;
  var pending = null;

  function el(tag, cls, text) {
    var e = document.createElement(tag);
    if (cls) {
      e.className = cls;
    }
    if (text) {
      e.textContent = text;
    }
    return e;
  }

  // The snippet is escaped text with <mark> tags: rebuild it as nodes, never as HTML.
  function snippet(s) {
    var p = el("p", "kb-search-results__snippet");
    var entities = { "&lt;": "<", "&gt;": ">", "&amp;": "&", "&#39;": "'", "&#34;": "\"", "&quot;": "\"" };
    var decode = function (t) {
      return t.replace(/&(lt|gt|amp|#39|#34|quot);/g, function (m) { return entities[m]; });
    };
    s.split("</mark>").forEach(function (part) {
      var i = part.indexOf("<mark>");
      if (i < 0) {
        p.appendChild(document.createTextNode(decode(part)));
        return;
      }
      p.appendChild(document.createTextNode(decode(part.slice(0, i))));
      p.appendChild(el("mark", null, decode(part.slice(i + 6))));
    });
    return p;
  }

  function render(res) {
    output.textContent = "";
    root.querySelectorAll(".kb-search-results__static").forEach(function (e) { e.remove(); });
    if (res.definition) {
      var card = el("aside", "kb-definition");
      card.appendChild(el("p", "kb-definition__kind", strings.kind));
      var h = el("h2", "kb-definition__term");
      var a = el("a", null, res.definition.term);
      a.href = res.definition.url;
      h.appendChild(a);
      card.appendChild(h);
      card.appendChild(el("p", "kb-definition__text", res.definition.text));
      if (res.definition.source) {
        card.appendChild(el("p", "kb-definition__source", strings.source + " " + res.definition.source));
      }
      output.appendChild(card);
    }
    if (res.suggestion) {
      var sug = el("p", "kb-search-results__suggestion", strings.didYouMean + " ");
      sug.appendChild(el("strong", null, res.suggestion));
      output.appendChild(sug);
    }
    var count = (res.total === 1 ? strings.one : strings.other).replace("{n}", res.total);
    output.appendChild(el("h2", "kb-search-results__count", count));
    live.textContent = count;
    var list = el("ol", "kb-search-results__list");
    res.hits.forEach(function (hit) {
      var li = el("li", "kb-search-results__item");
      var title = el("h3", "kb-search-results__title");
      var link = el("a", null, hit.title);
      link.href = hit.url;
      title.appendChild(link);
      li.appendChild(title);
      var snip = snippet(hit.snippet);
      if (hit.lang !== lang) {
        title.lang = hit.lang;
        snip.lang = hit.lang;
        li.appendChild(el("p", "kb-search-results__other-lang", strings.otherLang));
      }
      li.appendChild(snip);
      if (hit.section) {
        li.appendChild(el("p", "kb-search-results__section", hit.section));
      }
      list.appendChild(li);
    });
    output.appendChild(list);
  }

  function search() {
    var q = input.value.trim();
    if (q.length < 2) {
      output.textContent = "";
      return;
    }
    if (pending) {
      pending.abort();
    }
    pending = new AbortController();
    var body = new URLSearchParams({ q: q, lang: lang });
    fetch(form.action, {
      method: "POST",
      body: body,
      headers: { Accept: "application/json" },
      signal: pending.signal,
      credentials: "omit",
      referrerPolicy: "no-referrer"
    }).then(function (r) {
      return r.ok ? r.json() : null;
    }).then(function (res) {
      if (res) {
        render(res);
      }
    }).catch(function () { /* aborted by a newer search, or offline: the form still works */ });
  }

  input.addEventListener("input", function () {
    window.clearTimeout(timer);
    timer = window.setTimeout(search, 250);
  });
  // Arrow keys move between the input and the results' links.
  root.addEventListener("keydown", function (e) {
    if (e.key !== "ArrowDown" && e.key !== "ArrowUp") {
      return;
    }
    var links = Array.prototype.slice.call(output.querySelectorAll(".kb-search-results__title a"));
    var i = links.indexOf(document.activeElement);
    if (document.activeElement === input && e.key === "ArrowDown" && links.length) {
      links[0].focus();
    } else if (i >= 0) {
      (e.key === "ArrowDown" ? links[i + 1] : links[i - 1] || input).focus();
    } else {
      return;
    }
    e.preventDefault();
  });
})();
