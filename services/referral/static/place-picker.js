"use strict";
// Where a child under monitoring moved to, by name: a county of the station's city (its own first), then a
// township of that county. The station's own county's townships are kept on the phone; another county's are
// asked for when it is chosen.

const PlacePicker = (() => {
  function labelled(text, control) {
    const label = Object.assign(document.createElement("label"), { htmlFor: control.id, textContent: text });
    const box = Object.assign(document.createElement("div"), { className: "field" });
    box.append(label, control);
    return box;
  }

  function fill(select, places, station) {
    select.replaceChildren(new Option("请选择", ""));
    for (const place of places.filter((p) => p.code !== station)) select.add(new Option(place.name, place.code));
  }

  // Two fields: the county (not sent) and the township, sent as `name`.
  function build(name, label, context) {
    const own = context.station.slice(0, 6);
    const county = Object.assign(document.createElement("select"), { id: "f-county" });
    const counties = context.lists.counties?.length ? context.lists.counties : [{ code: own, name: "本县（区）" }];
    for (const place of counties) county.add(new Option(place.name, place.code, false, place.code === own));
    const township = Object.assign(document.createElement("select"), { id: `f-${name}`, name });
    fill(township, context.lists.townships, context.station);
    county.addEventListener("change", async () => {
      if (county.value === own) return fill(township, context.lists.townships, context.station);
      township.replaceChildren(new Option("加载中…", ""));
      try { fill(township, await api(`/v1/divisions/${county.value}/children`), context.station); }
      catch { township.replaceChildren(new Option("离线：只能选择本县（区）的乡镇（街道）", "")); }
    });
    const group = document.createElement("div");
    group.className = "place-picker";
    group.append(labelled("迁入的县（区）", county), labelled(label, township));
    return group;
  }

  return { build };
})();
