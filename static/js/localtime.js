// Interview times are written in Japan time (JST); where JavaScript runs and
// the browser is in another time zone, the viewer's own time is added after
// each <time data-local-time datetime="ISO 8601">. Without it the page shows
// JST and its UTC offset, which is enough.
(function () {
  "use strict";
  var zone;
  try {
    zone = Intl.DateTimeFormat().resolvedOptions().timeZone;
  } catch (e) {
    return;
  }
  if (!zone || zone === "Asia/Tokyo") {
    return;
  }
  var lang = document.documentElement.lang || undefined;
  var nodes = document.querySelectorAll("time[data-local-time]");
  for (var i = 0; i < nodes.length; i++) {
    var when = new Date(nodes[i].getAttribute("datetime"));
    if (isNaN(when.getTime())) {
      continue;
    }
    // Not dateStyle/timeStyle: they cannot be combined with timeZoneName
    // (a TypeError that stopped the script before it wrote anything).
    var text = new Intl.DateTimeFormat(lang, {
      year: "numeric",
      month: "short",
      day: "numeric",
      hour: "numeric",
      minute: "2-digit",
      timeZone: zone,
      timeZoneName: "short",
    }).format(when);
    var span = document.createElement("span");
    span.className = "local-time";
    span.textContent = " · " + text;
    nodes[i].insertAdjacentElement("afterend", span);
  }
})();
