// Loads a third-party video only after the visitor asks for it (no cookies before consent).
(function () {
  "use strict";
  function load(container) {
    var src = container.getAttribute("data-embed-src");
    if (!src || !/^https:\/\/(www\.youtube-nocookie\.com|player\.vimeo\.com)\//.test(src)) {
      return;
    }
    var iframe = document.createElement("iframe");
    iframe.src = src + (src.indexOf("?") === -1 ? "?" : "&") + "autoplay=1";
    iframe.title = container.getAttribute("data-embed-title") || "";
    iframe.allow = "autoplay; fullscreen; picture-in-picture";
    iframe.allowFullscreen = true;
    iframe.loading = "lazy";
    container.replaceChildren(iframe);
    iframe.focus();
  }
  document.addEventListener("click", function (event) {
    var button = event.target.closest("[data-video-consent-button]");
    if (!button) {
      return;
    }
    var container = button.closest("[data-video-consent]");
    if (container) {
      load(container);
    }
  });
})();
