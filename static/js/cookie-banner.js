// The cookie banner sticks to the bottom of the screen until the visitor
// chooses. Its height depends on the language and the screen width (three
// lines in English on a phone, five in Burmese), so the space the browser
// keeps free below a focused field (scroll-padding-bottom, site.css) follows
// the banner's real height here. Without JavaScript the stylesheet's fallback
// covers the tallest banner on a phone.
(function () {
  "use strict";
  var banner = document.querySelector(".cookie-banner");
  if (!banner) {
    return;
  }
  var root = document.documentElement;
  function measure() {
    root.style.setProperty("--cookie-banner-height", banner.offsetHeight + "px");
  }
  measure();
  if ("ResizeObserver" in window) {
    new ResizeObserver(measure).observe(banner);
  } else {
    window.addEventListener("resize", measure);
  }
})();
