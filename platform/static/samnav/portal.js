// The portal's one script, loaded on every page. Without it every page still works.
(function () {
  "use strict";
  // A form sent with mistakes comes back with an error summary marked autofocus. Browsers skip
  // autofocus when the address has a fragment (after the skip link, #content is kept in the
  // address a form is sent to), so the focus is moved to the summary here once the page has
  // loaded, unless the person has already moved it.
  window.addEventListener("load", function () {
    var summary = document.querySelector(".error-summary[autofocus]");
    var active = document.activeElement;
    if (summary && (!active || active === document.body || active.id === "content")) {
      summary.focus();
    }
  });
})();
