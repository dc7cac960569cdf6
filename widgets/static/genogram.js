// The genogram widget's front end: place the SVG drawn in Python, report which person is
// selected (click or keyboard), zoom and pan, hide the lines this screen chose not to see.

function render({ model, el }) {
  el.classList.add("wb-geno");
  // Keys on its controls and people are the genogram's, not JupyterLab's ("d d" deleted a cell)
  const ownKeys = () => el.querySelectorAll("button, select, [tabindex]").forEach(
    (node) => node.setAttribute("data-lm-suppress-shortcuts", "true"));
  const showMode = () => el.classList.toggle("wb-geno-view", model.get("mode") === "view");
  showMode();
  const toolbar = Object.assign(document.createElement("div"), { className: "wb-geno-toolbar" });
  toolbar.setAttribute("role", "toolbar");
  toolbar.setAttribute("aria-label", "Zoom the genogram and choose its lines");
  const button = (label, title, onClick) => {
    const b = document.createElement("button");
    b.type = "button";
    b.textContent = label;
    b.title = title;
    b.setAttribute("aria-label", title);
    b.addEventListener("click", onClick);
    toolbar.appendChild(b);
    return b;
  };
  // Which relationship lines to show, on this screen only.
  const linesLabel = document.createElement("label");
  linesLabel.className = "wb-geno-lines";
  linesLabel.textContent = "Relationship lines ";
  const lines = document.createElement("select");
  for (const [value, text] of [["all", "All"], ["selected", "Selected person's"],
                               ["none", "None"]]) {
    const option = document.createElement("option");
    option.value = value;
    option.textContent = text;
    lines.appendChild(option);
  }
  lines.value = model.get("relationships");
  lines.addEventListener("change", () => {
    model.set("relationships", lines.value);
    model.save_changes();
  });
  linesLabel.appendChild(lines);
  toolbar.appendChild(linesLabel);
  const viewport = Object.assign(document.createElement("div"), { className: "wb-geno-viewport" });
  const stage = Object.assign(document.createElement("div"), { className: "wb-geno-stage" });
  viewport.appendChild(stage);
  el.append(toolbar, viewport);

  let pan = { x: 0, y: 0 };
  const clampZoom = (z) => Math.min(4, Math.max(0.25, z));
  const applyTransform = () => {
    stage.style.transform = `translate(${pan.x}px, ${pan.y}px) scale(${model.get("zoom")})`;
  };
  const setZoom = (z) => {
    model.set("zoom", clampZoom(z));
    model.save_changes();
  };
  button("+", "Zoom in", () => setZoom(model.get("zoom") * 1.25));
  button("−", "Zoom out", () => setZoom(model.get("zoom") / 1.25));
  // Pan so that the selected person stands mid-box, as far as the drawing allows.
  const selectedNode = () => {
    const selected = model.get("selected");
    return selected ? stage.querySelector(`[data-person="${CSS.escape(selected)}"]`) : null;
  };
  const centreOn = (node, zoom, width, height) => {
    const box = node.getBBox();
    const centre = (size, drawn, at) => (size - drawn * zoom < 0
      ? Math.min(0, Math.max(size - drawn * zoom, size / 2 - at * zoom)) : 0);
    pan = { x: centre(viewport.clientWidth, width, box.x + box.width / 2),
            y: centre(viewport.clientHeight, height, box.y + box.height / 2) };
  };
  // Fit the drawing to the width of the box, but never so small that names are hard to
  // read; when it is still wider (or taller) than the box, bring the selected person into
  // view instead of the top-left corner.
  const fit = () => {
    const svg = stage.querySelector("svg");
    const width = svg?.viewBox?.baseVal?.width || svg?.getBoundingClientRect().width || 0;
    const height = svg?.viewBox?.baseVal?.height || 0;
    const readable = model.get("readable_zoom") || 0.9;
    const zoom = width > 0
      ? Math.max(readable, Math.min(1, viewport.clientWidth / width)) : 1;
    pan = { x: 0, y: 0 };
    const node = selectedNode();
    if (node && node.getBBox) centreOn(node, zoom, width, height);
    setZoom(zoom);
    applyTransform();
  };
  button("Fit", "Fit: show as much of the genogram as can be read", fit);
  // A page that follows (view mode) keeps the person the supervisor chose in sight (in a
  // family wider than the box they may stand outside it): once per choice, and only when
  // they are out of sight, so a viewer's own panning is otherwise left alone.
  let followChoice = true;
  const keepChoiceInView = () => {
    const node = selectedNode();  // none chosen, not drawn yet, or the box has no size yet:
    if (!followChoice || model.get("mode") !== "view" || !node?.getBBox || !viewport.clientWidth) return;
    followChoice = false;
    const seen = node.getBoundingClientRect(), box = viewport.getBoundingClientRect();
    if (seen.left < box.left || seen.right > box.right || seen.top < box.top || seen.bottom > box.bottom) {
      const svg = stage.querySelector("svg");
      centreOn(node, model.get("zoom"), svg.viewBox.baseVal.width, svg.viewBox.baseVal.height);
      applyTransform();
    }
  };

  const showLines = () => {
    const choice = model.get("relationships");
    const selected = model.get("selected");
    lines.value = choice;
    for (const node of stage.querySelectorAll("g.relationship")) {
      const people = (node.getAttribute("data-between") || "").split(" ");
      const shown = choice === "all" || (choice === "selected" && selected !== ""
                                         && people.includes(selected));
      node.classList.toggle("wb-geno-hidden", !shown);
    }
  };
  const markSelected = () => {
    const selected = model.get("selected");
    for (const node of stage.querySelectorAll("[data-person]")) {
      const on = node.getAttribute("data-person") === selected;
      node.classList.toggle("wb-geno-selected", on);
      node.setAttribute("aria-pressed", on ? "true" : "false");
    }
    showLines();
  };
  const draw = () => {
    // Keyboard users keep their place when Python sends a new drawing.
    const active = document.activeElement;
    const focused = active && stage.contains(active) ? active.getAttribute("data-person") : null;
    // The SVG is built in Python, where every typed text is escaped and tested.
    stage.innerHTML = model.get("svg");
    ownKeys();
    markSelected();
    applyTransform();
    keepChoiceInView();
    if (focused) {
      const again = stage.querySelector(`[data-person="${CSS.escape(focused)}"][tabindex]`);
      if (again) again.focus({ preventScroll: true });
    }
  };
  const newChoice = () => { followChoice = true; markSelected(); keepChoiceInView(); };
  // The box may have no size yet (a part still hidden): try again once it has one.
  const resized = new ResizeObserver(keepChoiceInView);
  resized.observe(viewport);
  const select = (target) => {
    const node = target.closest ? target.closest("[data-person]") : null;
    if (!node || !stage.contains(node)) return;
    model.set("selected", node.getAttribute("data-person"));
    model.save_changes();
  };
  stage.addEventListener("click", (event) => select(event.target));
  stage.addEventListener("keydown", (event) => {
    if (event.key === "Enter" || event.key === " ") {
      event.preventDefault();
      select(event.target);
    }
  });
  viewport.addEventListener(
    "wheel",
    (event) => {
      if (!event.ctrlKey && !event.metaKey) return;
      event.preventDefault();
      setZoom(model.get("zoom") * (event.deltaY < 0 ? 1.1 : 1 / 1.1));
    },
    { passive: false },
  );
  let drag = null;
  viewport.addEventListener("pointerdown", (event) => {
    if (event.target.closest && event.target.closest("[data-person]")) return;
    drag = { x: event.clientX - pan.x, y: event.clientY - pan.y };
  });
  const endDrag = () => { drag = null; };
  viewport.addEventListener("pointermove", (event) => {
    if (!drag) return;
    pan = { x: event.clientX - drag.x, y: event.clientY - drag.y };
    applyTransform();
  });
  viewport.addEventListener("pointerup", endDrag);
  viewport.addEventListener("pointerleave", endDrag);

  model.on("change:svg", draw);
  model.on("change:selected", newChoice);
  model.on("change:zoom", applyTransform);
  model.on("change:mode", showMode);
  model.on("change:relationships", showLines);
  // After Python adds someone: the new drawing is in place by the next frame.
  const reveal = () => requestAnimationFrame(fit);
  model.on("change:reveal", reveal);
  draw();
  return () => {
    model.off("change:svg", draw);
    model.off("change:selected", newChoice);
    resized.disconnect();
    model.off("change:zoom", applyTransform);
    model.off("change:mode", showMode);
    model.off("change:relationships", showLines);
    model.off("change:reveal", reveal);
  };
}

export default { render };
