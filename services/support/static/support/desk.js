// The service desk's ticket page (support/central_detail.html). Without this file the page
// still works: "Use" reloads the page with the canned answer in the reply box, and the live
// part polls whether the tab is seen or not.
(function () {
  "use strict";
  // Pause the live part's polling while the tab is hidden; ask at once when it is seen again.
  document.addEventListener("htmx:beforeRequest", function (event) {
    var elt = event.detail && event.detail.elt;
    if (elt && elt.id === "desk-live" && document.hidden) {
      event.preventDefault();
    }
  });
  document.addEventListener("visibilitychange", function () {
    if (!document.hidden) {
      document.body.dispatchEvent(new Event("desk-visible"));
    }
  });
  // Insert the chosen canned answer into the reply box, where the cursor is.
  document.addEventListener("click", function (event) {
    var button = event.target.closest && event.target.closest("#use-canned");
    var select = document.getElementById("canned");
    var box = document.getElementById("id_body");
    if (!button || !select || !box) {
      return;
    }
    event.preventDefault();
    var text = select.options[select.selectedIndex].getAttribute("data-text") || "";
    var at = box.selectionStart || box.value.length;
    box.value = box.value.slice(0, at) + text + box.value.slice(at);
    box.focus();
    box.dispatchEvent(new Event("input", { bubbles: true }));
  });
})();
