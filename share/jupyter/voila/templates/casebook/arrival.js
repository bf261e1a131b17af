/* A page that does not arrive says so (issue 19). Voilà sends a dashboard as it runs the
 * notebook, cell by cell, behind its spinner; a page whose kernel cannot start, or that stops
 * receiving cells, would otherwise spin for ever (Voilà keeps the connection open with a
 * heartbeat every ten seconds).
 *
 * Inlined at the top of the page, right after Voilà's helper functions, this script wraps
 * `voila_process` (called before each cell) and `voila_finish` (called once the page is whole):
 * - when no cell has come for STALL_MS while the page is still incomplete, a banner (role=alert)
 *   says that the page is slow to prepare, offers « Recharger la page », and goes away by itself
 *   if the cells come again;
 * - when the server says the page failed (`cbPageFailed`, sent by casebook's Voilà process in
 *   place of the rest of the page when the kernel could not start or the notebook could not run),
 *   or when the page ended without being whole, the banner says the page could not be prepared.
 * Once the page is whole, session.js watches its kernel. Nothing leaves the page.
 */
(function () {
  "use strict";

  var STALL_MS = 25000;
  var last = Date.now();
  var finished = false;
  var banner = null;
  var timer = null;

  function show(message) {
    if (!banner) {
      banner = document.createElement("div");
      banner.className = "cb-arrival";
      banner.setAttribute("role", "alert");
      var text = document.createElement("p");
      var button = document.createElement("button");
      button.type = "button";
      button.textContent = "Recharger la page";
      button.addEventListener("click", function () { window.location.reload(); });
      banner.appendChild(text);
      banner.appendChild(button);
      document.body.insertBefore(banner, document.body.firstChild);
    }
    banner.firstChild.textContent = message;
  }

  function hide() {
    if (banner) {
      banner.parentNode.removeChild(banner);
      banner = null;
    }
  }

  function stop() {
    finished = true;
    clearInterval(timer);
  }

  function check() {
    if (!finished && Date.now() - last > STALL_MS) {
      show("La page met plus de " + Math.round(STALL_MS / 1000) + " secondes à se préparer : le " +
           "serveur est peut-être très occupé, ou la page a perdu son noyau. Vous pouvez attendre " +
           "encore un peu, ou la recharger.");
    }
  }

  var process = window.voila_process;
  window.voila_process = function () {
    last = Date.now();
    hide();
    return process.apply(this, arguments);
  };
  var finish = window.voila_finish;
  window.voila_finish = function () {
    stop();
    hide();
    return finish.apply(this, arguments);
  };
  window.cbPageFailed = function () {
    stop();
    show("Cette page n'a pas pu être préparée : son noyau n'a pas démarré ou s'est arrêté. " +
         "Rechargez la page ; si cela se répète, prévenez la personne qui gère le serveur.");
  };
  window.addEventListener("load", function () {
    if (!finished) {
      window.cbPageFailed();
    }
  });
  timer = setInterval(check, 1000);
}());
