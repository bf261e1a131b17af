/* Printing a dashboard: every closed <details> element opens for the print (print.css cannot
   open them) and closes again afterwards, so that the screen is left as it was. */
(function () {
  "use strict";
  var opened = [];
  window.addEventListener("beforeprint", function () {
    opened = Array.prototype.slice.call(document.querySelectorAll("details:not([open])"));
    opened.forEach(function (element) { element.open = true; });
  });
  window.addEventListener("afterprint", function () {
    opened.forEach(function (element) { element.open = false; });
    opened = [];
  });
})();
