"use strict";
// The operator's report form: division picker (its routing preview is in preview.js; its fields in fields.js),
// submitting, recent reports; and the reports stuck on the way to a referral, for the hotline supervisors.
// Signing in is /assets/signin.js (SignIn).

const STATES = { received: "已接收", routed: "已转派", unrouted: "待人工分派", linked: "已并案" };
const STAGES = { acknowledge: "签收", first_contact: "首次联系", home_visit: "入户走访", assessment: "监护评估" };
const STUCK_REASONS = { dead_lettered: "处理失败被搁置", no_referral: "超时未转介" };
const PICKER = ["province", "city", "county", "township"];

let config = { referral_url: "" };

async function api(path, options = {}) {
  const bearer = await SignIn.bearer();
  const headers = { "Content-Type": "application/json", Authorization: `Bearer ${bearer}`, ...(options.headers || {}) };
  return fetch(path, { ...options, headers });
}

async function fillSelect(id, url) {
  const select = $(id);
  select.length = 1;
  if (!url) return;
  const response = await fetch(config.referral_url + url);
  if (!response.ok) return;
  for (const division of await response.json()) select.add(new Option(division.name, division.code));
}

function divisionCode() {
  const township = $("township").value;
  return township || null;
}

async function onPick(level) {
  const index = PICKER.indexOf(level);
  for (const later of PICKER.slice(index + 1)) $(later).length = 1;
  const code = $(level).value;
  if (code && index < PICKER.length - 1) await fillSelect(PICKER[index + 1], `/v1/divisions/${code}/children`);
  await showPreview();
}

async function submit(event) {
  event.preventDefault();
  const message = $("form-message");
  message.className = "";
  message.textContent = "";
  showErrors([]);
  const report = reportFromForm();
  const code = divisionCode();
  if (code) report.child.division_code = code;
  const response = await api("/v1/reports", {
    method: "POST", body: JSON.stringify(report), headers: { "Idempotency-Key": form.dataset.key },
  });
  if (response.status === 201 || response.status === 200) {
    const { report_id, receipt_number } = await response.json();
    message.className = "ok";
    message.dataset.reportId = report_id;
    const ticket = report.hotline_ticket_id ? `，工单号 ${report.hotline_ticket_id}` : "";
    const at = beijingTime(report.received_at || Date.now());
    message.textContent = `报告已登记（来电时间 ${at}${ticket}），转派后在下方列表显示案件编号`;
    $("receipt-message").textContent = receipt_number ? `强制报告回执号（请告知报告人）：${receipt_number}` : "";
    resetFields();
    for (const id of PICKER.slice(1)) $(id).length = 1;
    form.dataset.key = crypto.randomUUID();
    await showPreview();
    await loadRecent();
  } else if (response.status === 422) {
    message.className = "fail";
    message.textContent = "请更正标红的内容";
    showErrors((await response.json()).errors);
  } else if (response.status === 401) {
    message.className = "fail";
    message.textContent = "登录已过期，请重新登录（内容未丢失）";
  } else {
    message.className = "fail";
    message.textContent = "暂时无法保存，请稍后重试（内容未丢失）";
  }
}

async function loadRecent() {
  const body = $("recent-reports");
  if (!SignIn.token()) { body.innerHTML = ""; return; }
  const response = await api("/v1/reports?mine=true&limit=20");
  if (!response.ok) return;
  body.innerHTML = "";
  for (const report of await response.json()) {
    const row = body.insertRow();
    row.dataset.reportId = report.report_id;
    const status = report.status;
    const deadline = status.next_deadline_at
      ? `${STAGES[status.next_deadline_stage] || ""} ${beijingTime(status.next_deadline_at)}` : "";
    row.tabIndex = 0;
    row.title = "查看案件进程";
    for (const text of [beijingTime(report.received_at), status.case_number || "", report.child_name || "",
      report.child_id_number || "", STATES[status.state] || "", status.station_name || "", status.priority || "",
      deadline]) {
      row.insertCell().textContent = text;
    }
  }
}

async function loadStuck() {
  const body = $("stuck-reports");
  if (!SignIn.token()) { body.innerHTML = ""; return; }
  const response = await api("/v1/reports/stuck");
  if (!response.ok) return;
  const stuck = await response.json();
  body.innerHTML = "";
  $("stuck-none").hidden = stuck.length > 0;
  for (const report of stuck) {
    const row = body.insertRow();
    row.dataset.stuckReportId = report.report_id;
    row.dataset.reason = report.reason;
    const name = report.hotline_ticket_id ? `工单 ${report.hotline_ticket_id}` : `报告 ${report.report_id.slice(0, 8)}`;
    const where = [report.source_topic, report.consumer_group].filter(Boolean).join(" / ");
    for (const text of [name, STUCK_REASONS[report.reason] || "其他", beijingTime(report.since), where, report.error || ""]) {
      row.insertCell().textContent = text;
    }
  }
}

async function start() {
  config = await SignIn.start("config.json");
  if (!config) return; // not signed in: the header says why
  startFields();
  for (const level of PICKER) $(level).addEventListener("change", () => onPick(level));
  form.dataset.key = crypto.randomUUID();
  form.addEventListener("submit", submit);
  $("refresh").addEventListener("click", loadRecent);
  $("refresh-stuck").addEventListener("click", loadStuck);
  setInterval(loadStuck, 30000);
  await fillSelect("province", "/v1/divisions");
  startCase();
  await loadRecent();
  await loadStuck();
}

document.addEventListener("DOMContentLoaded", start); // once preview.js and case.js are in too
