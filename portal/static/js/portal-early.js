/* Città della Pace: runs before Bootstrap Italia's bundle (both deferred, in order).
   The bundle's video.js would inject a <style> element, which the Content Security Policy
   (style-src 'self') blocks: its default styles are in bootstrap-italia.min.css already. */
window.VIDEOJS_NO_DYNAMIC_STYLE = true;
