/* Styrkort: small progressive enhancements on top of htmx. Every page works without it. */
(function () {
  "use strict";
  // Loaded in <head> without defer: this mark is set before the first paint, so a phone
  // never sees the header's menu open and then close.
  document.documentElement.classList.add("js-menu");
  var english = function () { return document.documentElement.lang === "en"; };
  document.addEventListener("htmx:afterSwap", function (event) {
    // After an inline save with errors, move focus to the first field in error so that
    // keyboard and screen-reader users land on the message.
    var invalid = event.detail.target && event.detail.target.querySelector
      ? document.querySelector("#" + CSS.escape(event.detail.target.id || "") + " [aria-invalid='true']")
      : null;
    if (invalid) { invalid.focus(); }
  });
  document.addEventListener("htmx:beforeRequest", function (event) {
    var elt = event.detail.elt;
    if (elt && elt.tagName === "FORM") { elt.setAttribute("aria-busy", "true"); }
  });
  document.addEventListener("htmx:afterRequest", function (event) {
    var elt = event.detail.elt;
    if (elt && elt.removeAttribute) { elt.removeAttribute("aria-busy"); }
  });
  document.addEventListener("htmx:responseError", function (event) {
    var target = event.detail.target;
    if (!target) { return; }
    var note = document.createElement("p");
    note.className = "error-text";
    note.setAttribute("role", "alert");
    note.textContent = document.documentElement.lang === "en"
      ? "Something went wrong; nothing was saved. Reload the page and try again."
      : "Något gick fel och inget sparades. Ladda om sidan och försök igen.";
    target.appendChild(note);
  });

  // A table wider than its box scrolls sideways in its .table-wrap: the keyboard must
  // reach that scroller (WCAG 2.1.1), so it becomes a named, focusable region while it
  // overflows (the name is its table's caption). Wrappers a template made focusable
  // itself (data-scroll-region absent, tabindex present) are left alone.
  // A table a template did not wrap (and that is not laid out as blocks on a phone,
  // table.stack) gets a .table-wrap of its own, so that it scrolls in its box rather
  // than making the whole page scroll sideways.
  function wrapTables() {
    document.querySelectorAll("main table:not(.stack)").forEach(function (table) {
      var parent = table.parentElement;
      if (!parent || parent.classList.contains("table-wrap") || table.closest(".no-wrap")) { return; }
      var wrap = document.createElement("div");
      wrap.className = "table-wrap";
      parent.insertBefore(wrap, table);
      wrap.appendChild(table);
    });
  }
  function markScrollers() {
    wrapTables();
    document.querySelectorAll(".table-wrap").forEach(function (wrap) {
      var managed = wrap.hasAttribute("data-scroll-region");
      if (!managed && wrap.hasAttribute("tabindex")) { return; }
      if (wrap.scrollWidth > wrap.clientWidth + 1) {
        var caption = wrap.querySelector("caption");
        wrap.setAttribute("data-scroll-region", "");
        wrap.setAttribute("tabindex", "0");
        wrap.setAttribute("role", "region");
        wrap.setAttribute("aria-label", caption ? caption.textContent.trim() : document.title);
      } else if (managed) {
        ["data-scroll-region", "tabindex", "role", "aria-label"].forEach(function (name) {
          wrap.removeAttribute(name);
        });
      }
    });
  }
  document.addEventListener("DOMContentLoaded", markScrollers);
  document.addEventListener("htmx:afterSettle", markScrollers);
  var resizing = null;
  window.addEventListener("resize", function () {
    clearTimeout(resizing);
    resizing = setTimeout(markScrollers, 150);
  });

  // The header's menu on a phone: "Meny" opens and closes it; Escape closes it and
  // gives the focus back to the button.
  function setUpMenu() {
    var toggle = document.querySelector(".menu-toggle");
    var menu = document.getElementById("site-menu");
    if (!toggle || !menu) { return; }
    toggle.hidden = false;
    function show(open) {
      toggle.setAttribute("aria-expanded", open ? "true" : "false");
      menu.classList.toggle("open", open);
    }
    toggle.addEventListener("click", function () {
      show(toggle.getAttribute("aria-expanded") !== "true");
    });
    document.addEventListener("keydown", function (event) {
      if (event.key === "Escape" && menu.classList.contains("open")) {
        show(false);
        toggle.focus();
      }
    });
  }

  // Collapsible sections: a <section data-collapsible id="..."> whose first heading gets
  // a button (aria-expanded) that shows and hides the rest of the section (the heading
  // and the elements that hold it stay). The state is remembered per page and section in
  // localStorage; printed, every section is open. Without script the sections are open.
  var STORE = "styrkort:collapsed:";
  function storedCollapsed(key) {
    try { return window.localStorage.getItem(STORE + key) === "1"; } catch (e) { return false; }
  }
  function storeCollapsed(key, collapsed) {
    try {
      if (collapsed) { window.localStorage.setItem(STORE + key, "1"); }
      else { window.localStorage.removeItem(STORE + key); }
    } catch (e) { /* storage refused: the state lasts for this view */ }
  }
  function setUpCollapsibles(root) {
    root.querySelectorAll("[data-collapsible]").forEach(function (section) {
      if (section.hasAttribute("data-collapsible-ready") || !section.id) { return; }
      var heading = section.querySelector("h2, h3, h4");
      // A heading that holds a link or a control cannot become a button.
      if (!heading || heading.querySelector("a, button, input, select, textarea")) { return; }
      var button = document.createElement("button");
      button.type = "button";
      button.className = "collapsible-toggle";
      button.setAttribute("aria-controls", section.id);
      while (heading.firstChild) { button.appendChild(heading.firstChild); }
      heading.appendChild(button);
      for (var node = button; node && node !== section; node = node.parentElement) {
        node.setAttribute("data-collapsible-path", "");
      }
      var key = location.pathname + "#" + section.id;
      function show(open, remember) {
        button.setAttribute("aria-expanded", open ? "true" : "false");
        section.classList.toggle("is-collapsed", !open);
        if (remember) { storeCollapsed(key, !open); }
      }
      button.addEventListener("click", function () {
        show(button.getAttribute("aria-expanded") !== "true", true);
      });
      section.openSection = function () { show(true, true); };
      show(!storedCollapsed(key), false);
      section.setAttribute("data-collapsible-ready", "");
    });
  }
  // A link to a folded section (the table of contents, an address with #) opens it.
  function openTarget() {
    if (!location.hash) { return; }
    var target = document.getElementById(decodeURIComponent(location.hash.slice(1)));
    var section = target && target.closest ? target.closest("[data-collapsible-ready]") : null;
    if (section && section.classList.contains("is-collapsed")) { section.openSection(); }
  }
  // An empty <nav class="page-toc" data-toc> is filled with links to the page's
  // collapsible sections (pages that render their own list keep it).
  function fillToc() {
    document.querySelectorAll("nav[data-toc]").forEach(function (nav) {
      if (nav.querySelector("a")) { return; }
      var list = document.createElement("ul");
      document.querySelectorAll("[data-collapsible][id]").forEach(function (section) {
        var heading = section.querySelector("h2, h3, h4");
        if (!heading) { return; }
        var item = document.createElement("li");
        var link = document.createElement("a");
        link.href = "#" + section.id;
        link.textContent = heading.textContent.trim();
        item.appendChild(link);
        list.appendChild(item);
      });
      if (list.children.length) { nav.appendChild(list); } else { nav.hidden = true; }
    });
  }

  // Printed pages carry the page's unit, period and the print date at the top of every
  // sheet: the text of .print-header goes into the @page margin boxes (through the CSS
  // object model, which the Content-Security-Policy allows), and the date is that of
  // the printing. Without script the header is printed once, at the top.
  function printDate() {
    var now = new Date();
    var pad = function (n) { return (n < 10 ? "0" : "") + n; };
    return now.getFullYear() + "-" + pad(now.getMonth() + 1) + "-" + pad(now.getDate()) +
      " " + pad(now.getHours()) + ":" + pad(now.getMinutes());
  }
  function cssString(text) {
    return "\"" + text.replace(/\\/g, "\\\\").replace(/"/g, "\\\"").replace(/\s+/g, " ").trim() + "\"";
  }
  function setUpPrintHeader() {
    var header = document.querySelector(".print-header");
    if (!header) { return; }
    var title = header.querySelector(".print-title");
    var date = header.querySelector(".print-date-value");
    var rule = null;
    function update() {
      if (date) { date.textContent = printDate(); }
      var sheet = null;
      for (var i = 0; i < document.styleSheets.length; i += 1) {
        var href = document.styleSheets[i].href || "";
        if (href.indexOf("styrkort.css") !== -1) { sheet = document.styleSheets[i]; break; }
      }
      if (!sheet) { return; }
      try {
        if (rule !== null) { sheet.deleteRule(rule); }
        var right = header.querySelector(".print-date").textContent;
        rule = sheet.insertRule("@page { @top-left { content: " + cssString(title ? title.textContent : "") +
          "; } @top-right { content: " + cssString(right) + "; } }", sheet.cssRules.length);
        document.documentElement.classList.add("print-margins");
      } catch (e) { rule = null; }
    }
    update();
    window.addEventListener("beforeprint", update);
  }

  document.addEventListener("DOMContentLoaded", function () {
    setUpMenu();
    setUpCollapsibles(document);
    fillToc();
    openTarget();
    setUpPrintHeader();
  });
  window.addEventListener("hashchange", openTarget);
})();
