/* Accessibility: states and names for assistive technology, set on the rendered widgets (issue 12).
 *
 * ipywidgets sets no aria-* attribute, and its widgets render after the page has loaded and
 * render again when they change, so this script watches the page (MutationObserver) and, on
 * every change, brings the ARIA state back in line with what the widgets show:
 * - toggle buttons (.widget-toggle-buttons) become a radio group: role=radiogroup named by its
 *   question, each button role=radio with aria-checked mirroring ipywidgets' `mod-active`, one
 *   tab stop per group (the checked answer), and the arrow, Home and End keys choose an answer;
 * - a control is named by its own description when it has one, otherwise by the closest
 *   `.cb-ask` before it in its component (the question of a fact form, the navigator's heading,
 *   the exercise's question), and described by the `.cb-help` that follows that question;
 * - a box of answer buttons (`.cb-choices`) is a group named by its question;
 * - accordion titles are buttons: focusable, Enter and Space open them, aria-expanded;
 * - each `.cb-live` widget gets an announcer of its own: a visually hidden polite live region
 *   (role=status) beside the widget's content, which ipywidgets never replaces. When the
 *   content changes, the announcer receives one short line in one go: the content's
 *   `.cb-announce-text` (the verdict in words and its provision, the synthesis sentence), else
 *   its first heading, else its text; « Inchangé : » before a line said already. Screen readers
 *   read the replaced content of a live region piece by piece and out of order (Orca 43 did),
 *   so the content itself is not live. Nothing is said when the focus is inside the changed
 *   widget (the focus move below already reads it);
 * - after a click on a button (not an answer of a radio group), the first heading of a changed
 *   `.cb-focus` widget of the same component takes the focus, so that the user lands on what
 *   changed (the navigator's next question, the exercise's correction);
 * - a button without text is named by its tooltip; the help of a question describes each of
 *   its answers too (a screen reader entering a group does not read the group's description);
 *   ipywidgets' empty tooltips (title="null") are removed; the page title is the dashboard's h1;
 * - an output that scrolls and holds nothing focusable takes the focus itself (tabindex=0, a
 *   region named by the heading before it), so that the keyboard can scroll it.
 * Widget code only adds the classes named above (`add_class`). Nothing leaves the page.
 */
(function () {
  "use strict";

  var COMPONENT = ".cb-explorer, .cb-navigator, .cb-predict, .jp-OutputArea-output";
  var ARM_MS = 30000;  // how long a click waits for the kernel's answer before focus stays put
  var counter = 0;
  var armed = null;    // {root, button, until}: the component whose next change takes the focus

  function ident(el) {
    if (!el.id) {
      counter += 1;
      el.id = "cb-a11y-" + counter;
    }
    return el.id;
  }

  function set(el, name, value) {
    if (el.getAttribute(name) !== value) {
      el.setAttribute(name, value);
    }
  }

  function visibleText(el) {
    return el && el.style.display !== "none" && el.textContent.trim() !== "";
  }

  function componentOf(el) {
    return el.closest(COMPONENT) || document.body;
  }

  /* The question before `el`: the last `.cb-ask` that precedes it in its component. */
  function questionOf(el) {
    var asks = componentOf(el).querySelectorAll(".cb-ask");
    var found = null;
    for (var i = 0; i < asks.length; i += 1) {
      if (asks[i].compareDocumentPosition(el) & Node.DOCUMENT_POSITION_FOLLOWING) {
        found = asks[i];
      }
    }
    return found;
  }

  function helpOf(question) {
    var holder = question && question.closest(".cb-question");
    return holder ? holder.querySelector(".cb-help") : null;
  }

  /* Name `target` by the widget's visible description, or else by its question. */
  function label(widget, target) {
    var own = widget.querySelector(":scope > .widget-label");
    if (visibleText(own)) {
      set(target, "aria-labelledby", ident(own));
      return;
    }
    var question = questionOf(widget);
    if (!question) {
      return;
    }
    set(target, "aria-labelledby", ident(question));
    var help = helpOf(question);
    if (help) {
      set(target, "aria-describedby", ident(help));
    }
  }

  function radios(group) {
    return Array.prototype.slice.call(group.querySelectorAll("button.widget-toggle-button"));
  }

  function syncRadioGroup(group) {
    set(group, "role", "radiogroup");
    label(group, group);
    var buttons = radios(group);
    var checked = buttons.filter(function (b) { return b.classList.contains("mod-active"); })[0];
    var stop = checked || buttons.filter(function (b) { return !b.disabled; })[0];
    var help = group.getAttribute("aria-describedby");  // the question's help, set by label()
    buttons.forEach(function (b) {
      set(b, "role", "radio");
      if (help) {
        set(b, "aria-describedby", help);
      }
      set(b, "aria-checked", b === checked ? "true" : "false");
      set(b, "tabindex", b === stop ? "0" : "-1");
      var icon = b.querySelector("i");
      if (icon) {
        set(icon, "aria-hidden", "true");
      }
    });
  }

  function syncField(widget) {
    var field = widget.querySelector(":scope > select, :scope > input, :scope > textarea");
    if (field) {
      label(widget, field);
    }
  }

  function syncCollapse(collapse) {
    var header = collapse.querySelector(":scope > .jupyter-widget-Collapse-header");
    var contents = collapse.querySelector(":scope > .jupyter-widget-Collapse-contents");
    if (!header) {
      return;
    }
    set(header, "role", "button");
    set(header, "tabindex", "0");
    set(header, "aria-expanded", collapse.classList.contains("jupyter-widget-Collapse-open") ? "true" : "false");
    if (contents) {
      set(header, "aria-controls", ident(contents));
    }
    var icon = header.querySelector("i");
    if (icon) {
      set(icon, "aria-hidden", "true");
    }
  }

  function syncButtonName(button) {
    if (button.textContent.trim() === "" && !button.hasAttribute("aria-label") && button.title) {
      set(button, "aria-label", button.title);
    }
  }

  var FOCUSABLE = "a[href], button, input, select, textarea, [tabindex]";
  var HEADINGS = "h1, h2, h3, h4, h5, h6";

  function scrolls(el) {
    var style = getComputedStyle(el);
    return (el.scrollHeight > el.clientHeight + 1 && /auto|scroll/.test(style.overflowY)) ||
           (el.scrollWidth > el.clientWidth + 1 && /auto|scroll/.test(style.overflowX));
  }

  /* The last heading before `el` in the page. */
  function headingBefore(el) {
    var found = null;
    var root = document.getElementById("rendered_cells") || document.body;
    root.querySelectorAll(HEADINGS).forEach(function (h) {
      if (h.compareDocumentPosition(el) & Node.DOCUMENT_POSITION_FOLLOWING && !h.contains(el)) {
        found = h;
      }
    });
    return found;
  }

  function syncScrollable(el) {
    if (el.hasAttribute("tabindex") || el.querySelector(FOCUSABLE) || !scrolls(el)) {
      return;
    }
    set(el, "tabindex", "0");
    var heading = headingBefore(el);
    if (heading && !el.hasAttribute("role")) {
      set(el, "role", "region");
      set(el, "aria-labelledby", ident(heading));
    }
  }

  var layoutPending = false;

  /* Scrolling depends on layout: checked once per frame at most, after the widgets have drawn. */
  function syncLayout() {
    if (layoutPending) {
      return;
    }
    layoutPending = true;
    requestAnimationFrame(function () {
      layoutPending = false;
      document.querySelectorAll("#rendered_cells .widget-html, #rendered_cells .widget-html-content, " +
                                "#rendered_cells .widget-box, #rendered_cells .jp-RenderedHTMLCommon")
        .forEach(syncScrollable);
    });
  }

  /* The announcer of a `.cb-live` widget, made on first sight (empty: a page load says nothing). */
  function announcerOf(widget) {
    var found = widget.querySelector(":scope > .cb-announcer");
    if (!found) {
      found = document.createElement("div");
      found.className = "cb-announcer cb-sr-only";
      found.setAttribute("role", "status");
      found.setAttribute("aria-live", "polite");
      found.setAttribute("aria-atomic", "true");
      widget.appendChild(found);
      widget.dataset.cbSaid = announcement(widget);
    }
    return found;
  }

  var ANNOUNCE_MS = 250;  // the content settles (several widgets change per answer) before it is said
  var pendingAnnounce = [];

  /* The line a changed widget says: see the header. */
  function announcement(widget) {
    var content = widget.querySelector(":scope > .widget-html-content") || widget;
    var own = content.querySelector(".cb-announce-text");
    var heading = content.querySelector(HEADINGS);
    var text = (own || heading || content).textContent.replace(/\s+/g, " ").trim();
    return text.length > 500 ? text.slice(0, 499) + "…" : text;
  }

  function announce() {
    var widgets = pendingAnnounce;
    pendingAnnounce = [];
    widgets.forEach(function (widget) {
      if (!document.contains(widget) || widget.contains(document.activeElement)) {
        return;
      }
      var text = announcement(widget);
      var announcer = announcerOf(widget);
      if (text === "") {
        return;
      }
      var line = text === widget.dataset.cbSaid ? "Inchangé : " + text : text;
      widget.dataset.cbSaid = text;
      announcer.textContent = line;
    });
  }

  /* Note the `.cb-live` widgets whose content changed, to be said once it has settled. */
  function noteAnnouncements(mutations) {
    mutations.forEach(function (m) {
      var node = m.type === "childList" && m.target.nodeType === 1 ? m.target : null;
      var widget = node && !node.closest(".cb-announcer") ? node.closest(".cb-live") : null;
      if (widget && node !== widget && pendingAnnounce.indexOf(widget) < 0) {
        if (pendingAnnounce.length === 0) {
          setTimeout(announce, ANNOUNCE_MS);
        }
        pendingAnnounce.push(widget);
      }
    });
  }

  function sync() {
    var root = document.getElementById("rendered_cells") || document.body;
    root.querySelectorAll(".widget-toggle-buttons").forEach(syncRadioGroup);
    root.querySelectorAll(".widget-dropdown, .widget-select, .widget-datepicker, .widget-text, " +
                          ".widget-textarea, .widget-inline-hbox[class*='cb-fact-']").forEach(syncField);
    root.querySelectorAll(".cb-choices").forEach(function (box) {
      set(box, "role", "group");
      label(box, box);
    });
    root.querySelectorAll(".jupyter-widget-Collapse").forEach(syncCollapse);
    root.querySelectorAll(".cb-live").forEach(announcerOf);
    root.querySelectorAll(".widget-label[title='null']").forEach(function (el) {
      el.removeAttribute("title");
    });
    root.querySelectorAll("button").forEach(syncButtonName);
    syncLayout();
  }

  /* Focus: the heading of what changed after the user's click. A pane that was only emptied
     (the previous answer cleared) is passed over: the focus waits for content. */
  function focusChanged(mutations) {
    if (!armed) {
      return;
    }
    if (Date.now() > armed.until || !document.contains(armed.root)) {
      armed = null;
      return;
    }
    var changed = [];
    mutations.forEach(function (m) {
      var widget = m.type === "childList" && m.target.nodeType === 1 ? m.target.closest(".cb-focus") : null;
      if (widget && armed.root.contains(widget) && changed.indexOf(widget) < 0 &&
          widget.innerText.trim() !== "") {
        changed.push(widget);
      }
    });
    var titled = changed.filter(function (w) { return w.querySelector(HEADINGS); })[0];
    var widget = titled || changed[0];
    if (!widget) {
      return;
    }
    var target = titled ? titled.querySelector(HEADINGS) : widget.querySelector(".widget-html-content") || widget;
    set(target, "tabindex", "-1");
    armed = null;
    target.focus();
  }

  document.addEventListener("click", function (event) {
    var button = event.target.closest && event.target.closest("button");
    if (!button || button.getAttribute("role") === "radio") {
      return;
    }
    var root = button.closest(COMPONENT);
    armed = root && root.querySelector(".cb-focus") ? {root: root, button: button, until: Date.now() + ARM_MS} : null;
  }, true);

  document.addEventListener("focusin", function (event) {
    if (armed && event.target !== armed.button) {
      armed = null;  // the user went elsewhere before the answer came: leave the focus there
    }
  }, true);

  /* Keyboard: arrows, Home and End in a radio group; Enter and Space on accordion titles. */
  document.addEventListener("keydown", function (event) {
    var el = event.target;
    if (el.classList && el.classList.contains("jupyter-widget-Collapse-header") &&
        (event.key === "Enter" || event.key === " ")) {
      event.preventDefault();
      el.click();
      return;
    }
    if (!el.getAttribute || el.getAttribute("role") !== "radio") {
      return;
    }
    var group = el.closest("[role=radiogroup]");
    var buttons = radios(group).filter(function (b) { return !b.disabled; });
    var at = buttons.indexOf(el);
    var next = {
      ArrowRight: at + 1, ArrowDown: at + 1, ArrowLeft: at - 1, ArrowUp: at - 1,
      Home: 0, End: buttons.length - 1
    }[event.key];
    if (next === undefined || at < 0) {
      return;
    }
    event.preventDefault();
    var chosen = buttons[(next + buttons.length) % buttons.length];
    chosen.focus();
    chosen.click();
  });

  var heading = document.querySelector("#rendered_cells h1");
  if (heading) {
    document.title = heading.textContent.replace(/¶\s*$/, "").trim() + " — Casebook du secret professionnel";
  }

  new MutationObserver(function (mutations) {
    sync();
    focusChanged(mutations);
    noteAnnouncements(mutations);
  }).observe(document.body, {subtree: true, childList: true, attributes: true, attributeFilter: ["class"]});
  sync();
}());
