// Redoc under a strict CSP, loaded before Redoc's bundle.
// 1. Redoc (styled-components) adds <style> elements at run time; each needs
//    this page's nonce. The standalone bundle keeps webpack's nonce to itself
//    (window.__webpack_nonce__ is never read), so the nonce is given to every
//    <style> element as it is created. The page's style-src allows that nonce
//    and nothing inline.
// 2. Redoc's menu shows Redocly's logo from cdn.redoc.ly: we load nothing from
//    other hosts, so an image from elsewhere gets no address and an error
//    event instead (Redoc then hides the logo).
"use strict";
(function () {
  var nonce = document.currentScript.dataset.nonce;
  var create = document.createElement;

  function isLocal(value) {
    var url = new URL(String(value), document.baseURI);
    return url.origin === window.location.origin || url.protocol === "data:";
  }

  function guardImage(image) {
    var setAttribute = image.setAttribute;
    function refuse() {
      window.setTimeout(function () {
        image.dispatchEvent(new Event("error"));
      }, 0);
    }
    image.setAttribute = function (name, value) {
      if (String(name).toLowerCase() === "src" && !isLocal(value)) {
        refuse();
        return;
      }
      setAttribute.call(image, name, value);
    };
    Object.defineProperty(image, "src", {
      configurable: true,
      get: function () {
        return image.getAttribute("src") || "";
      },
      set: function (value) {
        image.setAttribute("src", value);
      },
    });
  }

  document.createElement = function (tagName) {
    var element = create.apply(document, arguments);
    var tag = String(tagName).toLowerCase();
    if (tag === "style" && nonce) {
      element.nonce = nonce;
      element.setAttribute("nonce", nonce);
    } else if (tag === "img") {
      guardImage(element);
    }
    return element;
  };
})();
