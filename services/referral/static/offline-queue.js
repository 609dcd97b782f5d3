"use strict";
// Actions recorded on the phone go out in the order they were recorded, each with its own Idempotency-Key, so
// that one sent twice (the answer lost on a village network) is applied once. Each is kept with what came of
// it: applied, or refused with the server's reason. No answer, or a server fault, keeps it queued: it goes out
// again when the network returns or the page is next opened.

const Queue = (() => {
  const FIELDS = {
    at: "时间", notes: "情况说明", method: "联系方式", level: "评估等级", police_station: "派出所",
    police_case_number: "公安案件编号", feedback: "公安反馈", reason: "原因", suggested_division_code: "乡镇（街道）",
    outcome: "办结结果", requested_until: "延期至", "Idempotency-Key": "记录编号", kind: "交办事项",
    village_code: "交办的村（社区）", name: "结对帮扶人姓名", phone: "结对帮扶人电话", division_code: "迁入的乡镇（街道）",
  };
  const listeners = [];
  let sending = null;
  let again = false;

  function newKey() {
    if (crypto.randomUUID) return crypto.randomUUID();
    return Array.from(crypto.getRandomValues(new Uint8Array(16)), (b) => b.toString(16).padStart(2, "0")).join("");
  }

  // action: {referral_id, case_number, kind, label, url, body, keyed}; keyed: the service takes the key.
  async function record(action) {
    await Store.add({ ...action, key: newKey(), recorded_at: new Date().toISOString(), state: "pending" });
    changed(0);
    flush();
  }

  function reasonOf(status, body) {
    if (body?.detail) return String(body.detail);
    const problems = (body?.errors || []).map((e) => `${FIELDS[String(e.field).split(".").pop()] || "内容"}：${e.message}`);
    return problems.join("；") || `未被接受（${status}）`;
  }

  // One action out: "applied", "refused" (with the reason kept), or null when it stays queued.
  async function send(action) {
    const headers = { "Content-Type": "application/json", Authorization: `Bearer ${await SignIn.bearer()}` };
    if (action.keyed) headers["Idempotency-Key"] = action.key;
    let response;
    try {
      response = await fetch(action.url, { method: "POST", headers, body: JSON.stringify(action.body) });
    } catch { return { state: null, note: "网络不通，联网后自动提交" }; }
    if (response.status >= 500 || response.status === 401 || response.status === 429) {
      return { state: null, note: response.status === 401 ? "登录已过期，重新登录后自动提交" : "服务暂不可用，稍后自动提交" };
    }
    let body = null;
    try { body = await response.json(); } catch { /* no JSON */ }
    if (response.ok) return { state: "applied", note: "" };
    return { state: "refused", note: reasonOf(response.status, body) };
  }

  async function sendAll() {
    const pending = (await Store.actions()).filter((a) => a.state === "pending").sort((a, b) => a.seq - b.seq);
    let answered = 0;
    for (const action of pending) {
      const { state, note } = await send(action);
      if (!state) {  // the rest wait behind it, in order
        await Store.update({ ...action, note });
        break;
      }
      await Store.update({ ...action, state, note, answered_at: new Date().toISOString() });
      answered += 1;
    }
    return answered;
  }

  // Sends what is queued; one run at a time, another after it when asked meanwhile.
  function flush() {
    if (sending) { again = true; return sending; }
    sending = drain();
    return sending;
  }

  // Listeners hear how many the server answered (applied or refused): the cases may have changed.
  async function drain() {
    let answered = 0;
    try {
      do { again = false; answered += await sendAll(); } while (again);
    } finally { sending = null; changed(answered); }
    return answered;
  }

  async function of(referralId) {
    return (await Store.actions()).filter((a) => a.referral_id === referralId).sort((a, b) => a.seq - b.seq);
  }

  // Answered actions are kept a week (a case that has left the list shows why); pending ones until sent.
  async function prune() {
    const week = Date.now() - 7 * 86400000;
    for (const action of await Store.actions()) {
      if (action.state !== "pending" && new Date(action.answered_at) < week) await Store.remove(action.seq);
    }
  }

  function changed(applied) { for (const listener of listeners) listener(applied); }
  const onChange = (listener) => listeners.push(listener);

  const STATES = { pending: "待提交", applied: "已提交", refused: "未被接受" };
  const stateText = (action) => `${STATES[action.state]}${action.note ? `：${action.note}` : ""}`;

  return { record, flush, of, prune, onChange, stateText, dismiss: (seq) => Store.remove(seq).then(() => changed(0)) };
})();
