// Served by `handbook serve` only, never published: waits for the next rebuild, then reloads.
// The page's version comes from the script tag, so a rebuild between loading the page and
// the first poll is not missed.
(function () {
  "use strict";
  var version = document.currentScript.getAttribute("data-version");
  function poll() {
    fetch("/__handbook/reload?v=" + encodeURIComponent(version), { cache: "no-store" })
      .then(function (response) {
        if (!response.ok) throw new Error("status " + response.status);
        return response.text();
      })
      .then(function (current) {
        if (current.trim() !== version) location.reload();
        else poll();
      })
      .catch(function () {
        // The server restarts or is gone: try again shortly.
        setTimeout(poll, 1000);
      });
  }
  poll();
})();
