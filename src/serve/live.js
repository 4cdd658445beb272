// notion-bake serve: live reload and the build-error overlay. Injected into served HTML only.
(() => {
  "use strict";
  const state = (window.__notionBake = { connected: false, generation: null, error: null });
  const OVERLAY = "notion-bake-error";

  function hide() {
    const old = document.getElementById(OVERLAY);
    if (old) old.remove();
    state.error = null;
  }

  function show(text) {
    hide();
    state.error = text;
    const box = document.createElement("div");
    box.id = OVERLAY;
    box.setAttribute("role", "alert");
    box.style.cssText =
      "position:fixed;inset:0;z-index:2147483647;overflow:auto;padding:2rem;" +
      "background:rgba(24,0,0,.92);color:#fff;font:14px/1.5 ui-monospace,monospace";
    const title = document.createElement("strong");
    title.textContent = "notion-bake: the last build failed";
    const pre = document.createElement("pre");
    pre.style.cssText = "white-space:pre-wrap;margin-top:1rem";
    pre.textContent = text;
    const hint = document.createElement("p");
    hint.textContent = "Fix the problem and save: this page reloads after the next good build.";
    box.append(title, pre, hint);
    (document.body || document.documentElement).append(box);
  }

  function connect() {
    const events = new EventSource("/__notion_bake/events");
    state.events = events;
    events.addEventListener("hello", (e) => {
      // A new server generation (serve was restarted) means the page may be stale.
      if (state.generation !== null && state.generation !== e.data) location.reload();
      state.generation = e.data;
      state.connected = true;
    });
    events.addEventListener("build-ok", hide);
    events.addEventListener("build-error", (e) => show(e.data));
    events.addEventListener("reload", () => location.reload());
    events.onerror = () => {
      state.connected = false;
    };
  }

  connect();
})();
