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
})();
