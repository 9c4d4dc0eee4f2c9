// Quick exit. The "Snel weg" / "Exit this page" link works without JavaScript;
// this script adds what only a script can: pressing Shift three times (each within
// five seconds of the last) also leaves, the page is blanked at once, and
// location.replace() takes its place in the history, so Back does not return to it.
(function () {
  "use strict";
  var link = document.querySelector(".kb-js-exit-this-page");
  if (!link) {
    return;
  }
  var presses = 0;
  var timer = null;

  function exit(event) {
    if (event) {
      event.preventDefault();
    }
    document.documentElement.classList.add("kb-exiting");
    window.location.replace(link.href);
  }

  link.addEventListener("click", exit);
  document.addEventListener("keyup", function (event) {
    if (event.key !== "Shift") {
      presses = 0;
      return;
    }
    presses += 1;
    window.clearTimeout(timer);
    timer = window.setTimeout(function () {
      presses = 0;
    }, 5000);
    if (presses >= 3) {
      presses = 0;
      exit();
    }
  });
  // Coming back from the browser's page cache: stay blank and leave again.
  window.addEventListener("pageshow", function (event) {
    if (event.persisted && document.documentElement.classList.contains("kb-exiting")) {
      window.location.replace(link.href);
    }
  });
})();
