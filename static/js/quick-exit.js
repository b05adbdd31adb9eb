/*
 * Quick exit, enhanced. Without JavaScript the button is a plain link and still works.
 * With it: the page is hidden at once, then the browser leaves; pressing Shift three times
 * (each within 5 seconds of the last, on its own, not as a modifier) does the same; the page
 * is shown again if the browser brings it back from its back/forward cache.
 */
(function () {
  "use strict";
  var button = document.getElementById("quick-exit");
  if (!button) {
    return;
  }
  var overlay = document.getElementById("quick-exit-overlay");
  var status = document.getElementById("quick-exit-status");
  var root = document.documentElement;
  var presses = 0;
  var lastPress = 0;
  var WINDOW_MS = 5000;

  function leave() {
    root.classList.add("is-exiting");
    if (overlay) {
      overlay.hidden = false;
    }
    if (status) {
      status.textContent = button.dataset.leaving || "";
    }
    window.location.href = button.href;
  }

  button.addEventListener("click", function (event) {
    event.preventDefault();
    leave();
  });

  document.addEventListener("keydown", function (event) {
    if (event.key !== "Shift") {
      presses = 0;
      return;
    }
    if (event.repeat) {
      return;
    }
    var now = Date.now();
    presses = now - lastPress <= WINDOW_MS ? presses + 1 : 1;
    lastPress = now;
    if (presses >= 3) {
      presses = 0;
      leave();
    } else if (status) {
      status.textContent = presses === 1 ? button.dataset.pressTwo : button.dataset.pressOne;
    }
  });

  window.addEventListener("pageshow", function () {
    root.classList.remove("is-exiting");
    if (overlay) {
      overlay.hidden = true;
    }
    if (status) {
      status.textContent = "";
    }
    presses = 0;
  });
})();
