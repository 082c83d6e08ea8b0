/* Styrkort: small progressive enhancements on top of htmx. Every page works without it. */
(function () {
  "use strict";
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
  function markScrollers() {
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
})();
