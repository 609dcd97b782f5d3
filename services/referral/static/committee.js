"use strict";
// The coordinating committee's dashboard: by county and township, on-time rates per stage, a daily trend
// (drawn as SVG), the overdue list with its 督办 state, and the CSV export. Figures only; nothing personal.

const hours = (value) => (value === null || value === undefined ? "—" : value.toFixed(1));
const rate = (row) => (row && row.on_time_rate !== null ? `${Math.round(row.on_time_rate * 100)}%` : "—");

function area() { return $("area").value.trim(); }

async function load() {
  const who = caller();
  if (!who) return;
  if (!area()) $("area").value = who.scope || "14";
  const days = $("days").value;
  say($("message"), "加载中…", true);
  try {
    const [figures, week, month, overdue] = await Promise.all([
      api(`/v1/dashboard?area=${area()}&days=${days}`),
      notification(`/v1/stage-performance?area=${area()}&days=7`),
      notification(`/v1/stage-performance?area=${area()}&days=30`),
      notification(`/v1/overdue?area=${area()}`),
    ]);
    const names = new Map();
    for (const place of figures.places) {
      names.set(place.county, place.county_name || place.county);
      if (place.township) names.set(place.township, `${place.county_name || ""}${place.township_name || place.township}`);
    }
    showPlaces(figures.places, overdueByPlace(overdue), onTimeByPlace(month));
    showStages(week.filter((row) => !row.township), month.filter((row) => !row.township), names);
    showTrend(everyDay(figures.trend, Number(days)));
    showOverdue(overdue, names);
    say($("message"), `已更新 ${when(new Date())}`, true);
  } catch (error) { say($("message"), `加载失败：${error.message}`, false); }
}

function overdueByPlace(overdue) {
  // Overdue stages now, per township and per county.
  const counts = new Map();
  for (const row of overdue) {
    for (const code of [row.assignee_code, row.assignee_code.slice(0, 6)]) counts.set(code, (counts.get(code) || 0) + 1);
  }
  return counts;
}

function onTimeByPlace(rows) {
  // All stages together, per township and per county (the rows without a township).
  const sums = new Map();
  for (const row of rows) {
    const place = row.township || row.county;
    const sum = sums.get(place) || { on_time: 0, late: 0 };
    sum.on_time += row.on_time; sum.late += row.late;
    sums.set(place, sum);
  }
  return new Map([...sums].map(([place, sum]) => [
    place, { on_time_rate: sum.on_time + sum.late ? sum.on_time / (sum.on_time + sum.late) : null },
  ]));
}

function showPlaces(places, overdue, onTime) {
  const body = $("places");
  body.replaceChildren(...places.map((place) => {
    const tr = document.createElement("tr");
    if (!place.township) tr.className = "county-total";
    tr.append(
      cell(place.county_name || place.county), cell(place.township ? place.township_name || place.township : "合计"),
      cell(place.open), cell(place.unrouted), cell(place.received), cell(place.repeat_reports), cell(place.declines),
      cell(hours(place.acknowledge_hours_p50)), cell(hours(place.acknowledge_hours_p90)),
      cell(hours(place.home_visit_hours_p50)), cell(hours(place.home_visit_hours_p90)),
    );
    const late = overdue.get(place.township || place.county) || 0;
    tr.append(cell(late, late ? "overdue" : ""), cell(rate(onTime.get(place.township || place.county))));
    return tr;
  }));
  if (!places.length) body.innerHTML = '<tr><td colspan="13" class="empty">该区域暂无转介</td></tr>';
}

function showStages(week, month, names) {
  const key = (row) => `${row.county}/${row.stage}`;
  const lastWeek = new Map(week.map((row) => [key(row), row]));
  const order = Object.keys(STAGES);
  month.sort((a, b) => a.county.localeCompare(b.county) || order.indexOf(a.stage) - order.indexOf(b.stage));
  $("stages").replaceChildren(...month.map((row) => {
    const tr = document.createElement("tr");
    tr.append(cell(names.get(row.county) || row.county), cell(STAGES[row.stage] || row.stage), cell(rate(lastWeek.get(key(row)))), cell(rate(row)),
      cell(row.overdue_now, row.overdue_now ? "overdue" : ""));
    return tr;
  }));
}

function everyDay(trend, days) {
  // Days without a referral count as zero, so that the line spans the whole period.
  const counted = new Map(trend.map((day) => [day.day, day]));
  const filled = [];
  for (let back = days - 1; back >= 0; back--) {
    const day = new Date(Date.now() - back * 86400000).toLocaleDateString("sv-SE", { timeZone: "Asia/Shanghai" });
    filled.push(counted.get(day) || { day, received: 0, acknowledged: 0 });
  }
  return filled;
}

function showTrend(trend) {
  const width = 900, height = 220, pad = 30;
  const top = Math.max(1, ...trend.map((day) => day.received));
  const x = (i) => pad + (trend.length > 1 ? (i * (width - 2 * pad)) / (trend.length - 1) : (width - 2 * pad) / 2);
  const y = (value) => height - pad - (value * (height - 2 * pad)) / top;
  const line = (field) => trend.map((day, i) => `${x(i).toFixed(1)},${y(day[field]).toFixed(1)}`).join(" ");
  const every = Math.ceil(trend.length / 15);
  const labels = trend.map((day, i) => (i % every ? "" : `<text x="${x(i)}" y="${height - 8}" font-size="11" text-anchor="middle">${day.day.slice(5)}</text>`)).join("");
  $("trend").innerHTML = `<svg viewBox="0 0 ${width} ${height}" role="img" aria-label="每日新增与签收">
    <line x1="${pad}" y1="${height - pad}" x2="${width - pad}" y2="${height - pad}" stroke="#999"/>
    <text x="${pad}" y="${pad - 10}" font-size="12">最多 ${top} 件/天</text>
    <polyline fill="none" stroke="#b22222" stroke-width="2" points="${line("received")}"/>
    <polyline fill="none" stroke="#1a7f37" stroke-width="2" points="${line("acknowledged")}"/>
    ${trend.map((day, i) => (day.received ? `<circle cx="${x(i)}" cy="${y(day.received)}" r="3" fill="#b22222"/>` : "")).join("")}
    ${labels}
    <text x="${width - 200}" y="${pad - 10}" font-size="12" fill="#b22222">— 新增</text>
    <text x="${width - 120}" y="${pad - 10}" font-size="12" fill="#1a7f37">— 已签收</text></svg>`;
}

function showOverdue(rows, names) {
  const body = $("overdue");
  body.replaceChildren(...rows.map((row) => {
    const tr = document.createElement("tr");
    tr.append(cell(caseName(row)), cell(names.get(row.assignee_code) || row.assignee_code), cell(STAGES[row.stage] || row.stage),
      cell(row.priority), cell(when(row.due_at)), cell(`${Math.round(row.overdue_by_minutes / 60)}小时`, "overdue"),
      cell(row.supervision_issued ? "已督办" : "未督办"));
    return tr;
  }));
  if (!rows.length) body.innerHTML = '<tr><td colspan="7" class="empty">当前无超时环节</td></tr>';
}

async function exportCsv() {
  const response = await api(`/v1/dashboard.csv?area=${area()}&days=${$("days").value}`);
  const link = document.createElement("a");
  link.href = URL.createObjectURL(await response.blob());
  link.download = `转介运行监测-${area()}-${$("days").value}天.csv`;
  link.click();
}

$("refresh").addEventListener("click", load);
$("days").addEventListener("change", load);
$("export").addEventListener("click", exportCsv);
startPage(load);
