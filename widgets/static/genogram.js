// The genogram widget's front end: place the SVG drawn in Python, report which person
// is selected (click or keyboard), zoom and pan, and hide the relationship lines this
// screen chose not to see. No drawing decisions are made here.

function render({ model, el }) {
  el.classList.add("wb-geno");
  const showMode = () => el.classList.toggle("wb-geno-view", model.get("mode") === "view");
  showMode();
  const toolbar = document.createElement("div");
  toolbar.className = "wb-geno-toolbar";
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
  const viewport = document.createElement("div");
  viewport.className = "wb-geno-viewport";
  const stage = document.createElement("div");
  stage.className = "wb-geno-stage";
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
    const selected = model.get("selected");
    const node = selected
      ? stage.querySelector(`[data-person="${CSS.escape(selected)}"]`) : null;
    if (node && node.getBBox) {
      const box = node.getBBox();
      const roomX = viewport.clientWidth - width * zoom;
      const roomY = viewport.clientHeight - height * zoom;
      if (roomX < 0) {
        pan.x = Math.min(0, Math.max(roomX, viewport.clientWidth / 2 - (box.x + box.width / 2) * zoom));
      }
      if (roomY < 0) {
        pan.y = Math.min(0, Math.max(roomY, viewport.clientHeight / 2 - (box.y + box.height / 2) * zoom));
      }
    }
    setZoom(zoom);
    applyTransform();
  };
  button("Fit", "Fit: show as much of the genogram as can be read", fit);

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
    markSelected();
    applyTransform();
    if (focused) {
      const again = stage.querySelector(`[data-person="${CSS.escape(focused)}"][tabindex]`);
      if (again) again.focus({ preventScroll: true });
    }
  };
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
  model.on("change:selected", markSelected);
  model.on("change:zoom", applyTransform);
  model.on("change:mode", showMode);
  model.on("change:relationships", showLines);
  // After Python adds someone: the new drawing is in place by the next frame.
  const reveal = () => requestAnimationFrame(fit);
  model.on("change:reveal", reveal);
  draw();
  return () => {
    model.off("change:svg", draw);
    model.off("change:selected", markSelected);
    model.off("change:zoom", applyTransform);
    model.off("change:mode", showMode);
    model.off("change:relationships", showLines);
    model.off("change:reveal", reveal);
  };
}

export default { render };
