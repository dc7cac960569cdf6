// Brings the part of the page the group is on into view when the supervisor moves on.
// It never takes keyboard focus, and it does not animate for people who ask for less motion.
function bring(model) {
  const target =
    document.querySelector(".wb-section-current") || document.querySelector(".wb-step-current");
  if (!target) return;
  const still = window.matchMedia("(prefers-reduced-motion: reduce)").matches;
  target.scrollIntoView({ block: "start", behavior: still ? "auto" : "smooth" });
  window.__wbBroughtIntoView = model.get("step");
}

export default {
  render({ model, el }) {
    el.hidden = true;
    const later = () => setTimeout(() => bring(model), 120); // after the highlight is drawn
    model.on("change:step", later);
    return () => model.off("change:step", later);
  },
};
