"use strict";
// The hotline supervisors' unrouted queue: reports the resolver could not place, by priority then age, each
// dispatched to a township picked from the resolver's candidates or the county's list.

const Unrouted = (() => {
  async function nextDeadlines() {
    // The first running dispatch clock of each referral is its next deadline.
    const next = new Map();
    try {
      for (const deadline of await notification("/v1/hotline/deadlines")) {
        if (!next.has(deadline.referral_id)) next.set(deadline.referral_id, deadline);
      }
    } catch (error) { say($("message"), `时限暂时无法读取：${error.message}`, false); }
    return next;
  }

  async function load() {
    const body = $("inbox");
    try {
      const [referrals, deadlines] = await Promise.all([api("/v1/unrouted"), nextDeadlines()]);
      body.replaceChildren(...referrals.map((referral) => row(referral, deadlines.get(referral.referral_id))));
      if (!referrals.length) body.innerHTML = '<tr><td colspan="6" class="empty">暂无待分派的报告</td></tr>';
    } catch (error) { say($("message"), `加载失败：${error.message}`, false); }
    tick();
  }

  function row(referral, deadline) {
    const tr = document.createElement("tr");
    tr.dataset.referral = referral.referral_id;
    const priority = document.createElement("td");
    const badge = document.createElement("span");
    badge.className = `badge ${referral.priority}`;
    badge.textContent = referral.priority;
    priority.append(badge);
    const clock = cell("", "countdown");
    if (deadline) clock.dataset.due = deadline.due_at;
    const action = document.createElement("td");
    const button = document.createElement("button");
    button.type = "button";
    button.textContent = "分派";
    button.addEventListener("click", () => dispatch(referral, tr));
    const open = document.createElement("button");
    open.type = "button";
    open.textContent = "详情";
    open.addEventListener("click", () => showDetail(referral.referral_id, tr));
    action.append(button, open);
    tr.append(priority, cell(caseName(referral)), cell(referral.report_count),
      cell(deadline ? when(deadline.due_at) : ""), clock, action);
    return tr;
  }

  function matchEvidence(referral) {
    // How the resolver read the address and what each name in it counted for, in the supervisors' words.
    const read = referral.matched_by_label || (referral.candidates.length ? "有多个可能" : "未能识别");
    const how = `地址识别：${read}`;
    const parts = (referral.weighed || []).map((weighed) => `${weighed.text}（${weighed.label}）`);
    return parts.length ? `${how}；依据：${parts.join("、")}` : how;
  }

  async function townshipPicker(countyCode, candidates) {
    // The resolver's candidates first, then every township of the county.
    const select = document.createElement("select");
    select.id = "township-picker";
    select.setAttribute("aria-label", "分派至乡镇（街道）");
    select.add(new Option("选择乡镇（街道）", ""));
    for (const candidate of candidates || []) select.add(new Option(`（推荐）${candidate.path}`, candidate.code));
    if (countyCode) {
      for (const township of await api(`/v1/divisions/${countyCode}/children`)) select.add(new Option(township.name, township.code));
    }
    return select;
  }

  async function dispatch(referral, tr) {
    const county = (referral.assignee_code || referral.division_code || "").slice(0, 6);
    const select = await townshipPicker(county.length === 6 ? county : null, referral.candidates);
    const reason = document.createElement("input");
    reason.id = "pick-reason";
    reason.value = "核实后分派";
    reason.setAttribute("aria-label", "分派原因");
    const ok = document.createElement("button");
    ok.id = "pick-ok";
    ok.type = "button";
    ok.textContent = "确定";
    const evidence = document.createElement("p");
    evidence.className = "evidence";
    evidence.textContent = matchEvidence(referral);
    tr.lastElementChild.replaceChildren(evidence, select, reason, ok);
    select.focus();
    ok.addEventListener("click", async () => {
      if (!select.value) { say($("message"), "请选择乡镇（街道）", false); return; }
      try {
        await api(`/v1/referrals/${referral.referral_id}/reassign`, {
          method: "POST", body: JSON.stringify({ division_code: select.value, reason: reason.value.trim() }),
        });
        say($("message"), "已保存", true);
        await load();
      } catch (error) { say($("message"), `未能保存：${error.message}`, false); }
    });
  }

  async function showDetail(referralId, tr) {
    document.querySelectorAll("tr.selected").forEach((selected) => selected.classList.remove("selected"));
    tr.classList.add("selected");
    const detail = await api(`/v1/referrals/${referralId}`);
    $("detail").hidden = false;
    $("detail-id").textContent = caseName(detail);
    $("detail-match").textContent = matchEvidence(detail);
    $("detail-reports").replaceChildren(...detail.reports.map((report) => {
      const p = document.createElement("p");
      const child = report.child || {};
      const who = [child.name || "姓名未填", child.address || ""].filter(Boolean).join("，");
      p.textContent = `${when(report.received_at)} 儿童：${who}。${report.narrative}`;
      return p;
    }));
    $("detail-history").replaceChildren(...detail.history.map((entry) => {
      const li = document.createElement("li");
      li.textContent = `${when(entry.at)} ${ACTIONS[entry.action] || entry.action}`;
      return li;
    }));
  }

  return { load };
})();
