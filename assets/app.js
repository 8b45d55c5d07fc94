// Autocomplete for the search box, following the WAI-ARIA 1.2 combobox
// pattern (list autocomplete). The form works without it: this only adds
// suggestions, so any failure leaves the plain search box.
(function () {
  "use strict";

  var DELAY = 150;
  var MIN_CHARS = 2;

  function enhance(row) {
    var input = row.querySelector("input[type=search]");
    if (!input || !window.fetch) { return; }
    var lang = document.documentElement.lang || "en";
    var listId = input.id + "-suggestions";
    var list = document.createElement("ul");
    list.id = listId;
    list.className = "suggest";
    list.setAttribute("role", "listbox");
    list.setAttribute("aria-label", input.labels && input.labels[0] ? input.labels[0].textContent : "");
    list.hidden = true;
    row.appendChild(list);

    var status = document.createElement("div");
    status.className = "visually-hidden";
    status.setAttribute("role", "status");
    status.setAttribute("aria-live", "polite");
    row.appendChild(status);

    input.setAttribute("role", "combobox");
    input.setAttribute("aria-autocomplete", "list");
    input.setAttribute("aria-expanded", "false");
    input.setAttribute("aria-controls", listId);
    input.setAttribute("autocomplete", "off");

    var items = [];
    var active = -1;
    var timer = null;
    var controller = null;

    function close() {
      list.hidden = true;
      input.setAttribute("aria-expanded", "false");
      input.removeAttribute("aria-activedescendant");
      active = -1;
    }

    function highlight(i) {
      var options = list.children;
      for (var k = 0; k < options.length; k++) {
        options[k].setAttribute("aria-selected", k === i ? "true" : "false");
      }
      active = i;
      if (i >= 0) {
        input.setAttribute("aria-activedescendant", options[i].id);
      } else {
        input.removeAttribute("aria-activedescendant");
      }
    }

    function show(suggestions) {
      items = suggestions;
      list.textContent = "";
      suggestions.forEach(function (s, i) {
        var li = document.createElement("li");
        li.id = listId + "-" + i;
        li.className = "suggest__option";
        li.setAttribute("role", "option");
        li.setAttribute("aria-selected", "false");
        li.textContent = s.title;
        li.addEventListener("mousedown", function (e) { e.preventDefault(); go(i); });
        list.appendChild(li);
      });
      active = -1;
      if (suggestions.length === 0) { close(); status.textContent = ""; return; }
      list.hidden = false;
      input.setAttribute("aria-expanded", "true");
      status.textContent = suggestions.length === 1 ?
        (row.getAttribute("data-msg-one") || "") :
        (row.getAttribute("data-msg-many") || "").replace("{n}", String(suggestions.length));
    }

    function go(i) {
      if (items[i]) { window.location.assign(items[i].url); }
    }

    function fetchSuggestions() {
      var q = input.value.trim();
      if (q.length < MIN_CHARS) { close(); return; }
      if (controller) { controller.abort(); }
      controller = window.AbortController ? new AbortController() : null;
      var url = "/api/v1/suggest?q=" + encodeURIComponent(q) + "&lang=" + encodeURIComponent(lang);
      fetch(url, { headers: { "Accept": "application/json" }, signal: controller ? controller.signal : undefined })
        .then(function (r) { return r.ok ? r.json() : { suggestions: [] }; })
        .then(function (body) { if (input.value.trim() === q) { show(body.suggestions || []); } })
        .catch(function () { /* keep the plain search box */ });
    }

    input.addEventListener("input", function () {
      clearTimeout(timer);
      timer = setTimeout(fetchSuggestions, DELAY);
    });
    input.addEventListener("keydown", function (e) {
      var open = !list.hidden && items.length > 0;
      switch (e.key) {
        case "ArrowDown":
          if (!open) { fetchSuggestions(); return; }
          e.preventDefault();
          highlight(active + 1 >= items.length ? 0 : active + 1);
          break;
        case "ArrowUp":
          if (!open) { return; }
          e.preventDefault();
          highlight(active <= 0 ? items.length - 1 : active - 1);
          break;
        case "Enter":
          if (open && active >= 0) { e.preventDefault(); go(active); }
          break;
        case "Escape":
          if (open) { e.preventDefault(); close(); }
          break;
      }
    });
    input.addEventListener("blur", close);
  }

  var rows = document.querySelectorAll("[data-suggest]");
  for (var i = 0; i < rows.length; i++) { enhance(rows[i]); }
})();
