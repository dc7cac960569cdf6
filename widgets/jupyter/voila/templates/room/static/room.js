// The participants' page, kept current: a small client of the page's own kernel.
//
// The page arrives with the session as it is now (the snapshot the room drew). This script
// then shows the live dashboard and keeps it current. Voila's own front end (JupyterLab's
// application and widget manager, about 5 MB of script) costs each laptop about a second of
// processor to start; the dashboard is made of a few widget kinds only (boxes, HTML, the
// genogram and the bring-into-view helper, both anywidgets), so this speaks the Jupyter
// widget protocol for those, over the kernel websocket Voila serves for the page:
//   - on connecting, ask the kernel for every widget's state (the "jupyter.widget.control"
//     comm, "request_states"), and draw the dashboard's output from it;
//   - then apply each "update" the kernel sends; the genogram's own choices on this screen
//     (zoom, which lines) go back as "update" messages, as ipywidgets sends them.
// It sends no code, and nothing but widget messages.
(function () {
  "use strict";

  const WIDGET_VIEW = "application/vnd.jupyter.widget-view+json";
  const config = JSON.parse(document.getElementById("jupyter-config-data").textContent);
  const cells = document.getElementById("rendered_cells");
  const status = document.querySelector(".wb-room-status");
  const hex = () => Array.from(crypto.getRandomValues(new Uint8Array(16)),
                               (b) => b.toString(16).padStart(2, "0")).join("");
  const session = hex();
  const models = new Map(); // model id (= comm id) -> Model
  const modules = new Map(); // an anywidget's module text -> its loaded module
  let socket = null;
  let control = null; // this connection's control comm
  let bound = []; // [model, event, handler] of the views drawn, to unbind on redrawing
  let cleanups = []; // what each anywidget's render returned, called on redrawing
  let failures = 0;

  const same = (a, b) => a === b || (typeof a === "object" && typeof b === "object" &&
                                      a !== null && b !== null && JSON.stringify(a) === JSON.stringify(b));

  /** A widget's state, with the part of Backbone's interface that anywidgets use. */
  class Model {
    constructor(id, state) {
      this.id = id;
      this.name = state._model_name;
      this.state = state;
      this.handlers = new Map();
      this.pending = {};
    }
    get(key) { return this.state[key]; }
    set(key, value) {
      if (typeof key === "object") {
        for (const [k, v] of Object.entries(key)) this.set(k, v);
        return;
      }
      const old = this.state[key];
      this.state[key] = value;
      this.pending[key] = value;
      if (!same(old, value)) this.emit("change:" + key, this, value);
    }
    save_changes() {
      const state = this.pending;
      this.pending = {};
      if (Object.keys(state).length) {
        send("comm_msg", { comm_id: this.id, data: { method: "update", state, buffer_paths: [] } });
      }
    }
    send(content) {
      send("comm_msg", { comm_id: this.id, data: { method: "custom", content } });
    }
    on(event, handler) {
      if (!this.handlers.has(event)) this.handlers.set(event, new Set());
      this.handlers.get(event).add(handler);
    }
    off(event, handler) {
      if (!event) this.handlers.clear();
      else if (!handler) this.handlers.delete(event);
      else this.handlers.get(event)?.delete(handler);
    }
    emit(event, ...args) {
      for (const handler of [...(this.handlers.get(event) || [])]) {
        try { handler(...args); } catch (error) { console.error(error); }
      }
    }
    /** The kernel's new values: each changed one is announced, then the change as a whole. */
    update(state) {
      const changed = Object.keys(state).filter((k) => !same(this.state[k], state[k]));
      Object.assign(this.state, state);
      for (const key of changed) this.emit("change:" + key, this, this.state[key]);
      if (changed.length) this.emit("change", this);
    }
  }

  const listen = (model, event, handler) => {
    model.on(event, handler);
    bound.push([model, event, handler]);
  };
  const ref = (value) =>
    typeof value === "string" && value.startsWith("IPY_MODEL_") ? models.get(value.slice(10)) : null;

  // -- views: each returns the element that shows its model

  function view(model) {
    const make = { VBoxModel: box, HBoxModel: box, BoxModel: box, HTMLModel: html, AnyModel: any };
    const el = (make[model.name] || (() => document.createElement("div")))(model);
    domClasses(model, el);
    layout(model, el);
    return el;
  }

  function domClasses(model, el) {
    let shown = [];
    const apply = () => {
      const wanted = model.get("_dom_classes") || [];
      el.classList.remove(...shown.filter((c) => !wanted.includes(c)));
      el.classList.add(...wanted);
      shown = [...wanted];
    };
    apply();
    listen(model, "change:_dom_classes", apply);
  }

  function layout(model, el) {
    const style = ref(model.get("layout"));
    if (!style) return;
    const apply = () => {
      for (const [key, value] of Object.entries(style.state)) {
        if (key.startsWith("_")) continue;
        const property = key.replace(/_/g, "-");
        if (value === null || value === undefined || value === "") el.style.removeProperty(property);
        else el.style.setProperty(property, value);
      }
    };
    apply();
    listen(style, "change", apply);
  }

  function box(model) {
    const el = document.createElement("div");
    el.className = `widget-container widget-box ${model.name === "HBoxModel" ? "widget-hbox" : "widget-vbox"}`;
    const fill = () => el.replaceChildren(...(model.get("children") || []).map(ref).filter(Boolean).map(view));
    fill();
    listen(model, "change:children", fill);
    return el;
  }

  function html(model) {
    // As ipywidgets draws it: the value is HTML made (and escaped) by our own Python.
    const el = document.createElement("div");
    el.className = "widget-inline-hbox widget-html";
    const content = document.createElement("div");
    content.className = "widget-html-content";
    el.append(content);
    const fill = () => { content.innerHTML = model.get("value") || ""; };
    fill();
    listen(model, "change:value", fill);
    return el;
  }

  function any(model) {
    // As anywidget runs one: its module's render({model, el}), its CSS once per page.
    const el = document.createElement("div");
    const css = model.get("_css");
    const id = model.get("_anywidget_id") || model.id;
    if (css && !document.querySelector(`style[data-anywidget="${CSS.escape(id)}"]`)) {
      const style = document.createElement("style");
      style.dataset.anywidget = id;
      style.textContent = css;
      document.head.append(style);
    }
    load(model.get("_esm") || "").then(async (module) => {
      let widget = module.default ?? module;
      if (typeof widget === "function") widget = await widget();
      if (widget.initialize && !model.initialized) {
        model.initialized = true;
        await widget.initialize({ model });
      }
      const cleanup = await widget.render?.({ model, el });
      if (typeof cleanup === "function") cleanups.push(cleanup);
    }).catch((error) => console.error("could not show a widget", error));
    return el;
  }

  function load(text) {
    if (!modules.has(text)) {
      const url = URL.createObjectURL(new Blob([text], { type: "text/javascript" }));
      modules.set(text, import(url).finally(() => URL.revokeObjectURL(url)));
    }
    return modules.get(text);
  }

  // -- the page's outputs

  function draw() {
    for (const [model, event, handler] of bound) model.off(event, handler);
    for (const cleanup of cleanups) cleanup();
    bound = [];
    cleanups = [];
    for (const script of cells.querySelectorAll('script[type="application/vnd.voila.cell-output+json"]')) {
      const output = JSON.parse(script.textContent);
      const root = models.get(output.data?.[WIDGET_VIEW]?.model_id);
      if (!root) continue;
      script.previousElementSibling?.classList.contains("wb-room-output") &&
        script.previousElementSibling.remove();
      const holder = document.createElement("div");
      holder.className = "wb-room-output";
      holder.append(view(root));
      script.before(holder);
    }
    cells.style.display = "";
  }

  // -- the kernel's websocket
  //
  // Jupyter's "v1" websocket protocol, where the server passes the kernel's messages on as
  // they are (a list of offsets, then the channel and each part), instead of decoding and
  // re-encoding each one for each page; the older JSON protocol if the server offers no other.

  const V1 = "v1.kernel.websocket.jupyter.org";
  const encoder = new TextEncoder();
  const decoder = new TextDecoder();

  function pack(channel, parts) {
    const chunks = [channel, ...parts].map((part) => encoder.encode(part));
    const head = 8 * (chunks.length + 2);
    const out = new Uint8Array(head + chunks.reduce((n, c) => n + c.length, 0));
    const view = new DataView(out.buffer);
    view.setBigUint64(0, BigInt(chunks.length + 1), true);
    let at = head;
    chunks.forEach((chunk, i) => {
      view.setBigUint64(8 * (i + 1), BigInt(at), true);
      out.set(chunk, at);
      at += chunk.length;
    });
    view.setBigUint64(8 * (chunks.length + 1), BigInt(at), true);
    return out.buffer;
  }

  function unpack(buffer) {
    const view = new DataView(buffer);
    const count = Number(view.getBigUint64(0, true));
    const offsets = [];
    for (let i = 1; i <= count; i++) offsets.push(Number(view.getBigUint64(8 * i, true)));
    const part = (i) => decoder.decode(new Uint8Array(buffer, offsets[i], offsets[i + 1] - offsets[i]));
    // The channel, then header, parent header, metadata and content (then buffers: none here).
    return { channel: part(0), header: JSON.parse(part(1)), content: JSON.parse(part(4)) };
  }

  function send(msg_type, content, metadata = {}) {
    if (!socket || socket.readyState !== WebSocket.OPEN) return;
    const header = { msg_id: hex(), username: "", session, msg_type, version: "5.3",
                     date: new Date().toISOString() };
    if (socket.protocol === V1) {
      socket.send(pack("shell", [header, {}, metadata, content].map((p) => JSON.stringify(p))));
    } else {
      socket.send(JSON.stringify({ header, parent_header: {}, metadata, content,
                                   channel: "shell", buffers: [] }));
    }
  }

  function received(event) {
    const msg = typeof event.data === "string" ? JSON.parse(event.data) : unpack(event.data);
    if (msg.channel !== "iopub") return;
    const content = msg.content || {};
    const type = msg.header.msg_type;
    if (type === "comm_open" && content.target_name === "jupyter.widget") {
      models.set(content.comm_id, new Model(content.comm_id, content.data.state));
    } else if (type === "comm_msg") {
      const data = content.data || {};
      if (content.comm_id === control && data.method === "update_states") {
        for (const [id, { state }] of Object.entries(data.states)) {
          if (models.has(id)) models.get(id).update(state);
          else models.set(id, new Model(id, state));
        }
        draw();
        return;
      }
      const model = models.get(content.comm_id);
      if (!model) return;
      if (data.method === "update" || data.method === "echo_update") model.update(data.state || {});
      else if (data.method === "custom") model.emit("msg:custom", data.content, []);
    }
  }

  function connect() {
    const base = config.baseUrl || "/";
    const scheme = location.protocol === "https:" ? "wss:" : "ws:";
    socket = new WebSocket(`${scheme}//${location.host}${base}api/kernels/` +
                           `${encodeURIComponent(config.kernelId)}/channels?session_id=${session}`,
                           [V1]);
    socket.binaryType = "arraybuffer";
    socket.onopen = () => {
      failures = 0;
      status.hidden = true;
      control = hex();
      send("comm_open", { comm_id: control, target_name: "jupyter.widget.control", data: {} },
           { version: "1.0.0" });
      send("comm_msg", { comm_id: control, data: { method: "request_states" } });
    };
    socket.onmessage = received;
    socket.onclose = () => {
      failures += 1;
      if (failures >= 3) {
        status.textContent = "This page has lost touch with the session. " +
          "Reload the page to carry on following it.";
        status.hidden = false;
      }
      setTimeout(connect, Math.min(10, 2 ** (failures - 1)) * 1000);
    };
  }

  connect();
})();
