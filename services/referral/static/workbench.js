"use strict";
// The workbench: a station's open referrals by what is due first, with one-click actions; a county centre's
// desk (its stations, its own and declined referrals to dispatch); the hotline supervisors' unrouted queue.

// The closing outcomes and the police's feedback, with their labels, as referral lists them.
const CODES = { outcomes: [], "police-feedback": [] };
const LEVELS = { good: "良好", fair: "一般", poor: "较差", dangerous: "危险" };
let rows = [];

function clocksOf(who) {
  // The holder's running clocks, soonest first; the hotline supervisors' are the dispatch deadlines.
  if (who.role === "station" || who.role === "county_centre") return `/v1/stations/${who.scope}/deadlines`;
  return who.role === "operator" ? "/v1/hotline/deadlines" : null;
}

async function nextDeadlines(who) {
  // The first running clock of each referral is its next deadline.
  const clocks = clocksOf(who);
  if (!clocks) return new Map();
  const next = new Map();
  try {
    for (const deadline of await notification(clocks)) {
      if (!next.has(deadline.referral_id)) next.set(deadline.referral_id, deadline);
    }
  } catch (error) { say($("message"), `时限暂时无法读取：${error.message}`, false); }
  return next;
}

async function referralsFor(who) {
  if (who.role === "operator") return api("/v1/unrouted");
  if (who.role === "station" || who.role === "county_centre") return api(`/v1/stations/${who.scope}/referrals`);
  return [];
}

async function load() {
  const who = caller();
  const body = $("inbox");
  body.innerHTML = "";
  if (!who) return;
  $("inbox-title").textContent = {
    station: "本站待办转介（按时限先后）", county_centre: "本中心待办与待分派转介", operator: "待人工分派的报告（按优先级、先到先派）",
  }[who.role] || "待办转介";
  try {
    const [referrals, deadlines] = await Promise.all([referralsFor(who), nextDeadlines(who)]);
    rows = referrals.map((referral) => ({ referral, deadline: deadlines.get(referral.referral_id) || null }));
    // A station's inbox by what is due first; the unrouted queue as referral orders it: priority, then age.
    if (who.role !== "operator") {
      rows.sort((a, b) => (a.deadline?.due_at || "9999").localeCompare(b.deadline?.due_at || "9999"));
    }
    for (const row of rows) body.append(inboxRow(row, who));
    if (!rows.length) body.innerHTML = '<tr><td colspan="8" class="empty">暂无待办转介</td></tr>';
    if (who.role === "county_centre") await loadStations(who.scope);
    if (who.role === "station") await loadCopies(who.scope);
  } catch (error) { say($("message"), `加载失败：${error.message}`, false); }
}

function inboxRow({ referral, deadline }, who) {
  const tr = document.createElement("tr");
  tr.dataset.referral = referral.referral_id;
  const priority = document.createElement("td");
  const badge = document.createElement("span");
  badge.className = referral.priority;
  badge.textContent = referral.priority;
  priority.append(badge);
  tr.append(priority, cell(caseName(referral)), cell(statusText(referral)),
    cell(referral.police_required ? "是" : "", "police"), cell(referral.report_count));
  tr.append(cell(deadline ? `${STAGES[deadline.stage]}（${when(deadline.due_at)}）` : ""));
  const clock = cell("", "countdown");
  if (deadline) clock.dataset.due = deadline.due_at;
  tr.append(clock);
  const actions = document.createElement("td");
  for (const [label, handler] of actionsFor(referral, who)) {
    const button = document.createElement("button");
    button.textContent = label;
    button.addEventListener("click", (event) => { event.stopPropagation(); handler(referral); });
    actions.append(button);
  }
  tr.append(actions);
  tr.addEventListener("click", () => showDetail(referral.referral_id, tr));
  return tr;
}

function statusText(referral) {
  const declined = referral.decline_count ? `（退回${referral.decline_count}次）` : "";
  return (STATUSES[referral.status] || referral.status) + declined;
}

function actionsFor(referral, who) {
  if (who.role === "station" && referral.assignee_code === who.scope) {
    const steps = referral.status === "assigned" ? [["签收", (r) => act(r, "acknowledge", {})]] : [];
    return steps.concat([
      ["记录联系", (r) => act(r, "contacts", { method: "phone", notes: ask("联系情况") })],
      ["记录走访", (r) => act(r, "visits", { notes: ask("走访情况") })],
      ["监护评估", (r) => assess(r)],
      ["记录报警", (r) => policeNotified(r)],
      ["公安反馈", (r) => policeFeedback(r)],
      ["退回", (r) => decline(r)],
      ["办结", (r) => close(r)],
    ]);
  }
  if (who.role === "county_centre" || (who.role === "operator" && referral.status === "unrouted")) {
    return [["分派", (r) => dispatch(r)]];
  }
  return [];
}

function ask(what) { return window.prompt(`${what}（可不填）`) || null; }

async function act(referral, path, body) {
  try {
    await api(`/v1/referrals/${referral.referral_id}/${path}`, { method: "POST", body: JSON.stringify(body) });
    say($("message"), "已保存", true);
    await load();
    setTimeout(load, 2000);  // the deadlines follow the action a moment later, through Kafka
  } catch (error) { say($("message"), `未能保存：${error.message}`, false); }
}

function assess(referral) {
  const level = window.prompt(`监护评估等级：${Object.entries(LEVELS).map(([k, v]) => `${k}=${v}`).join("，")}`, "fair");
  if (level) act(referral, "assessments", { level, notes: ask("评估说明") });
}

async function choose(list, title, fallback) {
  // A code from one of referral's lists, offered with its Chinese labels.
  if (!CODES[list].length) CODES[list] = await api(`/v1/codes/${list}`);
  return window.prompt(`${title}：${CODES[list].map((c) => `${c.code}=${c.label}`).join("，")}`, fallback);
}

async function close(referral) {
  const outcome = await choose("outcomes", "办结结果", "services_arranged");
  if (outcome) act(referral, "close", { outcome, notes: ask("办结说明") });
}

function policeNotified(referral) {
  const station = window.prompt("已报告的派出所名称");
  if (!station) return;
  const caseNumber = window.prompt("公安案件（警情）编号（可不填）") || null;
  act(referral, "police-notifications", { police_station: station, police_case_number: caseNumber, notes: ask("报警情况") });
}

async function policeFeedback(referral) {
  const feedback = await choose("police-feedback", "公安反馈", "case_filed");
  if (feedback) act(referral, "police-feedback", { feedback, notes: ask("反馈说明") });
}

async function loadCopies(station) {
  // Copies for information: the child's household is registered here; the case is worked where the child is.
  const copies = await api(`/v1/stations/${station}/copies`);
  $("copies-section").hidden = !copies.length;
  $("copies").replaceChildren(...copies.map((copy) => {
    const tr = document.createElement("tr");
    tr.dataset.referral = copy.referral_id;
    tr.append(cell(caseName(copy)), cell(copy.priority), cell(copy.assignee_name || copy.assignee_code),
      cell(STATUSES[copy.status] || copy.status), cell(when(copy.copied_at)));
    tr.addEventListener("click", () => showDetail(copy.referral_id, tr));
    return tr;
  }));
}

async function townshipPicker(countyCode, candidates) {
  // The resolver's candidates first, then every township of the county.
  const select = document.createElement("select");
  select.add(new Option("选择乡镇（街道）", ""));
  for (const candidate of candidates || []) select.add(new Option(`（推荐）${candidate.path}`, candidate.code));
  if (countyCode) {
    for (const township of await api(`/v1/divisions/${countyCode}/children`)) select.add(new Option(township.name, township.code));
  }
  return select;
}

function matchEvidence(referral) {
  // How the resolver read the address and what each name in it counted for, in the supervisors' words.
  const read = referral.matched_by_label || (referral.candidates.length ? "有多个可能" : "未能识别");
  const how = `地址识别：${read}`;
  const parts = (referral.weighed || []).map((weighed) => `${weighed.text}（${weighed.label}）`);
  return parts.length ? `${how}；依据：${parts.join("、")}` : how;
}

async function pickTownship(referral, title) {
  const county = (referral.assignee_code || referral.division_code || "").slice(0, 6);
  const select = await townshipPicker(county.length === 6 ? county : null, referral.candidates);
  select.id = "township-picker";
  const reason = document.createElement("input");
  reason.id = "pick-reason"; reason.placeholder = "原因"; reason.value = title;
  const ok = document.createElement("button");
  ok.id = "pick-ok"; ok.textContent = "确定";
  const row = document.querySelector(`tr[data-referral="${referral.referral_id}"] td:last-child`);
  const evidence = document.createElement("p");
  evidence.className = "evidence";
  evidence.textContent = matchEvidence(referral);
  row.replaceChildren(evidence, select, reason, ok);
  return new Promise((resolve) => ok.addEventListener("click", (event) => {
    event.stopPropagation();
    resolve({ code: select.value, reason: reason.value.trim() });
  }));
}

async function decline(referral) {
  const { code, reason } = await pickTownship(referral, "不属本辖区");
  if (code) act(referral, "decline", { reason, suggested_division_code: code });
}

async function dispatch(referral) {
  const { code, reason } = await pickTownship(referral, "核实后分派");
  if (code) act(referral, "reassign", { division_code: code, reason });
}

async function showDetail(referralId, tr) {
  document.querySelectorAll("tr.selected").forEach((row) => row.classList.remove("selected"));
  tr.classList.add("selected");
  const detail = await api(`/v1/referrals/${referralId}`);
  $("detail").hidden = false;
  $("detail-id").textContent = caseName(detail);
  $("detail-match").textContent = matchEvidence(detail);
  $("detail-reports").replaceChildren(...detail.reports.map((report) => {
    const p = document.createElement("p");
    const reporter = report.reporter_identity ? `报告人：${report.reporter_identity.name || ""}` : "报告人身份保密";
    const child = report.child || {};
    const who = [child.name || "姓名未填", child.age !== undefined && child.age !== null ? `${child.age}岁` : "", child.address || ""]
      .filter(Boolean).join("，");
    p.textContent = `${when(report.received_at)} ${report.mandatory_report ? "【强制报告】" : ""}儿童：${who}。${report.narrative}（${reporter}）`;
    return p;
  }));
  $("detail-history").replaceChildren(...detail.history.map((entry) => {
    const li = document.createElement("li");
    li.textContent = `${when(entry.at)} ${ACTIONS[entry.action] || entry.action}${historyNote(entry.detail)}（${entry.actor}）`;
    return li;
  }));
}

function historyNote(detail) {
  // What a reader needs of an entry's detail: the outcome's, the police's and the copy's words.
  const label = (list, code) => (CODES[list].find((c) => c.code === code) || {}).label || code;
  const parts = [
    detail.outcome && `：${label("outcomes", detail.outcome)}`,
    detail.police_station && `：${detail.police_station}${detail.police_case_number ? `（${detail.police_case_number}）` : ""}`,
    detail.feedback && `：${label("police-feedback", detail.feedback)}`,
  ];
  return parts.filter(Boolean).join("");
}

async function loadStations(county) {
  $("stations-section").hidden = false;
  const stations = (await api(`/v1/stations?county=${county}&kind=station`)).slice(0, 60);
  const body = $("stations");
  body.innerHTML = "";
  for (const station of stations) {
    const open = await api(`/v1/stations/${station.code}/referrals`);
    const tr = document.createElement("tr");
    tr.append(cell(station.name), cell(open.length), cell(open.filter((r) => r.status === "assigned").length), cell(station.phone || "—"));
    body.append(tr);
  }
}

function tick() {
  for (const clock of document.querySelectorAll("td.countdown[data-due]")) {
    const { text, late } = countdown(clock.dataset.due);
    clock.textContent = text;
    clock.classList.toggle("overdue", late);
  }
}

setInterval(tick, 1000);
async function loadCodes() {
  for (const list of Object.keys(CODES)) {
    try { CODES[list] = await api(`/v1/codes/${list}`); } catch { /* offered again when a step needs it */ }
  }
}

startPage(async () => { await loadCodes(); await load(); tick(); });
