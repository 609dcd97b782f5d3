"use strict";
// The station's app shell, kept so that the workbench opens in the village without a network: the page, its
// scripts and styles, the sign-in script and the page's settings. Each is served from the cache at once, and
// fetched again behind it so that an update shows on the next opening; from the network when not kept yet.
// Cases are never cached here: the page keeps its own station's open cases in IndexedDB, and signing out
// deletes both.

const SHELL = "workbench-shell-v3";
const FILES = [
  "workbench.html", "pages.css", "station.css", "common.js", "station-store.js", "offline-queue.js", "place-picker.js", "forms.js",
  "station-list.js", "station-case.js", "queue.js", "dead-letters.js", "workbench.js", "manifest.webmanifest",
  "icon.svg", "icon-192.png", "icon-512.png", "/assets/signin.js", "/pages/config.json",
];
const KEPT = new Set(FILES.map((file) => new URL(file, self.registration.scope).pathname));

self.addEventListener("install", (event) => {
  event.waitUntil(caches.open(SHELL).then((cache) => cache.addAll(FILES)).then(() => self.skipWaiting()));
});

self.addEventListener("activate", (event) => {
  event.waitUntil((async () => {
    for (const name of await caches.keys()) if (name !== SHELL) await caches.delete(name);
    await self.clients.claim();
  })());
});

async function keptThenRefreshed(event) {
  const cache = await caches.open(SHELL);
  const refreshed = fetch(event.request).then(async (response) => {
    if (response.ok) await cache.put(event.request, response.clone());
    return response;
  });
  const kept = await cache.match(event.request, { ignoreSearch: true });
  if (kept) {
    event.waitUntil(refreshed.catch(() => undefined));  // offline: the kept copy stays
    return kept;
  }
  return refreshed;
}

self.addEventListener("fetch", (event) => {
  const url = new URL(event.request.url);
  if (event.request.method !== "GET" || url.origin !== self.location.origin || !KEPT.has(url.pathname)) return;
  event.respondWith(keptThenRefreshed(event));
});
