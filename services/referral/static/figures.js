"use strict";
// How the desk pages write figures: durations in words (2天3小时), rates as 87.5%, changes in percentage points,
// and overdue stages gathered per place. Counts and times only.

function minutesInWords(minutes) {
  if (minutes === null || minutes === undefined) return "—";
  const total = Math.max(0, Math.round(minutes));
  const days = Math.floor(total / 1440), hours = Math.floor((total % 1440) / 60), rest = total % 60;
  if (days) return `${days}天${hours ? hours + "小时" : ""}`;
  if (hours) return `${hours}小时${rest ? rest + "分钟" : ""}`;
  return `${rest}分钟`;
}

const hoursInWords = (hours) => (hours === null || hours === undefined ? "—" : minutesInWords(hours * 60));
const percent = (rate) => (rate === null || rate === undefined ? "—" : `${(rate * 100).toFixed(1)}%`);

function pointsChange(change, days) {
  if (change === null || change === undefined) return `前${days}天无可比数据`;
  const points = Math.abs(change * 100).toFixed(1);
  if (points === "0.0") return `与前${days}天持平`;
  return `较前${days}天${change > 0 ? "上升" : "下降"} ${points} 个百分点`;
}

// Overdue stages now by the place they belong to (the holder, or where the child is for a clock the hotline
// holds; a county's code: its centre's own), and by county as "total:" and the county's code:
// {count, longest minutes, referrals}.
function overdueByPlace(rows) {
  const places = new Map();
  const add = (code, row) => {
    const place = places.get(code) || { count: 0, longest: 0, referrals: new Set() };
    place.count += 1;
    place.longest = Math.max(place.longest, row.overdue_by_minutes);
    place.referrals.add(row.referral_id);
    places.set(code, place);
  };
  for (const row of rows) {
    const held = /^[0-9]{6,12}$/.test(row.assignee_code) ? row.assignee_code : row.area_code || "";
    const code = held.slice(0, 9); // a village's clock counts with its township
    if (!code) continue;
    add(code, row);
    add(`total:${code.slice(0, 6)}`, row);
  }
  return places;
}

function overdueWords(place) {
  if (!place || !place.count) return "无";
  return `${place.count}个环节，最长${minutesInWords(place.longest)}`;
}

const PRIORITIES = { P1: "P1 紧急", P2: "P2 较急", P3: "P3 一般" };

function emptyRow(columns, text) {
  const tr = document.createElement("tr");
  const td = cell(text, "empty");
  td.colSpan = columns;
  tr.append(td);
  return tr;
}
