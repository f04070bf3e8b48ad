// The pipeline board: drag a card to another column to move the application.
// The move is the same form its button submits (one hidden form per allowed
// move), so the server decides and the candidate is told exactly as without
// JavaScript. Buttons stay for keyboards and for browsers without drag and drop.
(function () {
  "use strict";
  var board = document.querySelector("[data-board]");
  if (!board) {
    return;
  }
  var dragged = null;
  var cards = board.querySelectorAll(".board-card");
  for (var i = 0; i < cards.length; i++) {
    cards[i].setAttribute("draggable", "true");
    cards[i].addEventListener("dragstart", function (event) {
      dragged = this.getAttribute("data-application");
      event.dataTransfer.setData("text/plain", dragged);
      event.dataTransfer.effectAllowed = "move";
    });
    cards[i].addEventListener("dragend", function () {
      dragged = null;
    });
  }
  function moveForm(application, state) {
    return document.getElementById("move-" + application + "-" + state);
  }
  var columns = board.querySelectorAll(".board-column");
  for (var j = 0; j < columns.length; j++) {
    columns[j].addEventListener("dragover", function (event) {
      if (dragged && moveForm(dragged, this.getAttribute("data-state"))) {
        event.preventDefault();
        this.classList.add("board-drop");
      }
    });
    columns[j].addEventListener("dragleave", function () {
      this.classList.remove("board-drop");
    });
    columns[j].addEventListener("drop", function (event) {
      event.preventDefault();
      this.classList.remove("board-drop");
      var application = event.dataTransfer.getData("text/plain") || dragged;
      var form = moveForm(application, this.getAttribute("data-state"));
      if (form) {
        form.submit();
      }
    });
  }
})();
