// RunsTable and FunctionTable views. Both show the selected run's live timeline under the table.

const RUN_STATUSES = ["Queued", "Running", "Completed", "Failed", "Cancelled", "Skipped"];
const AGES = [[0, "any time"], [5, "last 5 min"], [60, "last hour"], [1440, "last day"], [10080, "last week"]];

/** A <select> bound to a model trait. */
function selectFor(model, trait, options, testid) {
  const sel = h("select", { "data-testid": testid, onchange: () => {
    const raw = sel.value;
    model.set(trait, typeof model.get(trait) === "number" ? Number(raw) : raw);
    model.save_changes();
  } }, options.map(([value, label]) => h("option", { value: String(value) }, label)));
  sel.value = String(model.get(trait));
  return sel;
}

/** The timeline of the run a row opened, bound to the `timeline` trait. */
function timelineSection(model, el) {
  const section = h("div", { class: "inngest-section" });
  el.append(section);
  return bindTimeline(model, section, "timeline");
}

function bindRunsTable(model, el) {
  const head = h("div");
  const body = h("div");
  el.append(head, body);
  const draw = () => {
    const ev = model.get("event");
    head.replaceChildren();
    if (ev && ev.id) {
      head.append(h("div", { class: "inngest-toolbar" },
        h("b", {}, ev.name), h("span", { class: "inngest-muted inngest-mono" }, ev.id),
        h("span", { class: "inngest-muted" }, fmtTime(ev.received_at))),
        jsonBlock(ev.payload && ev.payload.data));
    } else {
      head.append(h("div", { class: "inngest-toolbar" },
        selectFor(model, "status", [["", "all statuses"], ...RUN_STATUSES.map((s) => [s, s])], "inngest-filter-status"),
        selectFor(model, "fn_id", [["", "all functions"], ...model.get("functions").map((f) => [f, f])], "inngest-filter-function"),
        selectFor(model, "since_minutes", AGES, "inngest-filter-age"),
        h("button", { class: "inngest-btn", onclick: () => command(model, { type: "refresh" }) }, "Refresh"),
        h("span", { class: "inngest-muted" }, `${model.get("runs").length} runs`)));
    }
    const open = (model.get("timeline") || {}).run_id;
    const rows = model.get("runs").map((r) => h("tr", {
      class: "inngest-clickable inngest-run-row", "data-run-id": r.run_id, "data-status": r.status.toLowerCase(),
      "data-selected": r.run_id === open, onclick: () => command(model, { type: "open", run_id: r.run_id === open ? null : r.run_id }),
    },
      h("td", {}, pill(r.status.toLowerCase())), h("td", { class: "inngest-mono" }, r.run_id), h("td", {}, r.fn_id),
      h("td", {}, r.event_name), h("td", {}, fmtTime(r.queued_at)), h("td", {}, fmtDuration(r.duration))));
    body.replaceChildren(h("table", { class: "inngest-table", "data-testid": "inngest-runs" },
      h("thead", {}, h("tr", {}, ["Status", "Run ID", "Function", "Trigger", "Queued at", "Duration"].map((c) => h("th", {}, c)))),
      h("tbody", {}, rows.length ? rows : h("tr", {}, h("td", { colspan: 6, class: "inngest-muted" }, "no runs")))));
  };
  const traits = ["runs", "functions", "event", "timeline", "status", "fn_id", "since_minutes"];
  traits.forEach((t) => model.on(`change:${t}`, draw));
  draw();
  const unbind = timelineSection(model, el);
  return () => { traits.forEach((t) => model.off(`change:${t}`, draw)); unbind(); };
}

/** A function's flow-control options as chips. */
function flowChips(flow) {
  return Object.entries(flow).map(([k, v]) => h("span", { class: "inngest-chip", title: JSON.stringify(v) },
    `${k} ${Array.isArray(v) ? v.map((x) => x.limit ?? "").join(",") : v.limit ?? v.period ?? v.maxSize ?? ""}`.trim()));
}

function bindFunctionTable(model, el) {
  const body = h("div");
  el.append(body);
  let editing = null; // fn_id whose invoke editor is open
  const draw = () => {
    const rows = [];
    for (const f of model.get("functions")) {
      rows.push(h("tr", { class: "inngest-function-row", "data-fn-id": f.fn_id },
        h("td", {}, h("b", {}, f.name), h("div", { class: "inngest-muted inngest-mono" }, f.fn_id)),
        h("td", {}, f.triggers.map((t) => h("span", { class: "inngest-chip" }, t))),
        h("td", {}, String(f.retries)),
        h("td", {}, flowChips(f.flow), f.cancel.map((c) => h("span", { class: "inngest-chip" }, `cancel on ${c}`))),
        h("td", {}, h("button", { class: "inngest-btn", "data-testid": "inngest-invoke", onclick: () => {
          editing = editing === f.fn_id ? null : f.fn_id; draw();
        } }, "Invoke"))));
      if (editing === f.fn_id) {
        const area = h("textarea", { rows: 4, style: "width:100%" }, "{}");
        const go = () => {
          try {
            const data = JSON.parse(area.value || "{}");
            if (typeof data !== "object" || data === null || Array.isArray(data)) throw new Error("data must be a JSON object");
            command(model, { type: "invoke", fn_id: f.fn_id, data });
            editing = null; draw();
          } catch (err) {
            area.classList.add("inngest-invalid"); area.title = String(err.message || err);
          }
        };
        rows.push(h("tr", {}, h("td", { colspan: 5 }, h("div", { class: "inngest-label" }, `data for ${f.fn_id}`), area,
          h("button", { class: "inngest-btn inngest-btn-primary", onclick: go }, "Invoke function"))));
      }
    }
    body.replaceChildren(h("table", { class: "inngest-table", "data-testid": "inngest-functions" },
      h("thead", {}, h("tr", {}, ["Function", "Triggers", "Retries", "Flow control", ""].map((c) => h("th", {}, c)))),
      h("tbody", {}, rows.length ? rows : h("tr", {}, h("td", { colspan: 5, class: "inngest-muted" }, "no functions registered")))));
  };
  model.on("change:functions", draw);
  draw();
  const unbind = timelineSection(model, el);
  return () => { model.off("change:functions", draw); unbind(); };
}
