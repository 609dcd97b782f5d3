"use strict";
// The daily chart: received as bars, acknowledged as a line, drawn as SVG at the width of its box, with axes
// labelled in Chinese. Days without a referral count as zero, so that the axis spans the whole period.

function everyDay(trend, days) {
  const counted = new Map(trend.map((day) => [day.day, day]));
  const filled = [];
  for (let back = days - 1; back >= 0; back--) {
    const day = new Date(Date.now() - back * 86400000).toLocaleDateString("sv-SE", { timeZone: "Asia/Shanghai" });
    filled.push(counted.get(day) || { day, received: 0, acknowledged: 0 });
  }
  return filled;
}

const dayLabel = (iso) => `${Number(iso.slice(5, 7))}月${Number(iso.slice(8, 10))}日`;

function niceTicks(top) {
  const step = [1, 2, 5, 10, 20, 50, 100, 200, 500, 1000].find((s) => top / s <= 5) || Math.ceil(top / 5);
  const ticks = [];
  for (let value = 0; value <= Math.max(top, step); value += step) ticks.push(value);
  if (ticks[ticks.length - 1] < top) ticks.push(ticks[ticks.length - 1] + step);
  return ticks;
}

function drawTrend(box, trend) {
  const width = Math.max(320, box.clientWidth || 900), height = 320;
  const left = 56, right = 16, top = 44, bottom = 64;
  const ticks = niceTicks(Math.max(1, ...trend.map((day) => Math.max(day.received, day.acknowledged))));
  const most = ticks[ticks.length - 1];
  const slot = (width - left - right) / Math.max(1, trend.length);
  const x = (i) => left + slot * (i + 0.5);
  const y = (value) => height - bottom - (value * (height - top - bottom)) / most;
  const every = Math.max(1, Math.ceil(trend.length / Math.floor((width - left - right) / 64)));
  const grid = ticks.map((value) => `<line x1="${left}" x2="${width - right}" y1="${y(value)}" y2="${y(value)}" stroke="#d5d9de"/>
    <text x="${left - 8}" y="${y(value) + 5}" text-anchor="end" font-size="13" fill="#1d2329">${value}</text>`).join("");
  const bars = trend.map((day, i) => `<rect x="${x(i) - slot * 0.35}" y="${y(day.received)}" width="${slot * 0.7}"
    height="${y(0) - y(day.received)}" fill="#b22222"><title>${dayLabel(day.day)}：新增${day.received}件，签收${day.acknowledged}件</title></rect>`).join("");
  const line = trend.map((day, i) => `${x(i).toFixed(1)},${y(day.acknowledged).toFixed(1)}`).join(" ");
  const dots = trend.map((day, i) => `<circle cx="${x(i)}" cy="${y(day.acknowledged)}" r="3.5" fill="#1a7f37"/>`).join("");
  const labels = trend.map((day, i) => (i % every ? "" : `<text x="${x(i)}" y="${height - bottom + 20}" text-anchor="middle" font-size="13" fill="#1d2329">${dayLabel(day.day)}</text>`)).join("");
  const received = trend.reduce((sum, day) => sum + day.received, 0);
  const acknowledged = trend.reduce((sum, day) => sum + day.acknowledged, 0);
  box.innerHTML = `<svg viewBox="0 0 ${width} ${height}" width="${width}" height="${height}" role="img"
    aria-label="近${trend.length}天每日新增与签收：共新增${received}件，其中已签收${acknowledged}件">
    ${grid}${bars}<polyline fill="none" stroke="#1a7f37" stroke-width="2.5" points="${line}"/>${dots}${labels}
    <line x1="${left}" x2="${width - right}" y1="${y(0)}" y2="${y(0)}" stroke="#5b6470"/>
    <text x="16" y="${(top + height - bottom) / 2}" font-size="13" fill="#1d2329" text-anchor="middle"
      transform="rotate(-90 16 ${(top + height - bottom) / 2})">件数</text>
    <text x="${(left + width - right) / 2}" y="${height - 12}" font-size="13" fill="#1d2329" text-anchor="middle">日期（北京时间）</text>
    <rect x="${left}" y="12" width="14" height="14" fill="#b22222"/><text x="${left + 20}" y="24" font-size="14" fill="#1d2329">当日新增</text>
    <line x1="${left + 110}" x2="${left + 134}" y1="19" y2="19" stroke="#1a7f37" stroke-width="2.5"/>
    <circle cx="${left + 122}" cy="19" r="3.5" fill="#1a7f37"/><text x="${left + 140}" y="24" font-size="14" fill="#1d2329">其中已签收</text>
  </svg>`;
}
