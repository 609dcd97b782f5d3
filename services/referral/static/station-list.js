"use strict";
// The station's open cases as cards, the one due first on top: case number, the child's masked name, the
// village, the concern, the priority and the time left to the next deadline, with what came of the actions
// recorded on this phone. The list is kept on the device, so that it can be read in the village offline.

const Station = (() => {
  let who = null;
  let kept = { rows: [], saved_at: null };  // rows: [{referral, deadlines}], the next deadline first
  let lists = { outcomes: [], feedback: [], townships: [], counties: [], directors: [] };
  let copies = [];
  let offline = false;

  const keyOf = (referral) => referral.case_number || referral.referral_id;
  const find = (key) => kept.rows.find((row) => keyOf(row.referral) === key) || null;

  async function stationRows() {
    const [referrals, clocks] = await Promise.all([
      api(`/v1/stations/${who.scope}/referrals`),
      notification(`/v1/stations/${who.scope}/deadlines`).catch(() => []),
    ]);
    const open = referrals.filter((referral) => referral.status !== "closed");
    const rows = open.map((referral) => ({
      referral, deadlines: clocks.filter((clock) => clock.referral_id === referral.referral_id),
    }));
    return rows.sort((a, b) => (a.deadlines[0]?.due_at || "9999").localeCompare(b.deadlines[0]?.due_at || "9999"));
  }

  // A village's child director: the cases of its open tasks, newest first, each with its tasks.
  async function taskRows() {
    const rows = new Map();
    for (const task of await api("/v1/tasks")) {
      const row = rows.get(task.referral_id) || { referral: task, deadlines: [], tasks: [] };
      row.tasks.push(task);
      rows.set(task.referral_id, row);
    }
    return [...rows.values()];
  }

  async function fromServer() {
    const rows = who.role === "village" ? await taskRows() : await stationRows();
    kept = { station: who.scope, role: who.role, rows, saved_at: new Date().toISOString() };
    await Store.put("cases", kept);
    const ids = new Set(rows.map((row) => `detail:${row.referral.referral_id}`));
    for (const key of await Store.keys()) if (key.startsWith("detail:") && !ids.has(key)) await Store.drop(key);
  }

  // The villages of the township whose child directors a task may go to, by name.
  async function directors() {
    return (await api(`/v1/village-directors?station=${who.scope}`)).filter((director) => director.active);
  }

  async function loadLists() {
    if (who?.role === "village") return;
    try {
      const county = who.scope.slice(0, 6);
      const [outcomes, feedback, townships, counties, named] = await Promise.all([
        api("/v1/codes/outcomes"), api("/v1/codes/police-feedback"), api(`/v1/divisions/${county}/children`),
        api(`/v1/divisions/${county.slice(0, 4)}/children`), directors().catch(() => []),
      ]);
      lists = { outcomes, feedback, townships, counties, directors: named };
      await Store.put("lists", lists);
    } catch { lists = (await Store.get("lists")) || lists; }
  }

  // The server's list when it answers; else the one last kept on this phone.
  async function load() {
    try {
      await fromServer();
      offline = false;
      if (who.role !== "village") copies = await api(`/v1/stations/${who.scope}/copies`).catch(() => []);
    } catch (error) {
      const saved = await Store.get("cases");
      offline = true;
      if (saved && (!who || saved.station === who.scope)) kept = saved;
      if (navigator.onLine) say($("message"), `未能从服务器更新：${error.message}`, false);
    }
    await Queue.prune();
  }

  async function detail(referralId) {
    try {
      const found = await api(`/v1/referrals/${referralId}`);
      await Store.put(`detail:${referralId}`, found);
      return found;
    } catch { return (await Store.get(`detail:${referralId}`)) || null; }
  }

  function span(className, text) {
    const node = document.createElement("span");
    node.className = className;
    node.textContent = text ?? "";
    return node;
  }

  // An acknowledgement recorded here counts at once, though not yet sent.
  function statusOf({ referral, tasks }, actions) {
    if (tasks) return `交办：${tasks.map((task) => TASK_KINDS[task.kind] || "").join("、")}`;
    if (referral.status === "monitoring") return `监护监测中（${LEVELS[referral.monitoring_level] || "待评估"}）`;
    const acknowledged = actions.some((a) => a.kind === "acknowledge" && a.state !== "refused");
    if (referral.status === "assigned" && acknowledged) return "办理中";
    const declined = referral.decline_count ? `（退回${referral.decline_count}次）` : "";
    return (STATUSES[referral.status] || referral.status) + declined;
  }

  function nextDue(clock) {
    const due = span("due", "");
    if (!clock) return due;
    const left = span("countdown", "");
    left.dataset.due = clock.due_at;
    due.append(`${STAGES[clock.stage] || clock.stage}：`, left);
    return due;
  }

  function card(row, actions) {
    const { referral, deadlines } = row;
    const link = document.createElement("a");
    link.className = "card";
    link.href = `#case/${encodeURIComponent(keyOf(referral))}`;
    link.dataset.referral = referral.referral_id;
    const top = span("card-top", "");
    top.append(span(`badge ${referral.priority}`, referral.priority), span("case-no", caseName(referral)),
      span("status", statusOf(row, actions)));
    const child = [referral.child_name_masked || "姓名未填", referral.village_name].filter(Boolean).join(" · ");
    link.append(top, span("child", child), span("concern", (referral.concern_labels || []).join("、") || "—"),
      row.tasks ? span("due", `交办于 ${when(row.tasks[0].handed_at)}`) : nextDue(deadlines[0]));
    if (referral.police_required) link.append(span("police", "需公安介入"));
    const last = actions[actions.length - 1];
    if (last) link.append(span(`sync ${last.state}`, `${last.label}：${Queue.stateText(last)}`));
    const item = document.createElement("li");
    item.append(link);
    return item;
  }

  function copyItem(copy) {
    const item = document.createElement("li");
    item.textContent = `${caseName(copy)} · ${copy.priority} · ${copy.assignee_name || ""} · `
      + `${STATUSES[copy.status] || copy.status} · 抄送于 ${when(copy.copied_at)}`;
    return item;
  }

  // Actions answered for cases no longer on the list: why one was refused (moved to another station...).
  function leftRecord(action) {
    const item = document.createElement("li");
    item.className = `sync ${action.state}`;
    const dismiss = document.createElement("button");
    dismiss.type = "button";
    dismiss.textContent = "知道了";
    dismiss.addEventListener("click", () => Queue.dismiss(action.seq));
    item.append(`${action.case_number} ${action.label}：${Queue.stateText(action)} `, dismiss);
    return item;
  }

  let renders = 0;  // only the latest of overlapping renders is shown

  async function render() {
    const ticket = ++renders;
    const actions = await Store.actions();
    if (ticket !== renders) return;
    const of = (id) => actions.filter((a) => a.referral_id === id).sort((a, b) => a.seq - b.seq);
    const cards = kept.rows.map((row) => card(row, of(row.referral.referral_id)));
    if (!cards.length) cards.push(Object.assign(document.createElement("li"), { className: "empty", textContent: "暂无待办转介" }));
    $("cards").replaceChildren(...cards);
    const open = new Set(kept.rows.map((row) => row.referral.referral_id));
    const left = actions.filter((a) => !open.has(a.referral_id));
    $("records-section").hidden = !left.length;
    $("records").replaceChildren(...left.map(leftRecord));
    $("copies-section").hidden = !copies.length || offline;
    $("copies").replaceChildren(...copies.map(copyItem));
    $("network").textContent = offline && kept.saved_at
      ? `离线：显示 ${when(kept.saved_at)} 保存的本站待办；记录的操作联网后自动提交` : "";
    tick();
  }

  function start(caller) { who = caller; return Promise.all([load(), loadLists()]); }

  // The list last kept on this phone for this station, shown at once while the server is asked.
  async function showKept(caller) {
    const saved = await Store.get("cases");
    if (!saved || !caller || saved.station !== caller.scope) return false;
    kept = saved;
    await render();
    return true;
  }

  return { start, showKept, load, render, find, detail, keyOf, statusOf, lists: () => lists, station: () => who?.scope };
})();

function tick() {
  for (const clock of document.querySelectorAll(".countdown[data-due]")) {
    const { text, late } = countdown(clock.dataset.due);
    clock.textContent = text;
    clock.classList.toggle("overdue", late);
  }
}
