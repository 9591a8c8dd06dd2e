// Review page behaviour: select beads, send actions as JSON, swap in the server's fresh HTML.
// Plain JavaScript, no build step. Text only ever enters the page as server-escaped HTML or
// through textContent/value, never through string concatenation into markup.
"use strict";

(function () {
  const csrf = document.querySelector('meta[name="csrf-token"]').content;
  const main = document.getElementById("beads");
  const message = document.getElementById("message");
  const reviewer = document.getElementById("reviewer");
  const threshold = document.getElementById("threshold");
  const editor = document.getElementById("editor");
  const editorText = document.getElementById("editor-text");
  let current = null; // the selected bead element
  let picked = null; // a clicked sentence: split point and correction target
  let onSave = null;
  let lastStatus = 0; // HTTP status of the last action: 409 means a stale view
  const PLACE = "interp-align-place:" + location.pathname;

  reviewer.value = localStorage.getItem("interp-align-reviewer") || reviewer.value;
  reviewer.addEventListener("change", () => {
    localStorage.setItem("interp-align-reviewer", reviewer.value.trim());
  });

  const beads = () => Array.from(main.querySelectorAll(".bead"));

  function say(text, bad) {
    message.textContent = text;
    message.className = bad ? "bad" : "ok";
  }

  function unpick() {
    if (picked) picked.classList.remove("picked");
    picked = null;
  }

  function select(bead, scroll = true) {
    if (!bead) return;
    if (current) current.classList.remove("current");
    current = bead;
    bead.classList.add("current");
    if (picked && !bead.contains(picked)) unpick();
    if (scroll) bead.scrollIntoView({ block: "nearest" });
    sessionStorage.setItem(PLACE, bead.id); // a reload comes back here
  }

  function move(step) {
    const list = beads();
    const i = list.indexOf(current);
    select(list[Math.max(0, Math.min(list.length - 1, i + step))]);
  }

  function findNext(test, what) {
    const list = beads();
    const start = list.indexOf(current);
    for (let k = 1; k <= list.length; k++) {
      const bead = list[(start + k) % list.length];
      if (test(bead)) return select(bead);
    }
    say("no " + what + " bead", false);
  }

  function sibling(bead, step) {
    let el = step < 0 ? bead.previousElementSibling : bead.nextElementSibling;
    while (el && !el.classList.contains("bead")) {
      el = step < 0 ? el.previousElementSibling : el.nextElementSibling;
    }
    return el;
  }

  function versions(list) {
    const seen = {};
    list.filter(Boolean).forEach((b) => { seen[b.dataset.id] = Number(b.dataset.version); });
    return seen;
  }

  function showCounts(counts) {
    document.querySelectorAll("[data-count]").forEach((el) => {
      el.textContent = counts[el.dataset.count];
    });
  }

  function replaceUnit(unit) {
    const old = document.getElementById("u" + unit.id);
    if (!old) return;
    const keep = current && current.id;
    old.outerHTML = unit.html; // rendered and escaped by the server's Jinja2 templates
    picked = null;
    const again = keep && document.getElementById(keep);
    if (again) { current = again; again.classList.add("current"); }
  }

  async function send(payload) {
    payload.reviewer = reviewer.value.trim();
    let response;
    let data;
    try {
      response = await fetch("api/action", {
        method: "POST",
        credentials: "same-origin",
        headers: { "Content-Type": "application/json", "X-CSRF-Token": csrf },
        body: JSON.stringify(payload),
      });
      data = await response.json();
    } catch (error) {
      say("not saved: " + error, true);
      return false;
    }
    (data.units || []).forEach(replaceUnit);
    if (data.counts) showCounts(data.counts);
    const focus = data.focus && document.getElementById("b" + data.focus);
    if (focus) select(focus);
    else if (current && !document.body.contains(current)) current = null;
    lastStatus = response.status;
    say(data.message, !response.ok);
    document.body.dataset.saved = String(Date.now()); // lets tests wait for the answer
    return response.ok;
  }

  function act(name, extra = {}, neighbours = []) {
    if (!current) { say("select a bead first", true); return Promise.resolve(false); }
    const payload = { action: name, bead: Number(current.dataset.id), ...extra };
    payload.versions = versions([current, ...neighbours]);
    return send(payload);
  }

  function splitPoint() {
    if (!picked || !current.contains(picked)) return {};
    const side = picked.dataset.side;
    const list = Array.from(current.querySelectorAll('.sent[data-side="' + side + '"]'));
    return { [side + "_at"]: list.indexOf(picked) };
  }

  // theirs (a string) opens the editor as a conflict: the other reviewer's saved version
  // beside the typed one, which is kept until the reviewer re-applies or discards it.
  function openEditor(title, original, text, save, theirs = null) {
    const conflict = theirs !== null;
    document.getElementById("editor-title").textContent = title;
    document.getElementById("editor-original").textContent = original;
    document.getElementById("editor-theirs").textContent = conflict ? theirs : "";
    document.getElementById("editor-theirs-box").hidden = !conflict;
    document.getElementById("editor-mine-label").hidden = !conflict;
    document.getElementById("editor-cancel").textContent = conflict ? "Discard mine" : "Cancel";
    document.getElementById("editor-save").textContent = conflict ? "Re-apply mine" : "Save";
    document.getElementById("editor-save").hidden = !save;
    editor.classList.toggle("conflict", conflict);
    editorText.value = text;
    onSave = save;
    editor.returnValue = ""; // Escape keeps the last value: never let it mean "save"
    editor.showModal();
    editorText.focus();
  }

  editor.addEventListener("cancel", (event) => {
    if (editor.classList.contains("conflict")) event.preventDefault(); // Escape must not drop text
  });

  editor.addEventListener("close", () => {
    const save = onSave;
    onSave = null;
    if (editor.returnValue === "save" && save) save(editorText.value);
  });

  // Save typed text; when refused as stale, reopen it beside the version now saved.
  async function saveText(name, extra, text, original, theirs) {
    const id = current && current.id;
    if (await act(name, { ...extra, text }) || lastStatus !== 409) return;
    const bead = id && document.getElementById(id);
    if (bead) select(bead, false);
    const saved = bead ? theirs(bead) : "(this bead was merged away or removed)";
    const retry = bead ? (mine) => saveText(name, extra, mine, original, theirs) : null;
    openEditor("Not saved: someone else changed this bead", original, text, retry, saved);
  }

  function correct() {
    if (!current) return say("select a bead first", true);
    const s = picked && current.contains(picked) ? picked : current.querySelector(".sent");
    if (!s) return say("this bead has no sentence", true);
    const original = "original: " + (s.dataset.original || s.textContent);
    const where = '.sent[data-side="' + s.dataset.side + '"][data-pos="' + s.dataset.pos + '"]';
    const theirs = (bead) => {
      const now = bead.querySelector(where);
      return now ? now.textContent : "(the sentence moved to another bead)";
    };
    const extra = { side: s.dataset.side, pos: Number(s.dataset.pos) };
    openEditor("Correct sentence", original, s.textContent, (text) =>
      saveText("edit", extra, text, original, theirs));
  }

  function note() {
    if (!current) return say("select a bead first", true);
    openEditor("Note", "", current.dataset.note, (text) =>
      saveText("note", {}, text, "", (bead) => bead.dataset.note));
  }

  const shift = (side, direction) => () =>
    act("shift", { side, direction }, [sibling(current, direction === "up" ? -1 : 1)]);

  const commands = {
    next: () => move(1),
    prev: () => move(-1),
    confirm: async () => { if (await act("confirm")) move(1); },
    final: () => act("final"),
    reject: () => act("reject"),
    merge: () => act("merge", {}, [current && sibling(current, 1)]),
    split: () => act("split", splitPoint()),
    edit: correct,
    note: note,
    undo: () => send({ action: "undo" }),
    redo: () => send({ action: "redo" }),
    "shift-src-up": shift("src", "up"),
    "shift-src-down": shift("src", "down"),
    "shift-tgt-up": shift("tgt", "up"),
    "shift-tgt-down": shift("tgt", "down"),
    "detach-src": () => act("detach", { side: "src", end: "last" }),
    "detach-tgt": () => act("detach", { side: "tgt", end: "last" }),
    "next-unconfirmed": () => findNext((b) => b.dataset.status === "initial", "unconfirmed"),
    "next-flagged": () => findNext((b) => b.dataset.flagged === "1", "flagged"),
    "next-divergent": () => findNext(
      (b) => b.dataset.div !== "" && Number(b.dataset.div) > Number(threshold.value),
      "divergent"),
  };
  const keys = {
    j: "next", k: "prev", c: "confirm", x: "reject", m: "merge", s: "split", u: "undo",
    r: "redo", e: "edit", o: "note", n: "next-unconfirmed", f: "next-flagged",
    d: "next-divergent",
  };

  document.addEventListener("keydown", (event) => {
    if (event.ctrlKey || event.metaKey || event.altKey || editor.open) return;
    if (event.target.closest("input, textarea, select")) return;
    const name = keys[event.key];
    if (!name) return;
    event.preventDefault();
    commands[name]();
  });

  document.querySelector(".panel").addEventListener("click", (event) => {
    const button = event.target.closest("[data-command]");
    if (button) commands[button.dataset.command]();
  });

  main.addEventListener("click", (event) => {
    const bead = event.target.closest(".bead");
    if (!bead) return;
    select(bead, false);
    const sentence = event.target.closest(".sent");
    if (!sentence) return;
    const again = sentence === picked;
    unpick();
    if (!again) { picked = sentence; sentence.classList.add("picked"); }
  });

  const wanted = location.hash.slice(1) || sessionStorage.getItem(PLACE);
  const start = wanted ? document.getElementById(wanted) : null;
  select(start || main.querySelector(".bead"), Boolean(start));
})();
