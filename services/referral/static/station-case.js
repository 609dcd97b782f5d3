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

  function kindsFor(status) {
    return status === "待签收" ? ["acknowledge", "decline", "extension"] : OPEN;
  }

  function summary(referral, deadlines, status) {
    const list = node("dl", undefined, "facts");
    const clock = node("span", "", "countdown");
    if (deadlines[0]) clock.dataset.due = deadlines[0].due_at;
    const next = deadlines[0] ? [`${STAGES[deadlines[0].stage] || ""}（${when(deadlines[0].due_at)}）`, clock] : ["—"];
    const facts = [
      ["儿童", [referral.child_name_masked || "姓名未填"]], ["村（社区）", [referral.village_name || "—"]],
      ["关注问题", [(referral.concern_labels || []).join("、") || "—"]], ["状态", [status]],
      ["下一时限", next], ["报告次数", [String(referral.report_count)]],
    ];
    if (referral.police_required) facts.push(["公安", ["需公安介入"]]);
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
      detail.level && `：${Forms.LEVELS[detail.level] || detail.level}`,
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
    const back = link("#", "‹ 返回本站待办", "back");
    if (!row) {  // closed or moved away: what came of the actions recorded here still shows
      const kept = (await Store.actions()).filter((action) => action.case_number === key);
      if (ticket !== renders) return;
      const gone = [back, node("p", "该案件已不在本站待办中（已办结或已改派）", "empty")];
      view.replaceChildren(...gone, ...(kept.length ? [section("本机记录", "records", [records(kept)])] : []));
      return;
    }
    const { referral, deadlines } = row;
    if (fresh || shown.id !== referral.referral_id) shown = { id: referral.referral_id, detail: await Station.detail(referral.referral_id) };
    const actions = await Queue.of(referral.referral_id);
    if (ticket !== renders) return;
    const status = Station.statusOf(referral, actions);
    const heading = node("h2", undefined, "case-title");
    heading.id = "case-title";
    heading.tabIndex = -1;
    heading.append(node("span", referral.priority, `badge ${referral.priority}`), ` ${caseName(referral)}`);
    const buttons = node("nav", undefined, "case-actions");
    buttons.setAttribute("aria-label", "办理");
    for (const each of kindsFor(status)) buttons.append(link(`#case/${encodeURIComponent(key)}/${each}`, Forms.title(each)));
    buttons.append(link(`form.html?referral=${encodeURIComponent(referral.referral_id)}`, "打印转介单"));
    const parts = [back, heading, summary(referral, deadlines, status)];
    if (actions.length) parts.push(section("本机记录", "records", [records(actions)]));
    if (kind && Forms.KINDS[kind]) {
      const context = { lists: Station.lists(), station: Station.station(), deadlines, caseKey: key };
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
