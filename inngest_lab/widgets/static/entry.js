// The one ES module every inngest-lab widget loads: `view` picks what to draw.

const VIEWS = {
  timeline: (model, el) => bindTimeline(model, el, "data"),
  runs: bindRunsTable,
  functions: bindFunctionTable,
  composer: bindComposer,
};

export default {
  render({ model, el }) {
    el.classList.add("inngest-widget");
    const view = VIEWS[model.get("view")];
    const cleanups = [noticeLine(model, el)];
    if (view) cleanups.push(view(model, el));
    else el.append(h("div", { class: "inngest-notice" }, `unknown view ${model.get("view")}`));
    return () => cleanups.forEach((c) => c && c());
  },
};
