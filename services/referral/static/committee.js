"use strict";
// The coordinating committee's view of its area: the summary at the top, the counties (opened to their townships),
// the daily chart, on-time rates per stage, the overdue list with its 督办 state, the monitoring figures
// (committee-monitoring.js), and the CSV and Excel exports.
// Figures and case numbers only; no one's name.

function area() { return $("area").value.trim(); }
let lastTrend = [];

async function load() {
  const who = caller();
  if (!who) return;
  if (!area()) $("area").value = who.scope || "14";
  if (!/^[0-9]{2,9}$/.test(area())) { say($("message"), "区域代码应为2至9位数字", false); return; }
  const days = Number($("days").value);
  say($("message"), "加载中…", true);
  try {
    const [figures, week, month, onTime, overdue, stuck] = await Promise.all([
      api(`/v1/dashboard?area=${area()}&days=${days}`),
      notification(`/v1/stage-performance?area=${area()}&days=7`),
      notification(`/v1/stage-performance?area=${area()}&days=30`),
      notification(`/v1/on-time?area=${area()}&days=30`),
      notification(`/v1/overdue?area=${area()}`),
      api(`${config.intake_url}/v1/reports/stuck/count?area=${area()}`).catch(() => null), // the rest still shows
    ]);
    const names = placeNames(figures.places);
    $("area-name").textContent = names.get(area()) || "";
    const late = overdueByPlace(overdue);
    showSummary(figures, onTime, overdue);
    $("sum-stuck").textContent = stuck === null ? "暂无法获取" : stuck.stuck ? `${stuck.stuck} 件` : "无";
    $("sum-stuck").className = stuck?.stuck ? "overdue" : "";
    showPlaces(figures.places, late, onTimeByPlace(month));
    lastTrend = everyDay(figures.trend, days);
    drawTrend($("trend"), lastTrend);
    showStages(week.filter((row) => !row.township), month.filter((row) => !row.township), names);
    showOverdue(overdue, names);
    showMonitoringFigures(figures, month);
    say($("message"), `已更新 ${when(new Date())}`, true);
  } catch (error) { say($("message"), `加载失败：${error.message}`, false); }
}

function placeNames(places) {
  const names = new Map();
  for (const place of places) {
    names.set(place.county, place.county_name || place.county);
    if (place.township) names.set(place.township, `${place.county_name || ""}${place.township_name || place.township}`);
  }
  return names;
}

function showSummary(figures, onTime, overdue) {
  const summary = figures.summary;
  const cases = new Set(overdue.map((row) => row.referral_id)).size;
  $("sum-open").textContent = `${summary.open} 件`;
  $("sum-overdue").textContent = overdue.length ? `${cases} 件（${overdue.length}个环节）` : "无";
  $("sum-overdue").className = overdue.length ? "overdue" : "";
  $("sum-p1").textContent = `${summary.open_p1} 件`;
  $("sum-on-time").replaceChildren(percent(onTime.rate), trendNote(onTime));
  $("sum-unrouted").textContent = summary.unrouted ? `${summary.unrouted} 件` : "无";
  $("sum-received").textContent = `${summary.received} 件 / ${percent(summary.acknowledged_rate)}`;
}

function trendNote(onTime) {
  const note = document.createElement("small");
  note.className = onTime.change === null ? "unknown" : onTime.change < 0 ? "worse" : "better";
  const arrow = onTime.change > 0 ? "▲ " : onTime.change < 0 ? "▼ " : "";
  note.textContent = `${arrow}${pointsChange(onTime.change, onTime.days)}`;
  return note;
}

function showStages(week, month, names) {
  const key = (row) => `${row.county}/${row.stage}`;
  const lastWeek = new Map(week.map((row) => [key(row), row]));
  const order = Object.keys(STAGES);
  month.sort((a, b) => a.county.localeCompare(b.county) || order.indexOf(a.stage) - order.indexOf(b.stage));
  $("stages").replaceChildren(...month.map((row) => {
    const tr = document.createElement("tr");
    tr.append(cell(names.get(row.county) || row.county), cell(STAGES[row.stage] || row.stage),
      cell(percent(lastWeek.get(key(row))?.on_time_rate)), cell(percent(row.on_time_rate)),
      cell(row.overdue_now ? `${row.overdue_now}个` : "无", row.overdue_now ? "overdue" : "muted"));
    return tr;
  }));
  if (!month.length) $("stages").append(emptyRow(5, "期间内没有到期的环节"));
}

function showOverdue(rows, names) {
  $("overdue").replaceChildren(...rows.map((row) => {
    const tr = document.createElement("tr");
    const code = row.assignee_code;
    const holder = !/^[0-9]+$/.test(code) ? "12345热线（待分派）"
      : code.length === 6 ? `${names.get(code) || ""}未保中心` : names.get(code) || "本区域工作站";
    tr.append(cell(row.case_number || "（编号待生成）"), cell(holder), cell(STAGES[row.stage] || row.stage),
      cell(PRIORITIES[row.priority] || row.priority), cell(when(row.due_at)),
      cell(minutesInWords(row.overdue_by_minutes), "overdue"), cell(row.supervision_issued ? "已督办" : "未督办"));
    return tr;
  }));
  if (!rows.length) $("overdue").append(emptyRow(7, "当前无超时环节"));
}

async function download(kind) {
  try {
    const response = await api(`/v1/dashboard.${kind}?area=${area()}&days=${$("days").value}`);
    const link = document.createElement("a");
    link.href = URL.createObjectURL(await response.blob());
    link.download = `转介运行监测-${$("area-name").textContent || area()}-近${$("days").value}天.${kind}`;
    link.click();
    setTimeout(() => URL.revokeObjectURL(link.href), 10000);
  } catch (error) { say($("message"), `导出失败：${error.message}`, false); }
}

$("refresh").addEventListener("click", load);
$("days").addEventListener("change", load);
$("area").addEventListener("keydown", (event) => { if (event.key === "Enter") load(); });
$("export-csv").addEventListener("click", () => download("csv"));
$("export-xlsx").addEventListener("click", () => download("xlsx"));
window.addEventListener("resize", () => { if (lastTrend.length) drawTrend($("trend"), lastTrend); });
startPage(load);
