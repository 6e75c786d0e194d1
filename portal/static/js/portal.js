/* Città della Pace: site-wide behaviour. Loaded as an external file so the
   Content Security Policy needs no 'unsafe-inline'. */
(function () {
  "use strict";
  var script = document.currentScript;
  if (window.bootstrap && typeof window.bootstrap.loadFonts === "function" && script) {
    window.bootstrap.loadFonts(script.dataset.fonts);
  }
  // Elements that ask to be submitted on change (e.g. the language switcher, filters).
  document.querySelectorAll("[data-autosubmit]").forEach(function (el) {
    el.addEventListener("change", function () {
      if (el.form) { el.form.submit(); }
    });
  });
  // A form's confirmation (templates/includes/confirmation.html): move the focus to it, so
  // that it is read out and seen even when the page reloads elsewhere.
  var confirmation = document.querySelector("[data-confirmation]");
  if (confirmation) { confirmation.focus(); }
})();
