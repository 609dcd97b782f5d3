"use strict";
// One case on the station's phone (#case/<case number>, #case/<case number>/<action>): what it is, the actions
// the case's status allows (each a form), what came of those recorded here, the reports and the timeline.

const CasePage = (() => {
  const OPEN = ["contact", "visit", "assessment", "police", "feedback", "extension", "decline", "close"];
  let shown = { id: null, detail: null };
  let renders = 0;  // only the latest of overlapping renders is shown

  function node(tag, text, className) {
    const made = document.createElement(tag);
    if (text !== undefined) made.textContent = text;
    if (className) made.className = className;
    return made;
  }

  function link(href, text, className = "button") {
    const made = node("a", text, className);
    made.href = href;
    return made;
  }

  const MONITORING = ["follow_up", "helper", "task", "monitoring_end"];
  const TASK_FORMS = { contact: "contact", home_visit: "visit", follow_up_visit: "follow_up" };

  // A village's child director has the forms of the tasks handed to it; a station those of the case's status.
  function kindsFor(row, status) {
    if (row.tasks) return row.tasks.map((task) => TASK_FORMS[task.kind]).filter(Boolean);
    if (status.startsWith("待签收")) return ["acknowledge", "decline", "extension"];
    return row.referral.status === "monitoring" ? [...MONITORING, ...OPEN] : [...OPEN, "task"];
  }

  // What the station may hand to the village: a follow-up visit under monitoring, else a contact or home visit.
  const taskKinds = (referral) => (referral.status === "monitoring" ? ["follow_up_visit"] : ["contact", "home_visit"]);

  function clocks(deadlines) {
    if (!deadlines.length) return ["—"];
    return deadlines.flatMap((deadline, index) => {
      const clock = node("span", "", "countdown");
      clock.dataset.due = deadline.due_at;
      return [...(index ? [node("br")] : []), `${STAGES[deadline.stage] || ""}（${when(deadline.due_at)}）`, clock];
    });
  }

  function summary({ referral, deadlines, tasks }, status, detail) {
    const list = node("dl", undefined, "facts");
    const facts = [
      ["儿童", [referral.child_name_masked || "姓名未填"]], ["村（社区）", [referral.village_name || "—"]],
      ["关注问题", [(referral.concern_labels || []).join("、") || "—"]], ["状态", [status]],
      tasks ? ["交办于", [when(tasks[0].handed_at)]] : ["时限", clocks(deadlines)],
    ];
    if (referral.report_count) facts.push(["报告次数", [String(referral.report_count)]]);
    if (referral.police_required) facts.push(["公安", ["需公安介入"]]);
    const helper = detail?.helper;
    if (helper) facts.push(["结对帮扶人", [[helper.name, helper.phone].filter(Boolean).join(" ") || "已确定"]]);
    const guardianship = detail?.guardianship;
    if (referral.in_guardianship && guardianship) {
      facts.push(["临时监护", [`${guardianship.guardianship_placement || ""}（${when(guardianship.guardianship_started_at)}起）`]]);
    }
    for (const [term, values] of facts) {
      const dd = node("dd");
      dd.append(...values);
      list.append(node("dt", term), dd);
    }
    return list;
  }

  function records(actions) {
    const list = node("ul", undefined, "records");
    list.id = "case-records";
    for (const action of actions) {
      list.append(node("li", `${action.label}（记录于 ${when(action.recorded_at)}）：${Queue.stateText(action)}`,
        `sync ${action.state}`));
    }
    return list;
  }

  function historyText(entry, lists) {
    const detail = entry.detail || {};
    const label = (list, code) => (list.find((c) => c.code === code) || {}).label || code;
    const parts = [
      detail.method && `（${Forms.METHODS[detail.method] || detail.method}）`,
      detail.level && `：${LEVELS[detail.level] || detail.level}`,
      detail.kind && `：${TASK_KINDS[detail.kind] || ""}`,
      entry.action === "monitoring_ended" && detail.reason && `：${Forms.ENDS[detail.reason] || ""}`,
      detail.outcome && `：${label(lists.outcomes, detail.outcome)}`,
      detail.police_station && `：${detail.police_station}${detail.police_case_number ? `（${detail.police_case_number}）` : ""}`,
      detail.feedback && `：${label(lists.feedback, detail.feedback)}`,
      detail.notes && `。${detail.notes}`,
      detail.by && `（${detail.by}）`,
    ];
    return `${when(detail.at || entry.at)} ${ACTIONS[entry.action] || entry.action}${parts.filter(Boolean).join("")}`;
  }

  function reports(detail) {
    return detail.reports.map((report) => {
      const child = report.child || {};
      const age = child.age !== undefined && child.age !== null ? `${child.age}岁` : "";
      const who = [child.name || "姓名未填", age, child.address || ""].filter(Boolean).join("，");
      const reporter = report.reporter_identity ? `报告人：${report.reporter_identity.name || ""}` : "报告人身份保密";
      const flag = report.mandatory_report ? "【强制报告】" : "";
      return node("p", `${when(report.received_at)} ${flag}儿童：${who}。${report.narrative}（${reporter}）`, "report");
    });
  }

  function section(title, id, children) {
    const part = node("section", undefined, "case-part");
    const heading = node("h3", title);
    heading.id = `${id}-title`;
    part.setAttribute("aria-labelledby", heading.id);
    part.append(heading, ...children);
    return part;
  }

  async function send(referral, key, kind, body) {
    const target = Forms.target(kind, referral.referral_id, body);
    await Queue.record({ referral_id: referral.referral_id, case_number: key, kind, label: Forms.title(kind), ...target });
    location.hash = `#case/${encodeURIComponent(key)}`;
  }

  async function show(key, kind, { fresh = false, focus = true } = {}) {
    const ticket = ++renders;
    const view = $("case-view");
    const row = Station.find(key);
    const back = link("#", "‹ 返回待办", "back");
    if (!row) {  // closed or moved away: what came of the actions recorded here still shows
      const kept = (await Store.actions()).filter((action) => action.case_number === key);
      if (ticket !== renders) return;
      const gone = [back, node("p", "该案件已不在待办中（已办结、已改派或任务已完成）", "empty")];
      view.replaceChildren(...gone, ...(kept.length ? [section("本机记录", "records", [records(kept)])] : []));
      return;
    }
    const { referral, deadlines } = row;
    if (fresh || shown.id !== referral.referral_id) shown = { id: referral.referral_id, detail: await Station.detail(referral.referral_id) };
    const actions = await Queue.of(referral.referral_id);
    if (ticket !== renders) return;
    const status = Station.statusOf(row, actions);
    const heading = node("h2", undefined, "case-title");
    heading.id = "case-title";
    heading.tabIndex = -1;
    heading.append(node("span", referral.priority, `badge ${referral.priority}`), ` ${caseName(referral)}`);
    const buttons = node("nav", undefined, "case-actions");
    buttons.setAttribute("aria-label", "办理");
    const kinds = kindsFor(row, status);
    for (const each of kinds) buttons.append(link(`#case/${encodeURIComponent(key)}/${each}`, Forms.title(each)));
    if (!row.tasks) buttons.append(link(`form.html?referral=${encodeURIComponent(referral.referral_id)}`, "打印转介单"));
    const parts = [back, heading, summary(row, status, shown.detail)];
    if (actions.length) parts.push(section("本机记录", "records", [records(actions)]));
    if (kind && kinds.includes(kind)) {
      const context = {
        lists: Station.lists(), station: Station.station(), deadlines, caseKey: key, taskKinds: taskKinds(referral),
        village: referral.village_name,
      };
      parts.push(Forms.build(kind, context, (body) => send(referral, key, kind, body)));
    } else parts.push(buttons);
    const detail = shown.detail;
    if (detail) {
      parts.push(section("报告", "reports", reports(detail)));
      const timeline = node("ol", undefined, "timeline");
      timeline.id = "timeline";
      timeline.append(...detail.history.map((entry) => node("li", historyText(entry, Station.lists()))));
      parts.push(section("办理记录", "timeline", [timeline]));
    } else parts.push(node("p", "离线：本案详情未保存在本机，联网后可查看报告与办理记录", "empty"));
    view.replaceChildren(...parts);
    tick();
    const first = view.querySelector(".action-form input, .action-form select, .action-form textarea");
    if (focus) (first || heading).focus();
  }

  return { show };
})();
