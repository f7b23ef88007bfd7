// Quick exit, for a person whose phone or computer someone else may check.
//
// Without JavaScript the "Leave this site now" link is an ordinary link to a
// neutral site. With JavaScript:
// - the link (or Escape pressed twice) hides the page at once and replaces
//   it in the tab's history with the neutral site, so Back does not return;
// - the footer's hint about Escape is shown (it is hidden without JavaScript);
// - links between pages of this site also replace the current history entry
//   instead of adding one, so the whole visit holds one entry in the tab's
//   history, and after a quick exit Back leads to whatever came before.
// Nothing is written to cookies, localStorage or sessionStorage.
(function () {
  "use strict";
  var link = document.querySelector("[data-quick-exit]");
  if (!link) { return; }

  function leave(event) {
    if (event) { event.preventDefault(); }
    document.documentElement.classList.add("leaving");
    document.title = "";
    window.location.replace(link.href);
  }

  link.addEventListener("click", leave);

  // The footer's "press Escape twice" is true only now that this script runs.
  var hint = document.querySelector("[data-keyboard-exit-hint]");
  if (hint) { hint.hidden = false; }

  var lastEscape = 0;
  document.addEventListener("keydown", function (event) {
    if (event.key !== "Escape" && event.key !== "Esc") { return; }
    var now = Date.now();
    if (now - lastEscape < 1000) {
      leave(event);
      lastEscape = 0;
      return;
    }
    lastEscape = now;
  });

  document.addEventListener("click", function (event) {
    if (event.defaultPrevented || event.button !== 0) { return; }
    if (event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) { return; }
    var target = event.target.closest ? event.target.closest("a[href]") : null;
    if (!target || target === link || target.hasAttribute("download")) { return; }
    if (target.target && target.target !== "_self") { return; }
    var url = new URL(target.href, window.location.href);
    if (url.origin !== window.location.origin) { return; }
    var here = window.location.href.split("#")[0];
    if (url.href.split("#")[0] === here && url.hash) { return; }  // a link within this page
    event.preventDefault();
    window.location.replace(url.href);
  });
}());
