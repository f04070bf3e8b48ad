// Redoc (styled-components) adds <style> elements at run time; under a
// strict CSP they need the page's nonce, which styled-components reads here.
"use strict";
window.__webpack_nonce__ = document.currentScript.dataset.nonce;
