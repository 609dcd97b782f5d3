"use strict";
// What every page shares: calls to the services, signed in by /assets/signin.js (SignIn), and how times and
// codes read in Chinese.

const STAGES = {
  dispatch: "人工分派", acknowledge: "签收", first_contact: "首次联系", home_visit: "入户走访", assessment: "监护评估",
  police_notice: "报警", police_feedback: "公安反馈", callback: "回访", helper: "确定结对帮扶人", follow_up_visit: "随访",
  guardianship_decision: "临时监护决定",
};
const STATUSES = { assigned: "待签收", acknowledged: "办理中", monitoring: "监护监测中", unrouted: "待分派", closed: "已办结" };
const ACTIONS = {
  acknowledged: "签收", contact_recorded: "联系", home_visit_recorded: "入户走访", assessment_recorded: "监护评估",
  declined: "退回", reassigned: "改派", police_notified: "已报警", closed: "办结", priority_changed: "调整优先级",
  priority_raised: "重复报告升级", information_copy_sent: "抄送户籍地", assigned: "转派至工作站", unrouted: "进入人工分派",
  report_linked: "并案（重复报告）", police_feedback_recorded: "公安反馈", reopened: "回访不满意，重新办理",
  task_handed: "交办村（居）儿童主任", helper_named: "确定结对帮扶人", follow_up_visit_recorded: "随访",
  monitoring_ended: "结束监护监测", guardianship_not_needed: "无需临时监护", guardianship_started: "开始临时监护",
  guardianship_ended: "结束临时监护",
};
const LEVELS = { good: "良好", fair: "一般", poor: "较差", dangerous: "危险" };
const TASK_KINDS = { contact: "联系", home_visit: "入户走访", follow_up_visit: "随访" };
// The case number people read aloud; a referral from before case numbers by the start of its id.
const caseName = (row) => row.case_number || row.referral_id.slice(0, 8);
const $ = (id) => document.getElementById(id);
let config = { notification_url: "" };

// Who is signed in ({role, scope, subject, name}), for what to show only: every service checks the token itself.
const caller = () => SignIn.caller();

async function api(url, options = {}) {
  const bearer = await SignIn.bearer();
  const headers = { "Content-Type": "application/json", Authorization: `Bearer ${bearer}`, ...(options.headers || {}) };
  const response = await fetch(url, { ...options, headers });
  if (!response.ok) {
    let detail = `${response.status}`;
    try {
      const body = await response.json();
      detail = body.detail || (body.errors || []).map((e) => `${e.field}：${e.message}`).join("；") || detail;
    } catch { /* not JSON */ }
    throw new Error(detail);
  }
  return response.headers.get("content-type")?.includes("json") ? response.json() : response;
}

const notification = (path) => api(config.notification_url + path);

function countdown(dueAt) {
  const seconds = Math.round((new Date(dueAt) - Date.now()) / 1000);
  const late = seconds < 0;
  let rest = Math.abs(seconds);
  const days = Math.floor(rest / 86400); rest %= 86400;
  const hours = Math.floor(rest / 3600); rest %= 3600;
  const minutes = Math.floor(rest / 60);
  const text = `${days ? days + "天" : ""}${hours}小时${String(minutes).padStart(2, "0")}分`;
  return { text: late ? `已超时 ${text}` : `剩余 ${text}`, late };
}

function when(moment) {
  return moment ? new Date(moment).toLocaleString("zh-CN", { timeZone: "Asia/Shanghai", hour12: false }) : "";
}

function cell(text, className) {
  const td = document.createElement("td");
  td.textContent = text ?? "";
  if (className) td.className = className;
  return td;
}

function say(element, text, ok) {
  element.textContent = text;
  element.className = `message ${ok ? "ok" : "fail"}`;
}

async function startPage(load) {
  config = await SignIn.start("/pages/config.json");
  if (config) await load(); // else the header says why no one is signed in
}
