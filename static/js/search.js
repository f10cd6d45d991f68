// Suggestions while typing, for every search box with data-suggest-url (the header box, /search/).
// An ARIA 1.2 combobox: arrow keys move through the list, Enter opens the chosen suggestion,
// Escape closes the list. Without this script the boxes are plain search forms.
(function () {
  "use strict";
  var TYPE_LABELS = {
    resource: "科普资源", core_message: "核心信息", campaign: "宣传活动", page: "页面",
    facility: "服务机构", service: "服务项目", term: "搜索词"
  };
  var counter = 0;

  // The suggestion list's styles live in search.css, which /search/ links; elsewhere load it here.
  var script = document.currentScript;
  if (script && !document.querySelector('link[href$="css/search.css"]')) {
    var link = document.createElement("link");
    link.rel = "stylesheet";
    link.href = script.src.replace(/js\/search\.js(\?.*)?$/, "css/search.css");
    document.head.appendChild(link);
  }

  function setUp(input) {
    var url = input.getAttribute("data-suggest-url");
    if (!url) { return; }
    counter += 1;
    var listId = "suggest-list-" + counter;
    var list = document.createElement("ul");
    list.id = listId;
    list.className = "suggest-list";
    list.setAttribute("role", "listbox");
    list.setAttribute("aria-label", "搜索建议");
    list.hidden = true;
    input.parentNode.appendChild(list);
    input.setAttribute("role", "combobox");
    input.setAttribute("aria-autocomplete", "list");
    input.setAttribute("aria-expanded", "false");
    input.setAttribute("aria-controls", listId);
    var items = [];
    var active = -1;
    var timer = null;
    var lastQuery = "";
    var controller = null;

    function close() {
      list.hidden = true;
      input.setAttribute("aria-expanded", "false");
      input.removeAttribute("aria-activedescendant");
      active = -1;
    }

    function choose(index) {
      var item = items[index];
      if (item && item.url) { window.location.href = item.url; }
    }

    function mark(index) {
      var options = list.querySelectorAll("li");
      for (var i = 0; i < options.length; i++) {
        options[i].setAttribute("aria-selected", i === index ? "true" : "false");
      }
      active = index;
      if (index >= 0 && options[index]) {
        input.setAttribute("aria-activedescendant", options[index].id);
        options[index].scrollIntoView({ block: "nearest" });
      } else {
        input.removeAttribute("aria-activedescendant");
      }
    }

    function render(suggestions) {
      items = suggestions;
      list.textContent = "";
      suggestions.forEach(function (s, i) {
        var li = document.createElement("li");
        li.id = listId + "-" + i;
        li.setAttribute("role", "option");
        li.setAttribute("aria-selected", "false");
        var text = document.createElement("span");
        text.textContent = s.text;  // never innerHTML: suggestions are data
        var type = document.createElement("span");
        type.className = "suggest-list__type";
        type.textContent = TYPE_LABELS[s.type] || "";
        li.appendChild(text);
        li.appendChild(type);
        li.addEventListener("mousedown", function (event) { event.preventDefault(); choose(i); });
        list.appendChild(li);
      });
      if (suggestions.length) {
        list.hidden = false;
        input.setAttribute("aria-expanded", "true");
      } else {
        close();
      }
      active = -1;
    }

    function fetchSuggestions() {
      var q = input.value.trim();
      if (q === lastQuery) { return; }
      lastQuery = q;
      if (!q) { render([]); return; }
      if (controller) { controller.abort(); }
      controller = window.AbortController ? new AbortController() : null;
      fetch(url + "?q=" + encodeURIComponent(q), controller ? { signal: controller.signal } : {})
        .then(function (r) { return r.ok ? r.json() : { suggestions: [] }; })
        .then(function (data) { if (input.value.trim() === q) { render(data.suggestions || []); } })
        .catch(function () { /* a failed suggestion request leaves the plain search box */ });
    }

    input.addEventListener("input", function () {
      clearTimeout(timer);
      timer = setTimeout(fetchSuggestions, 120);
    });
    input.addEventListener("keydown", function (event) {
      if (list.hidden && event.key !== "ArrowDown") { return; }
      if (event.key === "ArrowDown") {
        event.preventDefault();
        if (list.hidden) { lastQuery = ""; fetchSuggestions(); return; }
        mark(Math.min(active + 1, items.length - 1));
      } else if (event.key === "ArrowUp") {
        event.preventDefault();
        mark(Math.max(active - 1, -1));
      } else if (event.key === "Enter" && active >= 0) {
        event.preventDefault();
        choose(active);
      } else if (event.key === "Escape") {
        close();
      }
    });
    input.addEventListener("blur", function () { setTimeout(close, 150); });
  }

  document.querySelectorAll("input[data-suggest-url]").forEach(setUp);
})();
