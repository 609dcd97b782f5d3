"use strict";
// The committee's table by place: a row per county (its totals), opened by click or Enter to show its centre's
// own referrals and its townships. Which counties are open survives a refresh.

const openCounties = new Set();

function placeLabel(place) {
  if (place.level === "county") return place.county_name || place.county;
  if (place.level === "centre") return "县未保中心（直接承办）";
  return place.township_name || place.township;
}

// The on-time share over the period, per township and per county (the rows without a township), all stages.
function onTimeByPlace(rows) {
  const sums = new Map();
  for (const row of rows) {
    const key = row.township || `total:${row.county}`;
    const sum = sums.get(key) || { on_time: 0, late: 0 };
    sum.on_time += row.on_time; sum.late += row.late;
    sums.set(key, sum);
  }
  return new Map([...sums].map(([key, sum]) => [key, sum.on_time + sum.late ? sum.on_time / (sum.on_time + sum.late) : null]));
}

function placeRow(place, overdue, onTime) {
  const key = place.level === "county" ? `total:${place.county}` : place.township || place.county;
  const late = overdue.get(key);
  const tr = document.createElement("tr");
  tr.className = `level-${place.level}`;
  tr.append(
    cell(place.open), cell(place.open_p1, place.open_p1 ? "p1" : ""), cell(place.unrouted),
    cell(overdueWords(late), late ? "overdue" : "muted"), cell(place.received),
    cell(percent(place.received ? place.acknowledged / place.received : null)),
    cell(hoursInWords(place.acknowledge_hours_p50)), cell(hoursInWords(place.home_visit_hours_p50)),
    cell(percent(onTime.get(key))),
  );
  const name = document.createElement("th");
  name.scope = "row";
  tr.prepend(name);
  if (place.level !== "county") {
    name.textContent = placeLabel(place);
    return tr;
  }
  const toggle = document.createElement("button");
  toggle.type = "button";
  toggle.className = "drill";
  toggle.setAttribute("aria-expanded", String(openCounties.has(place.county)));
  toggle.setAttribute("aria-controls", `places-${place.county}`);
  toggle.textContent = placeLabel(place);
  name.append(toggle);
  tr.addEventListener("click", (event) => { if (event.target !== toggle) toggle.click(); });
  toggle.addEventListener("click", () => {
    const opened = toggle.getAttribute("aria-expanded") !== "true";
    toggle.setAttribute("aria-expanded", String(opened));
    opened ? openCounties.add(place.county) : openCounties.delete(place.county);
    document.getElementById(`places-${place.county}`).hidden = !opened;
  });
  return tr;
}

function showPlaces(places, overdue, onTime) {
  const table = $("places").closest("table");
  table.querySelectorAll("tbody").forEach((body) => { if (body.id !== "places") body.remove(); });
  const counties = places.filter((place) => place.level === "county");
  const bodies = counties.map((county) => {
    const body = document.createElement("tbody");
    body.id = `places-${county.county}`;
    body.className = "townships";
    body.hidden = !openCounties.has(county.county);
    const inside = places.filter((place) => place.county === county.county && place.level !== "county");
    inside.sort((a, b) => (a.level === "centre" ? -1 : b.level === "centre" ? 1 : a.township.localeCompare(b.township)));
    body.append(...inside.map((place) => placeRow(place, overdue, onTime)));
    return [placeRow(county, overdue, onTime), body];
  });
  $("places").replaceChildren();
  if (!counties.length) $("places").append(emptyRow(10, "该区域暂无转介"));
  for (const [row, body] of bodies) {
    const head = document.createElement("tbody");
    head.className = "county";
    head.append(row);
    table.append(head, body);
  }
}
