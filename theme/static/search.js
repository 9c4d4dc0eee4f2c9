// Search on the search page, without leaving it (and the header's search
// button's box, which gets the cursor when it opens). Without JavaScript every
// form of the search page posts, and the server answers with a results page;
// with it, results appear while typing, and the page's forms (search, the word
// meant, a section, a page of results) post the same way with fetch: the
// answer is the same results page, whose results part replaces this one. So
// the results are made in one place, by the server's template (counts in the
// language's plural forms included). The query goes in a POST body, never in
// a URL, so it stays out of the address bar, the history and access logs.
(function () {
  "use strict";
  // The header's search button: opening it puts the cursor in its box.
  var toggle = document.querySelector(".kb-disclosure--search");
  if (toggle) {
    toggle.addEventListener("toggle", function () {
      var box = toggle.querySelector("input[name=q]");
      if (toggle.open && box) {
        box.focus();
      }
    });
  }
  var root = document.querySelector(".kb-search-results");
  if (!root) {
    return;
  }
  // A results page that a form posted (a search from another page's header):
  // its history entry becomes the search page, without the query, so that
  // reloading it or coming back to it asks nothing and posts nothing again.
  if (location.pathname === "/api/search" && root.dataset.searchPage && window.history.replaceState) {
    history.replaceState(null, "", root.dataset.searchPage);
  }
  var form = root.querySelector(".kb-search-form--page");
  var output = root.querySelector(".kb-search-results__output");
  if (!form || !output || !window.fetch || !window.DOMParser) {
    return;
  }
  var input = form.querySelector("input[name=q]");
  var live = document.createElement("div");
  live.className = "kb-visually-hidden";
  live.setAttribute("aria-live", "polite");
  root.appendChild(live);
  var timer = null;
  var pending = null;

  // post sends params as the form would and shows the results part of the answer.
  function post(params, focusResults) {
    if (pending) {
      pending.abort();
    }
    pending = new AbortController();
    fetch(form.action, {
      method: "POST",
      body: params,
      headers: { Accept: "text/html" },
      signal: pending.signal,
      credentials: "omit",
      referrerPolicy: "no-referrer"
    }).then(function (r) {
      return r.text();
    }).then(function (html) {
      var fresh = new DOMParser().parseFromString(html, "text/html").querySelector(".kb-search-results__output");
      if (!fresh) {
        return;
      }
      output.replaceChildren.apply(output, Array.prototype.map.call(fresh.childNodes, function (n) {
        return document.importNode(n, true);
      }));
      var count = output.querySelector(".kb-search-results__count, .kb-search-results__problem");
      live.textContent = count ? count.textContent : "";
      if (focusResults && count) {
        count.setAttribute("tabindex", "-1");
        count.focus();
      }
    }).catch(function () { /* aborted by a newer search, or offline: the forms still post */ });
  }

  function search() {
    var q = input.value.trim();
    if (q.length < 2) {
      output.textContent = "";
      live.textContent = "";
      return;
    }
    post(new URLSearchParams(new FormData(form)), false);
  }

  input.addEventListener("input", function () {
    window.clearTimeout(timer);
    timer = window.setTimeout(search, 250);
  });
  // Every form of the search page: the search box, and in the results the
  // word meant, a section filter and the pages, with the button pressed.
  root.addEventListener("submit", function (e) {
    var f = e.target;
    if (f.getAttribute("action") !== form.getAttribute("action")) {
      return;
    }
    e.preventDefault();
    window.clearTimeout(timer);
    var params = new URLSearchParams(new FormData(f));
    if (e.submitter && e.submitter.name) {
      params.set(e.submitter.name, e.submitter.value);
    }
    if (f !== form && params.has("q")) {
      input.value = params.get("q");
    }
    post(params, f !== form);
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
