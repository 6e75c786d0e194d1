/* Città della Pace: the "copy the calendar address" buttons (templates/eventi/includes/
   subscribe.html). Without JavaScript the button stays hidden and the read-only field can be
   selected and copied by hand. */
(function () {
  "use strict";
  function announce(button, key) {
    var status = document.getElementById(button.dataset.copyStatus);
    if (status) { status.textContent = button.dataset[key]; }
  }
  function fallback(field) {
    field.focus();
    field.select();
    try { return document.execCommand("copy"); } catch (error) { return false; }
  }
  document.querySelectorAll("[data-copy-target]").forEach(function (button) {
    if (button.dataset.copyReady) { return; }  // the box may be on the page more than once
    button.dataset.copyReady = "1";
    var field = document.getElementById(button.dataset.copyTarget);
    if (!field) { return; }
    button.hidden = false;
    button.addEventListener("click", function () {
      if (navigator.clipboard && window.isSecureContext) {
        navigator.clipboard.writeText(field.value).then(
          function () { announce(button, "copied"); },
          function () { announce(button, fallback(field) ? "copied" : "copyFailed"); }
        );
      } else {
        announce(button, fallback(field) ? "copied" : "copyFailed");
      }
    });
  });
})();
