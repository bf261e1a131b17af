/* What the page does for a person by itself, without the kernel (issue 19).
 *
 * - Links you can send: an element with `data-cb-link` holds a link relative to the page
 *   (`03_secret_partage.ipynb?cas=…`, written by the kernel, which cannot know the address the
 *   person sees); it receives the whole address as the browser resolves it against the page's own
 *   (scheme, host, any Binder or JupyterHub prefix, query): a field's value, a link's href and its
 *   text, a `.cb-link-print` span that prints it in full.
 * - « Copier le lien » (`button.cb-copy`) puts the whole address of the field beside it on the
 *   clipboard and says so in its `.cb-copied` status line (read by screen readers); where the
 *   clipboard is refused (a page served over plain http to other machines), the field is selected
 *   and the line says to press Ctrl+C.
 * - « Imprimer ce cas » / « Imprimer le bilan » (`button.cb-print[data-cb-print]`) print one part of
 *   the page alone: the explorer around the button, or the training summary; print.css hides the
 *   rest while <body> has `cb-print-one`. Printing from the browser's menu prints the whole page.
 * - A link naming a case (`?cas=`) or a fact opens the page at its explorer rather than at the
 *   top of a long page, once the explorer has rendered, unless the person has already moved.
 * Widgets render after load and again on every change, so a MutationObserver keeps this up.
 * Nothing leaves the page.
 */
(function () {
  "use strict";

  var CONFIRM_MS = 6000;
  var OWN_PARAMETERS = /^(mode|graine|difficulte|n|sujet)$/;

  function absolute(relative) {
    try {
      return new URL(relative, window.location.href).href;
    } catch (error) {
      return relative;
    }
  }

  function syncLinks(root) {
    root.querySelectorAll("[data-cb-link]").forEach(function (el) {
      var full = absolute(el.getAttribute("data-cb-link"));
      if (el.tagName === "INPUT") {
        if (el.value !== full) {
          el.value = full;
        }
      } else if (el.tagName === "A") {
        if (el.getAttribute("href") !== full) {
          el.setAttribute("href", full);
        }
        var code = el.querySelector("code");
        if (code && code.textContent !== full) {
          code.textContent = full;
        }
      } else if (el.textContent !== full) {
        el.textContent = full;
      }
    });
  }

  function say(holder, text) {
    var line = holder && holder.querySelector(".cb-copied");
    if (!line) {
      return;
    }
    line.textContent = text;
    clearTimeout(line.cbTimer);
    line.cbTimer = setTimeout(function () { line.textContent = ""; }, CONFIRM_MS);
  }

  function copyFrom(button) {
    var holder = button.closest(".cb-share, .cb-replay");
    var field = holder && holder.querySelector("input[data-cb-link], a[data-cb-link]");
    if (!field) {
      return;
    }
    var text = field.tagName === "INPUT" ? field.value : field.href;
    var fallback = function () {
      var copied = false;
      if (field.tagName === "INPUT") {
        field.focus();
        field.select();
        try {
          copied = document.execCommand("copy");
        } catch (error) {
          copied = false;
        }
        button.focus();
      }
      say(holder, copied ? "Lien copié dans le presse-papiers."
                         : "Copie refusée par le navigateur : le lien est sélectionné, appuyez sur Ctrl+C.");
      if (!copied && field.tagName === "INPUT") {
        field.focus();
        field.select();
      }
    };
    if (navigator.clipboard && window.isSecureContext) {
      navigator.clipboard.writeText(text).then(function () {
        say(holder, "Lien copié dans le presse-papiers.");
      }, fallback);
    } else {
      fallback();
    }
  }

  function printPart(button) {
    var kind = button.getAttribute("data-cb-print");
    var target = button.closest(kind === "bilan" ? ".cb-training-summary" : ".cb-explorer");
    if (!target) {
      window.print();
      return;
    }
    target.classList.add("cb-print-target");
    document.body.classList.add("cb-print-one", "cb-print-" + kind);
    var done = function () {
      target.classList.remove("cb-print-target");
      document.body.classList.remove("cb-print-one", "cb-print-" + kind);
      window.removeEventListener("afterprint", done);
    };
    window.addEventListener("afterprint", done);
    window.print();
  }

  document.addEventListener("click", function (event) {
    var button = event.target.closest && event.target.closest("button.cb-copy, button.cb-print");
    if (!button) {
      return;
    }
    event.preventDefault();
    if (button.classList.contains("cb-copy")) {
      copyFrom(button);
    } else {
      printPart(button);
    }
  });

  /* Open at the explorer: only for a link that names a situation, only until the person moves. */
  var wantsExplorer = false;
  new URLSearchParams(window.location.search).forEach(function (_value, name) {
    if (!OWN_PARAMETERS.test(name)) {
      wantsExplorer = true;
    }
  });
  var moved = false;
  ["wheel", "touchmove", "keydown", "mousedown"].forEach(function (type) {
    window.addEventListener(type, function (event) {
      if (event.isTrusted) {
        moved = true;
      }
    }, {capture: true, passive: true});
  });

  function openAtExplorer() {
    if (!wantsExplorer || moved) {
      return;
    }
    var explorer = document.querySelector("#rendered_cells .cb-explorer");
    var card = explorer && explorer.querySelector(".cb-card");
    if (!card) {
      return;
    }
    var top = explorer.getBoundingClientRect().top;
    if (Math.abs(top) > 2) {
      window.scrollBy(0, top);
    }
  }

  var pending = false;
  function sync() {
    if (pending) {
      return;
    }
    pending = true;
    requestAnimationFrame(function () {
      pending = false;
      syncLinks(document);
      openAtExplorer();
    });
  }

  new MutationObserver(sync).observe(document.body, {subtree: true, childList: true, attributes: true,
                                                      attributeFilter: ["data-cb-link", "style"]});
  sync();
}());
