// Save a job without reloading the page. Without this script the form
// posts and the page comes back with a message: it works the same.
(function () {
  "use strict";
  function onSubmit(event) {
    var form = event.target.closest("form[data-save-job]");
    if (!form || !window.fetch) {
      return;
    }
    event.preventDefault();
    var button = form.querySelector("button");
    var action = form.querySelector("input[name=action]");
    var status = form.querySelector(".save-job-status");
    button.disabled = true;
    // form.action would be the input named "action": read the attribute.
    fetch(form.getAttribute("action"), {
      method: "POST",
      body: new FormData(form),
      headers: { Accept: "application/json" },
      credentials: "same-origin",
    })
      .then(function (response) {
        return response.json().then(function (data) {
          return { ok: response.ok, data: data };
        });
      })
      .then(function (result) {
        if (result.ok) {
          var saved = Boolean(result.data.saved);
          action.value = saved ? "remove" : "save";
          button.setAttribute("aria-pressed", saved ? "true" : "false");
          button.textContent = saved ? button.dataset.labelSaved : button.dataset.labelSave;
        }
        status.textContent = result.data.message || "";
      })
      .catch(function () {
        form.submit();
      })
      .finally(function () {
        button.disabled = false;
      });
  }
  document.addEventListener("submit", onSubmit);
})();
