// Keys pressed on the workbook's forms are the form's, not JupyterLab's notebook shortcuts.
// In command mode JupyterLab takes "b" (add a cell), "d d" (delete one), "m", "x"… from any
// focused element that is not a text box: a keyboard user typing "d" twice on a list to
// reach "Distant" deleted the step's cell. Lumino skips shortcuts for a key whose target
// carries data-lm-suppress-shortcuts, so each widget control is marked as it takes focus.
// The listener is added once per page, whichever step shows it first; it draws nothing.
export default {
  render({ el }) {
    el.hidden = true;
    if (window.__wbOwnKeys) return;
    window.__wbOwnKeys = true;
    document.addEventListener("focusin", (event) => {
      const target = event.target;
      if (target instanceof Element && target.closest(".jupyter-widgets, .wb-geno")) {
        target.setAttribute("data-lm-suppress-shortcuts", "true");
      }
    }, true);
  },
};
