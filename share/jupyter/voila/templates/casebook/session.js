/* The session: a dashboard whose kernel dies or is culled says so in French (issue 12).
 *
 * This script runs before Voilà's own scripts (it is inlined before them), so it can wrap
 * window.WebSocket and watch the kernel's socket (/api/kernels/<id>/channels) that Voilà opens:
 * - a status message "restarting" or "dead" on that socket (the kernel process died; the server
 *   restarts it empty, without the dashboard's widgets) expires the session at once;
 * - the kernel itself is asked for (GET /api/kernels/<id>) when the socket opens and closes,
 *   on the user's first touch after a quiet moment, when the tab comes back, and every POLL_MS
 *   while the tab is visible: a culled kernel leaves the socket open and silent, so only the
 *   server's 404 says it is gone. Two failed requests in a row (the server stopped) expire too.
 *   Until the socket opens, the kernel named in the page's #jupyter-config-data is asked for
 *   instead: a kernel gone before the page could connect (culled while a slow page loaded, when
 *   Voilà's script gives up on it without opening a socket) expires the session as well; only
 *   the socket's kernel can make it "ok".
 * An expired session shows a banner (role=alert) with a reload button, and the dashboard's
 * controls stop receiving clicks and keys (which would go to a kernel that no longer holds them).
 * <body data-cb-session> is "ok" once the kernel has answered, "expired" after. Leaving or
 * reloading the page expires nothing. Nothing leaves the page but these requests to its server.
 *
 * Closing the page frees its kernel. Voilà's own script sends a beacon to
 * /voila/api/shutdown/<id> carrying the value of the _xsrf cookie, but the standalone server never
 * sets that cookie, so the beacon was refused (403) and every closed page kept its kernel until it
 * was culled. A random value set here, sent back as cookie and as form field, passes the server's
 * double-submit check; another site can neither read nor set it. The cookie identifies nobody.
 */
(function () {
  "use strict";

  var KERNEL_SOCKET = /\/api\/kernels\/[0-9a-f-]{36}\/channels(?:\?|$)/;
  var POLL_MS = 10000;   // between two questions to the server while the tab is visible
  var RETRY_MS = 3000;   // before asking again after a request that got no answer
  var TOUCH_MS = 3000;   // a touch of the page asks the server if it has not been asked since
  var BLOCKED = ["click", "dblclick", "auxclick", "mousedown", "mouseup", "pointerdown", "pointerup",
                 "touchstart", "keydown", "keypress", "keyup", "input", "change", "submit"];
  var KEPT_KEYS = ["Tab", "Shift", "PageUp", "PageDown"];
  var NativeWebSocket = window.WebSocket;
  var decoder = new TextDecoder();
  var kernelUrl = null;     // the socket's kernel, once Voilà opens its socket
  var pageKernelUrl = null;  // the kernel the page was rendered with
  var expired = false;
  var leaving = false;
  var probing = false;
  var failures = 0;
  var lastProbe = 0;
  var timer = null;

  if (!/(?:^|;\s*)_xsrf=/.test(document.cookie)) {
    var bytes = new Uint8Array(16);
    window.crypto.getRandomValues(bytes);
    var token = Array.prototype.map.call(bytes, function (b) {
      return ("0" + b.toString(16)).slice(-2);
    }).join("");
    document.cookie = "_xsrf=" + token + "; path=/; SameSite=Strict";
  }

  /* The execution state of an iopub status message, else null; both socket protocols:
   * JSON text, or v1.kernel.websocket.jupyter.org binary frames (offsets, channel, parts). */
  function executionState(data) {
    var message;
    try {
      if (typeof data === "string") {
        if (data.indexOf("\"status\"") < 0) {
          return null;
        }
        message = JSON.parse(data);
      } else if (data instanceof ArrayBuffer) {
        var view = new DataView(data);
        var count = view.getUint32(0, true);
        if (count < 6) {
          return null;
        }
        var offsets = [];
        for (var i = 1; i <= count; i += 1) {
          offsets.push(view.getUint32(8 * i, true));
        }
        var part = function (n) {
          return decoder.decode(new Uint8Array(data, offsets[n], offsets[n + 1] - offsets[n]));
        };
        if (part(0) !== "iopub") {
          return null;
        }
        message = {channel: "iopub", header: JSON.parse(part(1))};
        if (message.header.msg_type !== "status") {
          return null;
        }
        message.content = JSON.parse(part(4));
      } else {
        return null;
      }
    } catch (error) {
      return null;
    }
    if (!message || !message.header || message.header.msg_type !== "status" || !message.content) {
      return null;
    }
    return message.content.execution_state || null;
  }

  function swallow(event) {
    var cells = document.getElementById("rendered_cells");
    if (!cells || !cells.contains(event.target)) {
      return;
    }
    if (event.key !== undefined && KEPT_KEYS.indexOf(event.key) >= 0) {
      return;
    }
    event.stopImmediatePropagation();
    event.preventDefault();
  }

  function addStyle() {
    var style = document.createElement("style");
    style.textContent =
      ".cb-session-expired { position: fixed; top: 0; left: 0; right: 0; z-index: 10000;" +
      " display: flex; flex-wrap: wrap; gap: 0.5rem 1rem; align-items: center;" +
      " justify-content: center; margin: 0; padding: 0.75rem 1rem; background: #7a1010;" +
      " color: #ffffff; font-size: 1.1rem; box-shadow: 0 2px 6px rgba(0, 0, 0, 0.4); }" +
      ".cb-session-expired p { margin: 0; font-weight: bold; }" +
      ".cb-session-expired button { padding: 0.4rem 1rem; border: 2px solid #ffffff;" +
      " border-radius: 4px; background: #ffffff; color: #7a1010; font-size: 1rem;" +
      " font-weight: bold; cursor: pointer; }" +
      ".cb-session-expired button:focus-visible { outline: 3px solid #ffd54f;" +
      " outline-offset: 2px; }";
    document.head.appendChild(style);
  }

  function expire() {
    if (expired || leaving) {
      return;
    }
    expired = true;
    clearInterval(timer);
    document.body.setAttribute("data-cb-session", "expired");
    addStyle();
    var banner = document.createElement("div");
    banner.className = "cb-session-expired";
    banner.setAttribute("role", "alert");
    var text = document.createElement("p");
    text.textContent = "La session a expiré : rechargez la page.";
    var button = document.createElement("button");
    button.type = "button";
    button.textContent = "Recharger la page";
    button.addEventListener("click", function () {
      window.location.reload();
    });
    banner.appendChild(text);
    banner.appendChild(button);
    document.body.insertBefore(banner, document.body.firstChild);
    document.body.style.paddingTop = banner.offsetHeight + "px";
    BLOCKED.forEach(function (type) {
      window.addEventListener(type, swallow, true);
    });
    button.focus({preventScroll: true});
  }

  /* JupyterHub's servers refuse a request authenticated by cookie, even a GET, unless it carries
   * the _xsrf cookie's value (the server's own, the first of that name for this page's path). */
  function xsrfHeader() {
    var found = /(?:^|;\s*)_xsrf=([^;]*)/.exec(document.cookie);
    return found ? {"X-XSRFToken": decodeURIComponent(found[1])} : {};
  }

  function probe() {
    var url = kernelUrl || pageKernelUrl;
    if (!url || expired || leaving || probing) {
      return;
    }
    probing = true;
    lastProbe = Date.now();
    fetch(url, {cache: "no-store", credentials: "same-origin", headers: xsrfHeader()}).then(function (response) {
      failures = 0;
      if (response.status === 404) {
        expire();
        return null;
      }
      return response.ok ? response.json() : null;
    }).then(function (model) {
      if (model && model.execution_state === "dead") {
        expire();
      } else if (model && !expired && kernelUrl) {
        document.body.setAttribute("data-cb-session", "ok");
      }
    }, function () {
      failures += 1;
      if (failures >= 2) {
        expire();
      } else {
        setTimeout(probe, RETRY_MS);
      }
    }).then(done, done);
  }

  function done() {
    probing = false;
  }

  function restUrl(socketUrl) {
    var url = new URL(socketUrl, window.location.href);
    url.protocol = url.protocol === "wss:" ? "https:" : "http:";
    url.pathname = url.pathname.replace(/\/channels$/, "");
    var token = url.searchParams.get("token");
    url.search = token ? "?token=" + encodeURIComponent(token) : "";
    return url.href;
  }

  /* The REST address of the kernel named in the page's configuration, or null. */
  function pageKernel() {
    var config = document.getElementById("jupyter-config-data");
    try {
      var data = JSON.parse(config.textContent);
      if (!data.kernelId || !data.baseUrl) {
        return null;
      }
      var url = new URL(data.baseUrl + "api/kernels/" + data.kernelId, window.location.href);
      var token = new URLSearchParams(window.location.search).get("token");
      url.search = token ? "?token=" + encodeURIComponent(token) : "";
      return url.href;
    } catch (error) {
      return null;
    }
  }

  function watch(socket, url) {
    kernelUrl = restUrl(url);
    socket.addEventListener("open", probe);
    socket.addEventListener("message", function (event) {
      var state = executionState(event.data);
      if (state === "restarting" || state === "dead") {
        expire();
      }
    });
    socket.addEventListener("close", function () {
      if (!leaving) {
        setTimeout(probe, 1000);
      }
    });
  }

  class WatchedWebSocket extends NativeWebSocket {
    constructor(url, protocols) {
      if (protocols === undefined) {
        super(url);
      } else {
        super(url, protocols);
      }
      if (KERNEL_SOCKET.test(String(url))) {
        watch(this, String(url));
      }
    }
  }
  window.WebSocket = WatchedWebSocket;

  function touched() {
    if (Date.now() - lastProbe > TOUCH_MS) {
      probe();
    }
  }

  window.addEventListener("pointerdown", touched, true);
  window.addEventListener("keydown", touched, true);
  window.addEventListener("beforeunload", function () {
    leaving = true;
  });
  window.addEventListener("pagehide", function () {
    leaving = true;
  });
  window.addEventListener("pageshow", function (event) {
    if (event.persisted) {  // back from the page cache: Voilà shut the kernel down on leaving
      leaving = false;
      probe();
    }
  });
  document.addEventListener("visibilitychange", function () {
    if (document.visibilityState === "visible") {
      probe();
    }
  });
  pageKernelUrl = pageKernel();  // the page's configuration comes before this script
  timer = setInterval(function () {
    if (document.visibilityState === "visible") {
      probe();
    }
  }, POLL_MS);
}());
