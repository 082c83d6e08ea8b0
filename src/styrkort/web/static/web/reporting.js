/* The reporting page: rows with unsaved changes ("dirty"), "Spara alla ändringar" (each
   changed row's form submitted in turn through htmx, then a summary), a warning before
   leaving with unsaved changes, and the "Visa bara det som saknas" filter. Texts come
   from data-attributes on .reporting-page; the page works without this file. */
(function () {
  "use strict";
  var page = null;

  function rows() { return Array.prototype.slice.call(document.querySelectorAll("tbody.report-row")); }
  function dirtyRows() { return rows().filter(function (r) { return r.dataset.dirty === "true"; }); }
  function formOf(row) { return row.querySelector("form.row-form"); }
  function text(name) { return page ? page.getAttribute("data-" + name) || "" : ""; }

  function setSummary(message) {
    document.querySelectorAll(".save-summary").forEach(function (p) { p.textContent = message; });
  }

  function applyFilter() {
    var box = document.getElementById("only-missing");
    if (!box) { return; }
    rows().forEach(function (row) {
      row.hidden = box.checked && row.dataset.complete === "true" && row.dataset.dirty !== "true";
    });
  }

  function saveAll() {
    var queue = dirtyRows();
    if (!queue.length) { setSummary(text("summary-none")); return; }
    var saved = 0, failed = 0;
    setSummary(text("summary-busy"));
    function next() {
      var row = queue.shift();
      if (!row) {
        var parts = [saved + " " + text(saved === 1 ? "summary-saved-one" : "summary-saved")];
        if (failed) { parts.push(failed + " " + text(failed === 1 ? "summary-errors-one" : "summary-errors")); }
        setSummary(parts.join(", ") + ".");
        applyFilter();
        return;
      }
      var form = formOf(row);
      if (!form) { next(); return; }
      // Listen on the form itself: the swap takes it out of the page before htmx
      // announces the end of the request, so the event never reaches the document.
      var done = function (event) {
        if (event.detail.elt !== form) { return; }
        form.removeEventListener("htmx:afterRequest", done);
        var ok = event.detail.xhr && event.detail.xhr.status === 200;
        if (ok) { saved += 1; } else { failed += 1; }
        // Let htmx swap the row before the next one is sent.
        window.setTimeout(next, 0);
      };
      form.addEventListener("htmx:afterRequest", done);
      window.htmx.trigger(form, "submit");
    }
    next();
  }

  document.addEventListener("DOMContentLoaded", function () {
    page = document.querySelector(".reporting-page");
    if (!page) { return; }
    document.querySelectorAll(".save-all").forEach(function (b) {
      if (window.htmx) { b.hidden = false; }
      b.addEventListener("click", saveAll);
    });
    var box = document.getElementById("only-missing");
    if (box) {
      var apply = page.querySelector(".filter-apply");
      if (apply) { apply.hidden = true; }
      box.addEventListener("change", function () {
        if (box.dataset.serverFiltered === "true") {
          box.form.submit();  // the server left the complete rows out: fetch them
          return;
        }
        applyFilter();
      });
      applyFilter();
    }
  });

  // A row changes when one of its fields does (its inputs sit in the row's cells and
  // belong to the row's form through the form attribute).
  document.addEventListener("input", function (event) {
    var row = event.target.closest && event.target.closest("tbody.report-row");
    if (row && event.target.form) { row.dataset.dirty = "true"; }
  });

  // After a swap the row is as the server sent it: clean when saved (200), still
  // changed when it came back with errors or a conflict (the typed text is kept).
  document.addEventListener("htmx:afterSwap", function (event) {
    var row = event.detail.target;
    var fresh = row && row.id ? document.getElementById(row.id) : null;
    if (!fresh || !fresh.classList.contains("report-row")) { return; }
    var status = event.detail.xhr ? event.detail.xhr.status : 200;
    if (status === 200) { delete fresh.dataset.dirty; } else { fresh.dataset.dirty = "true"; }
  });

  window.addEventListener("beforeunload", function (event) {
    if (!page || dirtyRows().length === 0) { return; }
    event.preventDefault();
    event.returnValue = text("unsaved-warning");
    return event.returnValue;
  });
})();
