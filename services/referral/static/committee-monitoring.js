"use strict";
// The committee's figures of what follows the assessment: children under monitoring by level and by township,
// pairing helpers named on time and follow-up visits on time (the last 30 days), children in temporary
// guardianship. Counts and rates only.

const MONITORED = ["monitoring_fair", "monitoring_poor", "monitoring_dangerous"];
const monitoredCount = (place) => MONITORED.reduce((total, field) => total + place[field], 0);

// A stage's on-time rate over the area's counties: [rate, decided].
function stageOnTime(rows, stage) {
  const counted = rows.filter((row) => !row.township && row.stage === stage);
  const onTime = counted.reduce((total, row) => total + row.on_time, 0);
  const decided = onTime + counted.reduce((total, row) => total + row.late, 0);
  return [decided ? onTime / decided : null, decided];
}

function rateWords([rate, decided]) {
  return decided ? `${percent(rate)}（${decided}个到期）` : "期间内无到期";
}

function monitoringPlace(place) {
  const county = place.county_name || place.county;
  if (place.level === "centre") return `${county}未保中心（直接承办）`;
  return `${county}${place.township_name || place.township}`;
}

function showMonitoringFigures(figures, month) {
  const summary = figures.summary;
  const [fair, poor, dangerous] = MONITORED.map((field) => summary[field]);
  $("sum-monitoring").textContent = `${fair + poor + dangerous} 人`;
  $("sum-monitoring-levels").textContent = `一般 ${fair} · 较差 ${poor} · 危险 ${dangerous}`;
  $("sum-guardianship").textContent = summary.in_guardianship ? `${summary.in_guardianship} 人` : "无";
  $("sum-helper-on-time").textContent = rateWords(stageOnTime(month, "helper"));
  $("sum-visit-on-time").textContent = rateWords(stageOnTime(month, "follow_up_visit"));
  const places = figures.places.filter((place) => place.level !== "county" && (monitoredCount(place) || place.in_guardianship));
  places.sort((a, b) => monitoringPlace(a).localeCompare(monitoringPlace(b), "zh-CN"));
  $("monitoring-places").replaceChildren(...places.map((place) => {
    const tr = document.createElement("tr");
    const name = document.createElement("th");
    name.scope = "row";
    name.textContent = monitoringPlace(place);
    tr.append(name, ...MONITORED.map((field) => cell(place[field], field === "monitoring_dangerous" && place[field] ? "p1" : "")),
      cell(monitoredCount(place)), cell(place.in_guardianship));
    return tr;
  }));
  if (!places.length) $("monitoring-places").append(emptyRow(6, "该区域暂无监护监测中或临时监护中的儿童"));
}
