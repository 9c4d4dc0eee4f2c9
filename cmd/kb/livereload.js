// kb serve only: reload the page when the site has been rebuilt (or a rebuild failed).
(function () {
  "use strict";
  var events = new EventSource("/_kb/events");
  events.addEventListener("reload", function () {
    window.location.reload();
  });
})();
