"use strict";
// The workbench: what it shows follows who signs in. A station: its open cases as cards on the phone, each case
// with its forms, working offline too; a village's child director: the cases of the tasks handed to it, the same
// way, with the forms of those tasks; the hotline supervisors: the unrouted queue; a county centre: its desk.

const CENTRE_PAGE = "centre.html";

const routed = () => location.hash.match(/^#case\/([^/]+)(?:\/([a-z_]+))?$/) || [];

function route() {
  const [, key, kind] = routed();
  $("station-view").hidden = Boolean(key);
  $("case-view").hidden = !key;
  if (key) return CasePage.show(decodeURIComponent(key), kind);
  return Station.render();
}

// Shows what changed, but never rebuilds a form the worker may be typing in.
async function refresh({ fresh = true, fetch = true } = {}) {
  if (fetch) await Station.load();
  const [, key, kind] = routed();
  if (!key) await Station.render();
  else if (!kind) await CasePage.show(decodeURIComponent(key), null, { fresh, focus: false });
}

// Keeps the app shell for offline use; what is kept and what it held go at sign-out.
async function install() {
  if (!("serviceWorker" in navigator)) return;
  try { await navigator.serviceWorker.register("sw.js"); } catch { /* the page works without it, online */ }
}

async function forget() {
  await Store.wipe();
  if ("caches" in window) for (const name of await caches.keys()) await caches.delete(name);
  if ("serviceWorker" in navigator) {
    for (const registration of await navigator.serviceWorker.getRegistrations()) await registration.unregister();
  }
}

// Actions recorded on this phone but not yet sent would be lost with what it kept.
async function unsent() {
  const count = (await Store.actions()).filter((action) => action.state === "pending").length;
  return count ? `还有${count}条记录未提交，再次点击“退出登录”将删除` : "";
}

const FIELD_ROLES = ["station", "village"];  // who works from the phone, with cases kept on it

async function startStation(who) {
  const village = (who?.role ?? (await Store.get("cases"))?.role) === "village";
  $("title").textContent = village ? "村（居）儿童主任 · 交办任务" : "工作站 · 本站待办";
  $("cards-title").textContent = village ? "交办给我的任务（新交办在前）" : "本站待办（按时限先后）";
  if (!routed()[1] && (await Station.showKept(who))) $("station-view").hidden = false;
  await Station.start(who);
  Queue.onChange(async (answered) => {
    if (answered) {
      await Station.load();
      setTimeout(refresh, 3000);  // the clocks follow an action a moment later, through the events
    }
    await refresh({ fresh: answered > 0, fetch: false });
  });
  window.addEventListener("hashchange", () => route());
  window.addEventListener("online", async () => { await Queue.flush(); await refresh(); });
  $("refresh").addEventListener("click", () => refresh());
  await route();
  await Queue.flush();
  setInterval(tick, 1000);
  install();
}

(async () => {
  try { config = await SignIn.start("/pages/config.json"); } catch { config = null; }
  const who = config ? caller() : null;
  if (who && !FIELD_ROLES.includes(who.role)) await Store.wipe();  // nothing kept but a station's or village's own cases
  if (who?.role === "county_centre") { location.replace(CENTRE_PAGE); return; }
  if (FIELD_ROLES.includes(who?.role)) {
    SignIn.onSignOut(forget);
    SignIn.warnBeforeSignOut(unsent);
    await startStation(who);
    return;
  }
  if (who?.role === "operator") {
    $("title").textContent = "待人工分派的报告（按优先级、先到先派）";
    $("queue-view").hidden = false;
    await Unrouted.load();
    await DeadLetters.load();
    setInterval(tick, 1000);
    return;
  }
  // Offline without the identity provider: the cases kept on this phone, to read, and actions queued.
  if (!config && !navigator.onLine && (await Store.get("cases"))) await startStation(null);
  else if (who) say($("message"), "本页供乡镇（街道）工作站、村（居）儿童主任与12345热线使用", false);
})();
