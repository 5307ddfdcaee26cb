/*
 * Werkcentrum — small progressive enhancements. No dependencies.
 *
 * Written for a strict Content Security Policy (script-src 'self'):
 * no eval, no new Function, no inline handlers, no inline styles.
 *
 *  1. htmx requests carry X-CSRFToken from <meta name="csrf-token">.
 *  2. Alt+<key> activates the element with data-shortcut="<key>"
 *     (click for links/buttons, focus for form fields). Nothing happens
 *     when no such element is on the page.
 *  3. <form data-autosubmit>: changing a <select> submits the form.
 *  4. [data-confirm]: asks confirm() with the attribute's text first.
 *  5. <button data-copy="#selector">: copies the target's text.
 */
(function () {
  "use strict";

  var doc = document;
  var isEnglish = (doc.documentElement.lang || "").toLowerCase().indexOf("en") === 0;
  var TEXT = {
    confirm: isEnglish ? "Are you sure?" : "Weet u het zeker?",
    copied: isEnglish ? "Copied" : "Gekopieerd",
    copyFailed: isEnglish ? "Copying did not work" : "Kopiëren is niet gelukt"
  };

  /* ------------------------------------------------------------------
   * 1. CSRF header for htmx
   * ------------------------------------------------------------------ */
  function csrfToken() {
    var meta = doc.querySelector('meta[name="csrf-token"]');
    return meta ? meta.getAttribute("content") : "";
  }

  doc.addEventListener("htmx:configRequest", function (event) {
    var token = csrfToken();
    if (token && event.detail && event.detail.headers) {
      event.detail.headers["X-CSRFToken"] = token;
    }
  });

  /* ------------------------------------------------------------------
   * 2. Keyboard shortcuts: Alt+<key>
   * ------------------------------------------------------------------ */
  var FIELD_SELECTOR = "input, select, textarea, [contenteditable=''], [contenteditable='true']";

  function isTypingTarget(el) {
    return !!(el && el.closest && el.closest(FIELD_SELECTOR));
  }

  function isUsable(el) {
    if (!el || el.disabled || el.getAttribute("aria-disabled") === "true") {
      return false;
    }
    if (el.closest("[hidden], [inert]")) {
      return false;
    }
    // Rendered (not display:none and not inside a closed <details>)
    return el.getClientRects().length > 0;
  }

  // Key name independent of what Alt does to the character (macOS turns
  // Alt+N into a dead key), so prefer the physical key code for letters/digits.
  function keyName(event) {
    var code = event.code || "";
    if (/^Key[A-Z]$/.test(code)) {
      return code.slice(3).toLowerCase();
    }
    if (/^(Digit|Numpad)[0-9]$/.test(code)) {
      return code.slice(-1);
    }
    return (event.key || "").toLowerCase();
  }

  function findShortcutTarget(key) {
    var candidates = doc.querySelectorAll("[data-shortcut]");
    for (var i = 0; i < candidates.length; i++) {
      var el = candidates[i];
      if ((el.getAttribute("data-shortcut") || "").trim().toLowerCase() === key && isUsable(el)) {
        return el;
      }
    }
    return null;
  }

  function activate(el) {
    if (el.matches(FIELD_SELECTOR)) {
      el.focus();
      if (typeof el.select === "function" && /^(text|search|email|tel|url)$/.test(el.type || "")) {
        el.select();
      }
      return;
    }
    if (typeof el.focus === "function") {
      el.focus();
    }
    el.click();
  }

  doc.addEventListener("keydown", function (event) {
    // Only Alt+key; Ctrl+Alt is AltGr on many layouts and is used for typing.
    if (!event.altKey || event.ctrlKey || event.metaKey || event.repeat || event.isComposing) {
      return;
    }
    if (event.defaultPrevented) {
      return;
    }
    var key = keyName(event);
    if (!key || key === "alt") {
      return;
    }
    var target = findShortcutTarget(key);
    if (!target) {
      return; // no element for this key: leave the browser's own behaviour alone
    }
    event.preventDefault();
    activate(target);
  });

  // Announce shortcuts to assistive technology.
  function describeShortcuts(root) {
    if (!root || !root.querySelectorAll) {
      return;
    }
    var els = root.querySelectorAll("[data-shortcut]");
    var list = root.matches && root.matches("[data-shortcut]") ? [root] : [];
    for (var i = 0; i < els.length; i++) {
      list.push(els[i]);
    }
    list.forEach(function (el) {
      var key = (el.getAttribute("data-shortcut") || "").trim();
      if (key && !el.hasAttribute("aria-keyshortcuts")) {
        el.setAttribute("aria-keyshortcuts", "Alt+" + key.toUpperCase());
      }
    });
  }

  /* ------------------------------------------------------------------
   * 3. Auto-submit forms when a select changes
   * ------------------------------------------------------------------ */
  doc.addEventListener("change", function (event) {
    var field = event.target;
    if (!field || field.tagName !== "SELECT") {
      return;
    }
    var form = field.form || field.closest("form");
    if (!form || !form.hasAttribute("data-autosubmit")) {
      return;
    }
    if (typeof form.requestSubmit === "function") {
      // Fires a submit event, so htmx-enhanced forms are handled by htmx.
      form.requestSubmit();
    } else {
      form.submit();
    }
  });

  /* ------------------------------------------------------------------
   * 4. Confirm before acting
   * Capture phase, so we run before htmx's listeners on the element.
   * ------------------------------------------------------------------ */
  doc.addEventListener(
    "click",
    function (event) {
      var el = event.target && event.target.closest ? event.target.closest("[data-confirm]") : null;
      if (!el || el.tagName === "FORM" || !isUsable(el)) {
        return;
      }
      var message = el.getAttribute("data-confirm") || TEXT.confirm;
      if (!window.confirm(message)) {
        event.preventDefault();
        event.stopImmediatePropagation();
      }
    },
    true
  );

  // <form data-confirm="..."> asks on submit (covers Enter in a text field).
  doc.addEventListener(
    "submit",
    function (event) {
      var form = event.target;
      if (!form || !form.hasAttribute || !form.hasAttribute("data-confirm")) {
        return;
      }
      // Already confirmed through the submit button itself.
      if (event.submitter && event.submitter.hasAttribute("data-confirm")) {
        return;
      }
      if (!window.confirm(form.getAttribute("data-confirm") || TEXT.confirm)) {
        event.preventDefault();
        event.stopImmediatePropagation();
      }
    },
    true
  );

  /* ------------------------------------------------------------------
   * 5. Copy to clipboard
   * ------------------------------------------------------------------ */
  var liveRegion = null;

  function announce(message) {
    if (!liveRegion) {
      liveRegion = doc.createElement("div");
      liveRegion.className = "visually-hidden";
      liveRegion.setAttribute("role", "status");
      liveRegion.setAttribute("aria-live", "polite");
      doc.body.appendChild(liveRegion);
    }
    liveRegion.textContent = "";
    window.setTimeout(function () {
      liveRegion.textContent = message;
    }, 50);
  }

  function copyText(text) {
    if (navigator.clipboard && window.isSecureContext) {
      return navigator.clipboard.writeText(text).catch(function () {
        return legacyCopy(text);
      });
    }
    return legacyCopy(text);
  }

  // Fallback for plain-http intranet hosts and denied clipboard permission.
  function legacyCopy(text) {
    return new Promise(function (resolve, reject) {
      var previousFocus = doc.activeElement;
      var area = doc.createElement("textarea");
      area.value = text;
      area.setAttribute("readonly", "");
      area.className = "visually-hidden";
      doc.body.appendChild(area);
      area.select();
      var ok = false;
      try {
        ok = doc.execCommand("copy");
      } catch (e) {
        ok = false;
      }
      doc.body.removeChild(area);
      if (previousFocus && typeof previousFocus.focus === "function") {
        previousFocus.focus();
      }
      if (ok) {
        resolve();
      } else {
        reject(new Error("copy failed"));
      }
    });
  }

  function sourceText(selector) {
    var source = null;
    try {
      source = selector ? doc.querySelector(selector) : null;
    } catch (e) {
      source = null; // not a valid selector
    }
    if (!source) {
      return null;
    }
    if ("value" in source && typeof source.value === "string" && source.tagName !== "BUTTON") {
      return source.value;
    }
    return (source.textContent || "").replace(/\s+/g, " ").trim();
  }

  function showCopied(button) {
    var label = button.getAttribute("data-copied-label") || TEXT.copied;
    button.classList.add("is-copied");
    var textOnly = button.childElementCount === 0;
    if (textOnly && !button.hasAttribute("data-copy-original")) {
      button.setAttribute("data-copy-original", button.textContent);
      button.textContent = label;
    }
    window.clearTimeout(button._wcCopyTimer);
    button._wcCopyTimer = window.setTimeout(function () {
      button.classList.remove("is-copied");
      if (button.hasAttribute("data-copy-original")) {
        button.textContent = button.getAttribute("data-copy-original");
        button.removeAttribute("data-copy-original");
      }
    }, 2000);
    announce(label);
  }

  doc.addEventListener("click", function (event) {
    var button = event.target && event.target.closest ? event.target.closest("[data-copy]") : null;
    if (!button) {
      return;
    }
    var text = sourceText(button.getAttribute("data-copy"));
    if (text === null) {
      return;
    }
    event.preventDefault();
    copyText(text).then(
      function () {
        showCopied(button);
      },
      function () {
        announce(TEXT.copyFailed);
      }
    );
  });

  /* ------------------------------------------------------------------
   * Init (and again for content swapped in by htmx)
   * ------------------------------------------------------------------ */
  function init() {
    describeShortcuts(doc.body);
  }

  if (doc.readyState === "loading") {
    doc.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }

  doc.addEventListener("htmx:load", function (event) {
    describeShortcuts(event.detail && event.detail.elt);
  });
})();
