/* Città della Pace: site-wide behaviour. Loaded as an external file so the
   Content Security Policy needs no 'unsafe-inline'. */
(function () {
  "use strict";
  // Fonts come from css/fonts.css (a <link>): bootstrap.loadFonts() is never called, since
  // it injects a <style> element that the Content Security Policy blocks.
  // The page rating (home/includes/page_rating.html): step 2 appears once a rating is
  // chosen, with the follow-up question that fits it (what went well for 4-5, else what
  // went wrong).
  document.querySelectorAll("[data-feedback]").forEach(function (form) {
    var details = form.querySelector("[data-feedback-details]");
    var positive = form.querySelector('[data-element="feedback-rating-positive"]');
    var negative = form.querySelector('[data-element="feedback-rating-negative"]');
    var threshold = Number(form.getAttribute("data-positive-threshold") || 3);
    if (!details || !positive || !negative) { return; }
    function update() {
      var checked = form.querySelector('input[name="rating"]:checked');
      details.hidden = !checked;
      var good = !!checked && Number(checked.value) > threshold;
      positive.hidden = !checked || !good;
      negative.hidden = !checked || good;
    }
    form.addEventListener("change", function (event) {
      if (event.target.name === "rating") { update(); }
    });
    update();
  });
  // Elements that ask to be submitted on change (e.g. the language switcher, filters).
  document.querySelectorAll("[data-autosubmit]").forEach(function (el) {
    el.addEventListener("change", function () {
      if (el.form) { el.form.submit(); }
    });
  });
  // The month grid (templates/eventi/includes/month_grid.html): one day is in the Tab order
  // (today, else the first), the arrow keys move between days, Home/End to the week's ends.
  document.querySelectorAll("[data-month-grid]").forEach(function (grid) {
    var days = Array.prototype.slice.call(grid.querySelectorAll("td[data-day]"));
    if (!days.length) { return; }
    var current = grid.querySelector("td[aria-current]") || days[0];
    current.tabIndex = 0;
    var steps = { ArrowLeft: -1, ArrowRight: 1, ArrowUp: -7, ArrowDown: 7 };
    grid.addEventListener("keydown", function (event) {
      var cell = event.target.closest("td[data-day]");
      if (!cell || event.target !== cell) { return; }
      var at = days.indexOf(cell);
      var to = at;
      if (event.key in steps) { to = at + steps[event.key]; }
      else if (event.key === "Home") { to = at - (cell.cellIndex); }
      else if (event.key === "End") { to = at + (6 - cell.cellIndex); }
      else { return; }
      to = Math.max(0, Math.min(days.length - 1, to));
      event.preventDefault();
      cell.tabIndex = -1;
      days[to].tabIndex = 0;
      days[to].focus();
    });
  });
  // A form's confirmation (templates/includes/confirmation.html): move the focus to it, so
  // that it is read out and seen even when the page reloads elsewhere.
  var confirmation = document.querySelector("[data-confirmation]");
  if (confirmation) { confirmation.focus(); }
})();
