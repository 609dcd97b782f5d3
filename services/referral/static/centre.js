"use strict";
// The county centre's desk: its stations' load (open, unacknowledged, overdue) at a glance, the referrals it holds
// to dispatch, the requests for more time waiting for its decision, and the children under monitoring or in
// temporary guardianship (centre-monitoring.js). The forms are centre-forms.js and guardianship-forms.js.

let county = "";
let stations = []; // the county's centre and stations, with their load
let region = ""; // 晋中市寿阳县: what every name in the county starts with, left out of the station's name

const shortName = (name) => (region && name.startsWith(region) && name !== region ? name.slice(region.length) : name);

async function load() {
  const who = caller();
  if (!who) return;
  if (who.role !== "county_centre" || !/^[0-9]{6}$/.test(who.scope || "")) {
    say($("message"), "此工作台供县级未成年人救助保护中心使用", false);
    return;
  }
  county = who.scope;
  say($("message"), "加载中…", true);
  try {
    const [loads, overdue, held, clocks, extensions] = await Promise.all([
      api(`/v1/counties/${county}/load`),
      notification(`/v1/overdue?area=${county}`),
      api(`/v1/stations/${county}/referrals`),
      notification(`/v1/stations/${county}/deadlines`),
      notification("/v1/extensions"),
    ]);
    stations = loads;
    const centre = loads.find((row) => row.kind === "county_centre");
    if (centre) $("title").textContent = `${centre.name} · 工作台`;
    region = centre ? centre.name.replace(/未成年人救助保护中心$/, "") : "";
    const late = overdueByPlace(overdue);
    showSummary(loads, overdue, held, extensions);
    showLoad(loads, late);
    showDispatch(held, nextDue(clocks));
    showExtensions(extensions);
    await showMonitoring(loads, held, clocks);
    say($("message"), `已更新 ${when(new Date())}`, true);
  } catch (error) { say($("message"), `加载失败：${error.message}`, false); }
}

const stationName = (code) => shortName(stations.find((row) => row.code === code)?.name || "本县工作站");

function showSummary(loads, overdue, held, extensions) {
  const sum = (field) => loads.reduce((total, row) => total + row[field], 0);
  const cases = new Set(overdue.map((row) => row.referral_id)).size;
  $("sum-open").textContent = `${sum("open")} 件`;
  $("sum-unacknowledged").textContent = `${sum("unacknowledged")} 件`;
  $("sum-overdue").textContent = overdue.length ? `${cases} 件（${overdue.length}个环节）` : "无";
  $("sum-overdue").className = overdue.length ? "overdue" : "";
  $("sum-dispatch").textContent = `${held.length} 件`;
  $("sum-extensions").textContent = extensions.length ? `${extensions.length} 件` : "无";
}

function showLoad(loads, late) {
  $("load").replaceChildren(...loads.map((row) => {
    const tr = document.createElement("tr");
    const name = document.createElement("th");
    name.scope = "row";
    name.textContent = row.kind === "county_centre" ? "本中心（直接承办）" : shortName(row.name);
    const overdue = late.get(row.code);
    tr.append(name, cell(row.open), cell(row.unacknowledged, row.unacknowledged ? "overdue-soft" : ""),
      cell(row.open_p1, row.open_p1 ? "p1" : ""), cell(overdueWords(overdue), overdue ? "overdue" : "muted"));
    return tr;
  }));
  if (!loads.length) $("load").append(emptyRow(5, "本县暂无工作站"));
}

// The soonest running clock of each referral the centre holds (the list comes soonest first).
function nextDue(clocks) {
  const due = new Map();
  for (const clock of clocks) if (!due.has(clock.referral_id)) due.set(clock.referral_id, clock);
  return due;
}

function showDispatch(held, due) {
  $("dispatch").replaceChildren(...held.map((referral) => {
    const tr = document.createElement("tr");
    tr.dataset.referral = referral.referral_id;
    const clock = due.get(referral.referral_id);
    const left = clock ? countdown(clock.due_at) : null;
    const button = document.createElement("button");
    button.type = "button";
    button.textContent = "改派";
    button.setAttribute("aria-label", `改派 ${referral.case_number || "该转介"}`);
    button.addEventListener("click", () => openReassign(tr, referral));
    const actions = document.createElement("td");
    actions.append(button);
    tr.append(cell(referral.case_number || "（编号待生成）"), cell(referral.child_name_masked || "未提供"),
      cell(referral.village_name || "未定位"), cell((referral.concern_labels || []).join("、")),
      cell(PRIORITIES[referral.priority] || referral.priority, referral.priority === "P1" ? "p1" : ""),
      cell(STATUSES[referral.status] || referral.status), cell(referral.decline_count),
      cell(when(referral.received_at)),
      cell(left ? `${STAGES[clock.stage] || ""} ${left.text}` : "—", left?.late ? "overdue" : ""), actions);
    return tr;
  }));
  if (!held.length) $("dispatch").append(emptyRow(10, "暂无待中心分派的转介"));
}

function showExtensions(rows) {
  $("extensions").replaceChildren(...rows.map((row) => {
    const tr = document.createElement("tr");
    const decide = document.createElement("td");
    decide.append(decisionForm(row));
    tr.append(cell(row.case_number || "（编号待生成）"), cell(stationName(row.assignee_code)), cell(STAGES[row.stage] || row.stage),
      cell(when(row.due_at)), cell(when(row.requested_until)), cell(row.reason), cell(when(row.requested_at)), decide);
    return tr;
  }));
  if (!rows.length) $("extensions").append(emptyRow(8, "暂无待审批的延期申请"));
}

$("refresh").addEventListener("click", load);
startPage(load);
