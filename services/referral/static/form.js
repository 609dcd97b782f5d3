"use strict";
// The printable referral form (转介单) of one referral, form.html?referral=<id>: what the referral API lets
// the signed-in caller see, its deadlines from notification, and lines to sign. Uses common.js.

const FORM_STATUSES = { ...STATUSES, assigned: "待签收", acknowledged: "办理中" };
const PRIORITY_WORDS = { P1: "P1（紧急）", P2: "P2（较急）", P3: "P3（一般）" };
const GENDER_WORDS = { male: "男", female: "女", unknown: "不详" };
const CHILD_STATUS_WORDS = {
  orphan: "孤儿", de_facto_unsupported: "事实无人抚养儿童", left_behind: "农村留守儿童", in_difficulty: "困境儿童",
  migrant: "流动儿童", disabled: "残疾儿童",
};
const DEADLINE_WORDS = { pending: "办理中", paused: "暂停计时", met: "已完成", cancelled: "已取消" };
const DETAIL_WORDS = {
  method: { phone: "电话", in_person: "当面", other: "其他方式" },
  level: LEVELS,
};
const ROLE_NAMES = {
  station: "工作站", county_centre: "县级未保中心", operator: "12345热线", committee: "未保工作协调机制",
  village: "村（居）儿童主任", system: "系统", admin: "系统管理员",
};
const LABELS = { outcomes: {}, "police-feedback": {} };

const put = (id, text) => { $(id).textContent = text ?? ""; };

async function loadLabels() {
  for (const list of Object.keys(LABELS)) {
    try {
      for (const { code, label } of await api(`/v1/${list}`)) LABELS[list][code] = label;
    } catch { /* the codes stay unread: the entry shows no detail */ }
  }
}

async function countyName(code) {
  // The county by name, from the gazetteer's path of the station's township.
  if (!code) return "";
  try {
    const path = await api(`/v1/divisions/${code}/path`);
    return (path.find((division) => division.level === "county") || {}).name || "";
  } catch { return ""; }
}

function actorName(actor, referral) {
  const [role, scope] = String(actor || "").split(":");
  if (scope && scope === referral.assignee_code && referral.assignee_name) return referral.assignee_name;
  return ROLE_NAMES[role] || "";
}

function entryWords(entry, referral) {
  const detail = entry.detail || {};
  const unit = detail.moved_to || detail.assignee_code;
  const words = [
    unit && unit === referral.assignee_code && referral.assignee_name,
    detail.method && DETAIL_WORDS.method[detail.method],
    detail.level && `评估：${DETAIL_WORDS.level[detail.level] || ""}`,
    detail.outcome && `结果：${LABELS.outcomes[detail.outcome] || ""}`,
    detail.police_station && `报警：${detail.police_station}`,
    detail.feedback && `公安反馈：${LABELS["police-feedback"][detail.feedback] || ""}`,
    detail.to && `优先级调为 ${detail.to}`,
  ].filter(Boolean);
  return `${ACTIONS[entry.action] || "其他"}${words.length ? `（${words.join("，")}）` : ""}`;
}

function row(body, texts) {
  const tr = body.insertRow();
  for (const text of texts) tr.append(cell(text));
}

function showChild(referral) {
  const child = (referral.reports[0] || {}).child || {};
  put("child-name", referral.child_name_masked || "姓名未填");
  const age = Number.isInteger(child.age) ? `${child.age}岁` : "";
  put("child-facts", [GENDER_WORDS[child.gender], age].filter(Boolean).join(" / ") || "未填");
  put("village", referral.village_name || "未能确定");
  put("child-status", (child.status || []).map((code) => CHILD_STATUS_WORDS[code] || "").filter(Boolean).join("、") || "无");
  put("concerns", (referral.concern_labels || []).join("、"));
  put("narrative", referral.reports.map((report) => report.narrative).join("\n"));
}

async function showDeadlines(referralId) {
  const body = $("deadlines");
  body.replaceChildren();
  let deadlines = [];
  try { deadlines = await notification(`/v1/deadlines?referral_id=${referralId}`); } catch { /* shown below */ }
  for (const deadline of deadlines) {
    row(body, [STAGES[deadline.stage] || "", when(deadline.due_at), DEADLINE_WORDS[deadline.status] || ""]);
  }
  if (!deadlines.length) row(body, ["暂无时限", "", ""]);
}

async function showForm() {
  const referralId = new URLSearchParams(location.search).get("referral");
  if (!referralId) { say($("message"), "未指定转介（地址须带 ?referral=）", false); return; }
  let referral;
  try { referral = await api(`/v1/referrals/${encodeURIComponent(referralId)}`); } catch (error) {
    say($("message"), `无法读取转介：${error.message}`, false);
    return;
  }
  await loadLabels();
  document.title = `转介单 ${caseName(referral)}`;
  put("case-number", caseName(referral));
  put("printed", `打印时间：${when(new Date())}`);
  put("received-at", when(referral.received_at));
  put("created-at", when(referral.created_at));
  put("station", referral.assignee_name || "待分派");
  put("county", await countyName(referral.assignee_code));
  put("priority", PRIORITY_WORDS[referral.priority] || "");
  put("police", referral.police_required ? "是" : "否");
  put("status", FORM_STATUSES[referral.status] || "");
  put("report-count", `${referral.report_count} 次`);
  showChild(referral);
  await showDeadlines(referral.referral_id);
  const history = $("history");
  history.replaceChildren();
  for (const entry of referral.history) {
    row(history, [when(entry.at), entryWords(entry, referral), actorName(entry.actor, referral)]);
  }
  $("sheet").hidden = false;
  $("print").disabled = false;
  $("print").focus();
}

$("print").addEventListener("click", () => window.print());
startPage(showForm);
