"use strict";
// The county's children under monitoring (监护监测) and in temporary guardianship (临时监护): the station that
// holds each, the level, whether a pairing helper is named, the centre's guardianship decision clock, and the
// guardianship forms (guardianship-forms.js). The children waiting for the centre's decision come first.

const LEVEL_ORDER = ["dangerous", "poor", "fair"];
const inGuardianship = (referral) => Boolean(referral.in_guardianship);
const watched = (referral) => referral.status === "monitoring" || inGuardianship(referral);

// Each with its detail: the placement, the helper, the decision already taken.
async function monitoredChildren(loads, held) {
  const stationLists = await Promise.all(loads.filter((row) => row.kind === "station")
    .map((row) => api(`/v1/stations/${row.code}/referrals`)));
  const children = [...held, ...stationLists.flat()].filter(watched);
  return Promise.all(children.map((referral) => api(`/v1/referrals/${referral.referral_id}`)));
}

function guardianshipState(referral) {
  const guardianship = referral.guardianship || {};
  if (inGuardianship(referral)) {
    return `临时监护中：${guardianship.guardianship_placement || ""}（${when(guardianship.guardianship_started_at)}起）`;
  }
  return `监护监测中${guardianship.guardianship_decided_at ? "（已决定无需临时监护）" : ""}`;
}

function guardianshipButtons(tr, referral) {
  const kinds = inGuardianship(referral) ? ["end"] : ["start", "not_needed"];
  const td = document.createElement("td");
  for (const kind of kinds) {
    const button = document.createElement("button");
    button.type = "button";
    button.textContent = GUARDIANSHIP[kind].title;
    button.setAttribute("aria-label", `${GUARDIANSHIP[kind].title} ${referral.case_number || ""}`);
    button.addEventListener("click", () => openGuardianship(tr, referral, kind, load));
    td.append(button, " ");
  }
  return td;
}

function monitoredRow(referral, decision) {
  const tr = document.createElement("tr");
  tr.dataset.referral = referral.referral_id;
  const left = decision && !inGuardianship(referral) ? countdown(decision.due_at) : null;  // met a moment later
  tr.append(cell(referral.case_number || "（编号待生成）"), cell(referral.child_name_masked || "未提供"),
    cell(referral.village_name || "未定位"), cell(stationName(referral.assignee_code)),
    cell(LEVELS[referral.assessment] || "—", referral.assessment === "dangerous" ? "p1" : ""),
    cell(guardianshipState(referral)), cell(referral.helper ? "已确定" : "未确定"),
    cell(left ? `${when(decision.due_at)}（${left.text}）` : "—", left?.late ? "overdue" : ""),
    guardianshipButtons(tr, referral));
  return tr;
}

async function showMonitoring(loads, held, clocks) {
  const children = await monitoredChildren(loads, held);
  const decisions = new Map(clocks.filter((clock) => clock.stage === "guardianship_decision")
    .map((clock) => [clock.referral_id, clock]));
  const rank = (referral) => (decisions.has(referral.referral_id) ? -1 : LEVEL_ORDER.indexOf(referral.monitoring_level));
  children.sort((a, b) => rank(a) - rank(b) || (a.case_number || "").localeCompare(b.case_number || ""));
  $("monitored").replaceChildren(...children.map((referral) => monitoredRow(referral, decisions.get(referral.referral_id))));
  if (!children.length) $("monitored").append(emptyRow(9, "本县暂无监护监测中或临时监护中的儿童"));
  const guarded = children.filter(inGuardianship).length;
  $("sum-monitoring").textContent = `${children.length - guarded} 人`;
  $("sum-guardianship").textContent = guarded ? `${guarded} 人` : "无";
}
