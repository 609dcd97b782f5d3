"use strict";
// What the station's phone keeps in IndexedDB: the last list of its own open cases (with their clocks and the
// lists the forms offer) for reading offline, and the actions recorded on it, in order, until the server has
// answered them. Signing out deletes the database.

const Store = (() => {
  const NAME = "station-workbench";
  let opening = null;

  function open() {
    if (!opening) {
      opening = new Promise((resolve, reject) => {
        const request = indexedDB.open(NAME, 1);
        request.onupgradeneeded = () => {
          request.result.createObjectStore("kept");
          request.result.createObjectStore("actions", { keyPath: "seq", autoIncrement: true });
        };
        request.onsuccess = () => resolve(request.result);
        request.onerror = () => reject(request.error);
      });
    }
    return opening;
  }

  async function run(store, mode, work) {
    const db = await open();
    return new Promise((resolve, reject) => {
      const transaction = db.transaction(store, mode);
      const request = work(transaction.objectStore(store));
      transaction.oncomplete = () => resolve(request?.result);
      transaction.onerror = () => reject(transaction.error);
    });
  }

  const get = (key) => run("kept", "readonly", (store) => store.get(key));
  const put = (key, value) => run("kept", "readwrite", (store) => store.put(value, key));
  const keys = () => run("kept", "readonly", (store) => store.getAllKeys());
  const drop = (key) => run("kept", "readwrite", (store) => store.delete(key));
  const actions = () => run("actions", "readonly", (store) => store.getAll());
  const add = (action) => run("actions", "readwrite", (store) => store.add(action));
  const update = (action) => run("actions", "readwrite", (store) => store.put(action));
  const remove = (seq) => run("actions", "readwrite", (store) => store.delete(seq));

  async function wipe() {
    if (opening) (await opening.catch(() => null))?.close();
    opening = null;
    await new Promise((resolve) => {
      const request = indexedDB.deleteDatabase(NAME);
      request.onsuccess = request.onerror = request.onblocked = () => resolve();
    });
  }

  return { get, put, keys, drop, actions, add, update, remove, wipe, NAME };
})();
