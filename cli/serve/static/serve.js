// feasible serve: the page's script (plain ES2020, no build step, nothing from elsewhere). The server makes
// every piece of HTML; this script reads the controls into a what-if, streams the answer (NDJSON over fetch,
// a newer change aborting the older request) and puts the server's fragments in place. DOM contract:
// docs/serve.md.
"use strict";
(() => {
  const $ = (selector, root = document) => root.querySelector(selector);
  const $$ = (selector, root = document) => Array.from(root.querySelectorAll(selector));
  const tab = Math.random().toString(36).slice(2) + Date.now().toString(36);
  const timings = [];
  window.feasibleTimings = timings;
  let requests = 0;
  let controller = null;
  let whatif = {};
  let version = null;
  let digest = null;
  const POLL_MS = 1000;  // how often the page asks whether the files changed

  // -- the what-if: controls <-> JSON <-> URL fragment --------------------------------------------------------

  function readWhatif() {
    const w = {drop: [], demote: [], set: {}, weight: {}, readings: []};
    for (const fieldset of $$("fieldset.red-line")) {
      const chosen = $("input[type=radio]:checked", fieldset);
      if (chosen && chosen.value !== "keep") w[chosen.value].push(fieldset.dataset.rule);
    }
    for (const control of $$("[data-issue]")) {
      const value = control.value.trim();
      // A set issue's box: {} is the empty set (the command line's "ISSUE="); an empty box leaves it free.
      if (control.dataset.kind === "set" && value === "{}") w.set[control.dataset.issue] = "";
      else if (value !== "") w.set[control.dataset.issue] = value;
    }
    for (const range of $$("input[data-demand]")) {
      if (range.value !== range.dataset.default) w.weight[range.dataset.demand] = range.value;
    }
    for (const select of $$("select[data-question]")) {
      const option = select.selectedOptions[0];
      if (option && option.dataset.default !== "true") w.readings.push(select.value);
    }
    for (const box of $$("input[data-reading]")) if (box.checked) w.readings.push(box.dataset.reading);
    const objective = $("#objective");
    if (objective && objective.value !== "fair") w.objective = objective.value;
    for (const key of Object.keys(w)) {
      const value = w[key];
      if ((Array.isArray(value) && !value.length) || (typeof value === "object" && !Object.keys(value).length)) {
        delete w[key];
      }
    }
    return w;
  }

  function showWhatif(w) {
    // The controls as the what-if says; what no longer exists in the files is left out.
    const dropped = new Set(w.drop || []), demoted = new Set(w.demote || []);
    for (const fieldset of $$("fieldset.red-line")) {
      const rule = fieldset.dataset.rule;
      const value = dropped.has(rule) ? "drop" : demoted.has(rule) ? "demote" : "keep";
      for (const radio of $$("input[type=radio]", fieldset)) radio.checked = radio.value === value;
    }
    const set = w.set || {}, weight = w.weight || {}, readings = new Set(w.readings || []);
    for (const control of $$("[data-issue]")) {
      const given = set[control.dataset.issue];
      const value = given === undefined || given === null ? "" : given === "" && control.dataset.kind === "set" ? "{}"
        : String(given);
      if (control.tagName === "SELECT" && !Array.from(control.options).some(o => o.value === value)) {
        control.value = "";
      } else {
        control.value = value;
      }
    }
    for (const range of $$("input[data-demand]")) {
      range.value = weight[range.dataset.demand] || range.dataset.default;
      shownWeight(range);
    }
    for (const select of $$("select[data-question]")) {
      const chosen = Array.from(select.options).find(o => readings.has(o.value));
      const fallback = Array.from(select.options).find(o => o.dataset.default === "true");
      select.value = (chosen || fallback || select.options[0]).value;
    }
    for (const box of $$("input[data-reading]")) box.checked = readings.has(box.dataset.reading);
    const objective = $("#objective");
    if (objective) objective.value = w.objective || "fair";
    markChanged();
  }

  function shownWeight(range) {
    const output = range.parentElement.querySelector("output");
    if (output) output.textContent = range.value;
  }

  function markChanged() {
    for (const fieldset of $$("fieldset.red-line")) {
      const chosen = $("input[type=radio]:checked", fieldset);
      fieldset.dataset.choice = chosen ? chosen.value : "keep";
    }
    for (const range of $$("input[data-demand]")) {
      range.closest(".demand").classList.toggle("changed", range.value !== range.dataset.default);
    }
    for (const control of $$("[data-issue]")) {
      control.closest(".issue").classList.toggle("changed", $$("[data-issue]", control.closest(".issue"))
        .some(c => c.value.trim() !== ""));
    }
  }

  function fromFragment() {
    const match = /^#whatif=(.*)$/.exec(location.hash);
    if (!match) return {};
    try {
      const w = JSON.parse(decodeURIComponent(match[1]));
      return w && typeof w === "object" && !Array.isArray(w) ? w : {};
    } catch (_) {
      return {};
    }
  }

  function keepInFragment(w) {
    const fragment = Object.keys(w).length ? "#whatif=" + encodeURIComponent(JSON.stringify(w)) : "";
    history.replaceState(null, "", location.pathname + location.search + fragment);
  }

  // -- the answer --------------------------------------------------------------------------------------------

  function post(path, body, signal) {
    return fetch(path, {method: "POST", headers: {"Content-Type": "application/json"}, body: JSON.stringify(body),
                        signal, cache: "no-store", credentials: "omit"});
  }

  function setVerdict(verdict, stage, line) {
    const element = $("#verdict");
    if (verdict !== null) element.dataset.verdict = verdict;
    element.dataset.stage = stage;
    if (line !== null) element.textContent = line;
    element.className = "verdict" + (element.dataset.verdict ? " verdict-" + element.dataset.verdict : "");
  }

  function showError(text) {
    const error = $("#error");
    error.textContent = text || "";
    error.hidden = !text;
  }

  function handle(message, timing) {
    const body = $("#answer-body");
    switch (message.stage) {
      case "started":
        $("#command").textContent = message.command;
        break;
      case "progress":
        $("#progress").textContent = message.text;
        break;
      case "first":
      case "partial":
      case "complete":
        body.innerHTML = message.html;
        body.classList.remove("stale");
        showError("");
        setVerdict(message.verdict, message.stage, message.line);
        if (message.stage === "complete") {
          timing.completeAt = performance.now();
          if (timing.firstAt === null) timing.firstAt = timing.completeAt;
          timing.verdict = message.verdict;
          $("#progress").textContent = "";
          document.body.dataset.answered = String(timing.n);
        } else if (message.stage === "first") {
          timing.firstAt = performance.now();
          timing.verdict = message.verdict;
        }
        break;
      case "error":
        body.classList.add("stale");
        setVerdict("", "error", $("#verdict").dataset.errorLine || "");
        showError(message.text);
        $("#progress").textContent = "";
        timing.errorAt = performance.now();
        document.body.dataset.errored = String(timing.n);
        break;
      case "cancelled":
        // Stopped by the server (more tabs than it answers at once, or it is stopping): said, with a way back.
        setVerdict(null, "cancelled", null);
        $("#progress").textContent = $("#answer").dataset.stopped || "";
        $("#ask-again").hidden = false;
        break;
    }
  }

  async function ask(changedAt) {
    if (controller) controller.abort();
    const mine = new AbortController();
    controller = mine;
    const timing = {n: ++requests, changedAt, firstAt: null, completeAt: null, verdict: null};
    timings.push(timing);
    whatif = readWhatif();
    keepInFragment(whatif);
    markChanged();
    $("#answer-body").classList.add("stale");
    $("#ask-again").hidden = true;
    stalePreview();
    setVerdict(null, "pending", null);
    $("#progress").textContent = $("#answer").dataset.waiting || "…";
    try {
      const response = await post("api/answer", {tab, whatif}, mine.signal);
      if (!response.ok) {
        handle({stage: "error", text: (await response.text()).trim()}, timing);
        return;
      }
      const reader = response.body.getReader();
      const decoder = new TextDecoder();
      let buffer = "";
      for (;;) {
        const {done, value} = await reader.read();
        if (done) break;
        buffer += decoder.decode(value, {stream: true});
        let end;
        while ((end = buffer.indexOf("\n")) >= 0) {
          const line = buffer.slice(0, end);
          buffer = buffer.slice(end + 1);
          if (line.trim() && controller === mine) handle(JSON.parse(line), timing);
        }
      }
    } catch (error) {
      if (error.name !== "AbortError") handle({stage: "error", text: String(error)}, timing);
    }
  }

  // -- downloads and writes ----------------------------------------------------------------------------------

  const downloading = {};  // path -> the download of it in flight

  async function download(path, name) {
    const status = $("#write-status");
    if (downloading[path]) downloading[path].abort();  // a newer download gives the older up (its solve stops)
    const mine = new AbortController();
    downloading[path] = mine;
    let blob;
    try {
      const response = await post(path, {whatif}, mine.signal);
      if (!response.ok) {
        status.textContent = await refusal(response);
        return;
      }
      blob = await response.blob();
    } catch (error) {
      if (error.name !== "AbortError") status.textContent = String(error);
      return;
    } finally {
      if (downloading[path] === mine) delete downloading[path];
    }
    const url = URL.createObjectURL(blob);
    const link = document.createElement("a");
    link.href = url;
    link.download = name;
    document.body.appendChild(link);
    link.click();
    link.remove();
    setTimeout(() => URL.revokeObjectURL(url), 10000);
  }

  async function refusal(response) {
    const text = await response.text();
    try {
      return JSON.parse(text).error || text;
    } catch (_) {
      return text.trim();
    }
  }

  async function preview() {
    const status = $("#write-status"), diff = $("#write-diff"), confirm = $("#confirm-write");
    status.textContent = "";
    digest = null;
    const response = await post("api/preview", {whatif});
    if (!response.ok) {
      diff.hidden = true;
      confirm.hidden = true;
      status.textContent = await refusal(response);
      return;
    }
    const plan = await response.json();
    diff.textContent = plan.diff;
    diff.hidden = !plan.diff;
    confirm.hidden = !plan.diff;
    status.textContent = plan.status;
    digest = plan.digest;
  }

  function stalePreview() {
    // A new what-if: the diff previewed is no longer the one a write would make.
    const diff = $("#write-diff"), confirm = $("#confirm-write");
    if (!confirm.hidden || !diff.hidden) $("#write-status").textContent = $("#write-box").dataset.changed || "";
    diff.hidden = true;
    confirm.hidden = true;
    digest = null;
  }

  async function confirmWrite() {
    const status = $("#write-status");
    const response = await post("api/write", {whatif, digest});
    $("#confirm-write").hidden = true;
    $("#write-diff").hidden = true;
    if (!response.ok) {
      status.textContent = await refusal(response);
      return;
    }
    const written = await response.json();
    status.textContent = written.status;
    // The edits written leave the what-if (they are in the files now); the objective and the readings stay.
    const kept = {};
    if (whatif.objective) kept.objective = whatif.objective;
    if (whatif.readings) kept.readings = whatif.readings;
    whatif = kept;
    await reloadPanel(kept);
  }

  // -- the files changing on disk -----------------------------------------------------------------------------

  function lostParts(wanted, shown) {
    // The names of the what-if the files no longer have (a red line removed, an issue renamed, ...).
    const lost = [];
    for (const key of ["drop", "demote", "readings"]) {
      const kept = new Set(shown[key] || []);
      for (const name of wanted[key] || []) if (!kept.has(name)) lost.push(name);
    }
    for (const key of ["set", "weight"]) {
      const kept = shown[key] || {};
      for (const name of Object.keys(wanted[key] || {})) if (!(name in kept)) lost.push(name);
    }
    return lost;
  }

  async function reloadPanel(shown) {
    // The panel of the files as they are now; `shown`: the what-if to show in it (null: the current one).
    const response = await fetch("api/panel", {cache: "no-store", credentials: "omit"});
    if (!response.ok) return;
    const changedAt = performance.now();
    $("#panel").innerHTML = await response.text();
    const panel = $("#scenario-panel");
    version = panel ? panel.dataset.version : version;
    const wanted = shown || whatif;
    showWhatif(wanted);
    const lost = lostParts(wanted, readWhatif());
    const note = $("#whatif-lost");
    note.textContent = lost.length ? (note.dataset.template || "").replace("{names}", lost.join(", ")) : "";
    note.hidden = !lost.length;
    ask(changedAt);
  }

  async function poll() {
    // The files' version, asked about once a second (no request is held open: a browser has few connections to
    // one host, and every tab of this page shares them).
    try {
      const response = await fetch("api/version", {cache: "no-store", credentials: "omit"});
      if (response.ok) {
        const files = await response.json();
        const seen = String(files.version);
        const status = $("#files-status");
        status.hidden = files.valid;
        status.textContent = files.valid ? "" : status.dataset.invalid || "";
        if (version !== null && seen !== version) {
          version = seen;
          reloadPanel(null);
        }
        version = seen;
      }
    } catch (_) {
      // the server is away for now: asked again below
    }
    setTimeout(poll, POLL_MS);
  }

  // -- wiring ----------------------------------------------------------------------------------------------------

  function changed(event) {
    const changedAt = performance.now();
    const target = event.target;
    if (!target.closest("#scenario-panel") || !target.matches("input, select") || target.id === "filter") return;
    if (target.matches("input[type=range]")) shownWeight(target);
    if (event.type === "input" && (target.matches("input[type=range]") || target.matches("input[type=text]"))) return;
    ask(changedAt);
  }

  function filter(text) {
    // A long scenario's panel narrowed to the positions whose words (or names) hold every word typed.
    const wanted = text.toLowerCase().split(/\s+/).filter(Boolean);
    for (const item of $$("#parties-panel fieldset.red-line, #parties-panel .demand")) {
      const words = item.textContent.toLowerCase();
      item.hidden = !wanted.every(word => words.includes(word));
    }
  }

  function start() {
    const panel = $("#scenario-panel");
    version = panel ? panel.dataset.version : null;
    $("#panel").addEventListener("change", changed);
    $("#panel").addEventListener("input", event => {
      if (event.target.matches("input[type=range]")) shownWeight(event.target);
      if (event.target.id === "filter") filter(event.target.value);
    });
    $("#panel").addEventListener("keydown", event => {
      if (event.key === "Enter" && event.target.matches("input[type=text]")) {
        event.preventDefault();
        event.target.blur();
      }
    });
    $("#ask-again").addEventListener("click", () => ask(performance.now()));
    $("#reset").addEventListener("click", () => {
      const changedAt = performance.now();
      showWhatif({});
      ask(changedAt);
    });
    $("#download-overlay").addEventListener("click", () => download("api/overlay", "whatif.yaml"));
    $("#download-report").addEventListener("click", () => download("api/report", "report.html"));
    const write = $("#preview-write");
    if (write && !write.disabled) write.addEventListener("click", preview);
    $("#confirm-write").addEventListener("click", confirmWrite);
    $("#panel").addEventListener("click", event => {
      const toggle = event.target.closest("[data-toggle-parties]");
      if (!toggle) return;
      for (const party of $$("details.party")) party.open = toggle.dataset.toggleParties === "open";
    });
    showWhatif(fromFragment());
    ask(performance.now());
    setTimeout(poll, POLL_MS);
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
