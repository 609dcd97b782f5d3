"use strict";
// The case of a report, for the hotline: its timeline (click a recent report), and the callbacks (回访) to
// make, each recorded with a form. Uses api() and beijingTime() of operator.js, which starts it once signed in.

const SATISFACTION = { satisfied: "满意", fairly_satisfied: "基本满意", dissatisfied: "不满意" };
const CASE_STATES = {
  acknowledged: "已签收", contacted: "已联系", visited: "已走访", assessed: "已评估", police_notified: "已报警",
  police_feedback: "公安已反馈", closed: "已办结", reopened: "重新办理", monitoring: "监护监测中",
};

function caseEl(id) { return document.getElementById(id); }

async function showCase(reportId) {
  const response = await api(`/v1/reports/${reportId}`);
  if (!response.ok) return;
  const report = await response.json();
  const status = report.status;
  caseEl("case-panel").hidden = false;
  caseEl("case-title").textContent = [
    status.case_number || (report.hotline_ticket_id ? `工单 ${report.hotline_ticket_id}` : "尚未立案"),
    `来电 ${beijingTime(report.received_at)}`,
    CASE_STATES[status.state] || STATES[status.state] || "",
    status.priority || "", status.outcome_label || "",
  ].filter(Boolean).join(" · ");
  caseEl("case-receipt").textContent = report.receipt_number ? `强制报告回执号：${report.receipt_number}` : "";
  const body = caseEl("case-timeline");
  body.innerHTML = "";
  for (const entry of report.timeline) {
    const row = body.insertRow();
    for (const text of [beijingTime(entry.at), entry.what_text || "", entry.who || "", entry.detail || ""]) {
      row.insertCell().textContent = text;
    }
  }
}

function callbackForm(task) {
  const form = document.createElement("form");
  form.className = "callback-form";
  form.dataset.reportId = task.report_id;
  form.innerHTML = `
    <label class="switch"><input type="checkbox" name="reached"> 已联系上报告人</label>
    <label>满意度 <select name="satisfaction"><option value="">（未联系上不填）</option></select></label>
    <p class="error" data-field="satisfaction"></p>
    <label>回访时间（北京时间） <input type="datetime-local" name="at"></label>
    <p class="error" data-field="at"></p>
    <label>备注（仅热线可见） <textarea name="notes" rows="2" maxlength="2000"></textarea></label>
    <p class="error" data-field="notes"></p>
    <button type="submit">记录回访</button> <span class="message" role="status"></span>`;
  for (const [code, label] of Object.entries(SATISFACTION)) form.elements.satisfaction.add(new Option(label, code));
  form.addEventListener("submit", (event) => { event.preventDefault(); recordCallback(form); });
  return form;
}

async function recordCallback(form) {
  const body = { reached: form.elements.reached.checked };
  if (form.elements.satisfaction.value) body.satisfaction = form.elements.satisfaction.value;
  if (form.elements.at.value) body.at = form.elements.at.value;  // China time, as the hotline's clocks show it
  if (form.elements.notes.value.trim()) body.notes = form.elements.notes.value.trim();
  for (const slot of form.querySelectorAll(".error")) slot.textContent = "";
  const message = form.querySelector(".message");
  const response = await api(`/v1/reports/${form.dataset.reportId}/callback`, { method: "POST", body: JSON.stringify(body) });
  if (response.status === 204) { message.textContent = "已记录"; await loadCallbacks(); return; }
  if (response.status === 422) {
    for (const error of (await response.json()).errors) {
      const slot = form.querySelector(`.error[data-field="${error.field}"]`);
      if (slot) slot.textContent = error.message; else message.textContent = `${error.field}：${error.message}`;
    }
    return;
  }
  message.textContent = "暂时无法保存，请稍后重试";
}

async function loadCallbacks() {
  const list = caseEl("callbacks-due");
  if (!SignIn.token()) { list.innerHTML = ""; return; }
  const response = await api("/v1/callbacks/due");
  if (!response.ok) return;
  const tasks = await response.json();
  list.innerHTML = "";
  caseEl("callbacks-none").hidden = tasks.length > 0;
  for (const task of tasks) {
    const item = document.createElement("li");
    item.dataset.callbackReportId = task.report_id;
    const title = document.createElement("button");
    title.type = "button";
    title.className = "link";
    const why = task.case_status === "closed" ? `已办结（${task.outcome_label || ""}）` : `回访期限 ${beijingTime(task.callback_due_at)}`;
    const name = task.case_number || (task.hotline_ticket_id ? `工单 ${task.hotline_ticket_id}` : "未立案报告");
    title.textContent = `${name} · ${why}`;
    title.addEventListener("click", () => showCase(task.report_id));
    item.append(title, callbackForm(task));
    list.append(item);
  }
}

function startCase() {
  Object.assign(STATES, CASE_STATES);  // the recent reports' list shows how far each case has come
  caseEl("recent-reports").addEventListener("click", (event) => {
    const row = event.target.closest("tr[data-report-id]");
    if (row) showCase(row.dataset.reportId);
  });
  caseEl("recent-reports").addEventListener("keydown", (event) => {
    const row = event.target.closest("tr[data-report-id]");
    if (row && (event.key === "Enter" || event.key === " ")) { event.preventDefault(); showCase(row.dataset.reportId); }
  });
  caseEl("refresh-callbacks").addEventListener("click", loadCallbacks);
  setInterval(loadCallbacks, 60000);
  loadCallbacks();
}
