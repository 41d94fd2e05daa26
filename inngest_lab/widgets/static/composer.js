// EventComposer view: name + JSON data, validated before sending; sent events list the runs they started.

/** The reason an event is invalid, or null. Mirrors the Python check (which has the last word). */
function eventProblem(name, dataText) {
  if (!name.trim()) return "the event needs a name";
  if (name.trim().toLowerCase().startsWith("inngest/")) return "names starting with inngest/ are reserved";
  let data;
  try { data = dataText.trim() ? JSON.parse(dataText) : {}; } catch (err) { return `data is not valid JSON: ${err.message}`; }
  if (typeof data !== "object" || data === null || Array.isArray(data)) return "data must be a JSON object";
  return null;
}

function curlFor(url, name, dataText) {
  const body = JSON.stringify({ name, data: dataText.trim() ? JSON.parse(dataText) : {} });
  return `curl -X POST '${url}' -H 'Content-Type: application/json' -d '${body.replace(/'/g, "'\\''")}'`;
}

function bindComposer(model, el) {
  const listId = `inngest-names-${Math.random().toString(36).slice(2)}`;
  const name = h("input", { type: "text", list: listId, placeholder: "app/user.created", "data-testid": "inngest-event-name", style: "width:100%" });
  const names = h("datalist", { id: listId });
  const data = h("textarea", { "data-testid": "inngest-event-data", spellcheck: "false", style: "width:100%" });
  const problem = h("div", { class: "inngest-notice", "data-testid": "inngest-event-problem" });
  const copied = h("span", { class: "inngest-muted" });
  const sendBtn = h("button", { class: "inngest-btn inngest-btn-primary", "data-testid": "inngest-send" }, "Send event");
  const curlBtn = h("button", { class: "inngest-btn", "data-testid": "inngest-copy-curl" }, "Copy as cURL");
  name.value = model.get("name");
  data.value = model.get("data");
  const check = () => {
    const why = eventProblem(name.value, data.value);
    problem.textContent = why || "";
    problem.style.display = why ? "" : "none";
    data.classList.toggle("inngest-invalid", !!why && why.startsWith("data"));
    sendBtn.disabled = !!why;
    curlBtn.disabled = !!why;
    return why;
  };
  name.addEventListener("input", check);
  data.addEventListener("input", check);
  sendBtn.addEventListener("click", () => {
    if (check()) return;
    command(model, { type: "send", name: name.value, data: data.value });
  });
  curlBtn.addEventListener("click", async () => {
    if (check()) return;
    copied.textContent = (await copyText(curlFor(model.get("event_url"), name.value, data.value))) ? "copied" : "copy failed";
    setTimeout(() => { copied.textContent = ""; }, 1500);
  });
  const sentList = h("div", { class: "inngest-section", "data-testid": "inngest-sent" });
  el.append(h("div", { class: "inngest-form" },
    h("label", {}, "Name"), h("div", {}, name, names),
    h("label", {}, "Data"), data,
    h("span"), h("div", { class: "inngest-toolbar" }, sendBtn, curlBtn, copied)), problem, sentList);
  const drawNames = () => names.replaceChildren(...model.get("suggestions").map((n) => h("option", { value: n })));
  const drawSent = () => {
    const open = (model.get("timeline") || {}).run_id;
    sentList.replaceChildren(...model.get("sent").map((s) => h("div", { class: "inngest-sent-event" },
      h("div", {}, "sent ", h("b", {}, s.name), " ", h("span", { class: "inngest-muted inngest-mono" }, s.event_id),
        h("span", { class: "inngest-muted" }, s.runs.length ? ` started ${s.runs.length} run${s.runs.length > 1 ? "s" : ""}` : " started no run")),
      s.runs.map((r) => h("div", { class: "inngest-clickable inngest-run-row", "data-run-id": r.run_id, "data-selected": r.run_id === open,
        onclick: () => command(model, { type: "open", run_id: r.run_id === open ? null : r.run_id }) },
        "↳ ", pill(r.status.toLowerCase()), " ", r.fn_id, " ", h("span", { class: "inngest-muted inngest-mono" }, r.run_id))))));
  };
  const traits = ["sent", "timeline"];
  traits.forEach((t) => model.on(`change:${t}`, drawSent));
  model.on("change:suggestions", drawNames);
  check(); drawNames(); drawSent();
  const unbind = timelineSection(model, el);
  return () => {
    traits.forEach((t) => model.off(`change:${t}`, drawSent));
    model.off("change:suggestions", drawNames);
    unbind();
  };
}
