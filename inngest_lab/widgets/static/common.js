// Shared helpers of the inngest-lab widgets. This file is concatenated with the other parts into one
// self-contained ES module by inngest_lab/widgets/bundle.py (no imports, no CDN).

/** @param {string} tag @param {Record<string, any>} [attrs] @param {...any} children */
function h(tag, attrs, ...children) {
  const el = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs || {})) {
    if (value === undefined || value === null || value === false) continue;
    if (key === "class") el.className = value;
    else if (key === "style") el.setAttribute("style", value);
    else if (key.startsWith("on")) el.addEventListener(key.slice(2), value);
    else if (key === "text") el.textContent = value;
    else el.setAttribute(key, value === true ? "" : String(value));
  }
  for (const child of children.flat()) {
    if (child === undefined || child === null || child === false) continue;
    el.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return el;
}

/** @param {number | null | undefined} ms */
function fmtDuration(ms) {
  if (ms === null || ms === undefined) return "-";
  if (ms < 1000) return `${Math.round(ms)}ms`;
  if (ms < 60000) return `${(ms / 1000).toFixed(1)}s`;
  let s = Math.floor(ms / 1000);
  const d = Math.floor(s / 86400); s -= d * 86400;
  const hr = Math.floor(s / 3600); s -= hr * 3600;
  const m = Math.floor(s / 60); s -= m * 60;
  return [[d, "d"], [hr, "h"], [m, "m"], [s, "s"]].filter(([v]) => v).slice(0, 2).map(([v, u]) => `${v}${u}`).join(" ");
}

/** @param {number | null | undefined} ms */
function fmtTime(ms) {
  if (ms === null || ms === undefined) return "-";
  return new Date(ms).toISOString().replace("T", " ").replace("Z", " UTC");
}

const STATUS_LABEL = {
  queued: "Queued", running: "Running", completed: "Completed", failed: "Failed", retrying: "Retrying",
  errored: "Errored", sleeping: "Sleeping", waiting: "Waiting", invoking: "Invoking", timed_out: "Timed out",
  cancelled: "Cancelled", skipped: "Skipped",
};

/** A status pill. @param {string} status */
function pill(status) {
  return h("span", { class: `inngest-pill inngest-s-${status}`, "data-status": status }, STATUS_LABEL[status] || status);
}

/** Pretty JSON in a <pre>, or a dash. @param {any} value */
function jsonBlock(value) {
  if (value === undefined) return h("span", { class: "inngest-muted" }, "-");
  return h("pre", { class: "inngest-json" }, JSON.stringify(value, null, 2));
}

/** Error name, message and stack. @param {any} error */
function errorBlock(error) {
  if (error === null || error === undefined) return null;
  if (typeof error !== "object") return h("pre", { class: "inngest-error" }, String(error));
  const message = error.message || error.error || "";
  return h("div", { class: "inngest-error" },
    h("div", { class: "inngest-error-title" }, `${error.name || "Error"}: ${message}`),
    error.stack ? h("pre", { class: "inngest-stack" }, String(error.stack)) : null);
}

/** Send a command to the Python side. @param {any} model @param {Record<string, any>} msg */
function command(model, msg) {
  model.send(msg);
}

/** Copy text to the clipboard; fall back to selecting it in a prompt-free textarea. @param {string} text */
async function copyText(text) {
  try {
    await navigator.clipboard.writeText(text);
    return true;
  } catch (_err) {
    const area = h("textarea", { style: "position:fixed;opacity:0" }, text);
    document.body.append(area);
    area.select();
    const ok = document.execCommand("copy");
    area.remove();
    return ok;
  }
}

/** Show the model's notice line (errors from the Python side). @param {any} model @param {HTMLElement} el */
function noticeLine(model, el) {
  const line = h("div", { class: "inngest-notice", "data-testid": "inngest-notice" });
  const draw = () => {
    const text = model.get("notice") || "";
    line.textContent = text;
    line.style.display = text ? "" : "none";
  };
  draw();
  model.on("change:notice", draw);
  el.append(line);
  return () => model.off("change:notice", draw);
}
