// Loads the analytics tags configured in settings. This file is only included
// in a page after the visitor consented to analytics cookies (see
// templates/consents/includes/analytics.html); no inline script is needed.
(function () {
  "use strict";
  var loader = document.getElementById("analytics-loader");
  if (!loader) { return; }
  var gaId = loader.getAttribute("data-ga-id");
  var clarityId = loader.getAttribute("data-clarity-id");
  function add(src) {
    var s = document.createElement("script");
    s.async = true;
    s.src = src;
    document.head.appendChild(s);
  }
  if (gaId && /^[A-Z0-9-]+$/i.test(gaId)) {
    window.dataLayer = window.dataLayer || [];
    window.gtag = function () { window.dataLayer.push(arguments); };
    window.gtag("js", new Date());
    window.gtag("config", gaId, { anonymize_ip: true });
    add("https://www.googletagmanager.com/gtag/js?id=" + encodeURIComponent(gaId));
  }
  if (clarityId && /^[a-z0-9]+$/i.test(clarityId)) {
    add("https://www.clarity.ms/tag/" + encodeURIComponent(clarityId));
  }
})();
