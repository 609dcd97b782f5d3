"use strict";
// The routing preview on the operator's form: where the report would go, asked of referral with the
// operator's sign-in while an address is typed (debounced) or a township picked. When several places fit, the
// operator may pick one: its division code fills the form's field and is sent with the report.
// Uses $, form and config from operator.js.

const PREVIEW_WAIT_MS = 300;
const MOST_CANDIDATES_SHOWN = 8;
const PREVIEW_REFUSALS = { 401: "登录已过期，无法预览转派去向", 403: "当前账号无权预览转派去向" };
let previewTimer;
let previewsAsked = 0; // an answer to an earlier question, arriving late, is dropped

function previewCode() {
  return $("township").value || $("division-code").value.trim();
}

async function askPreview(query) {
  try {
    return await fetch(`${config.referral_url}/v1/routing-preview?${query}`, {
      headers: { Authorization: `Bearer ${await SignIn.bearer()}` },
    });
  } catch {
    return null;
  }
}

async function showPreview() {
  const preview = $("preview");
  const code = previewCode();
  const address = form.elements["child.address"].value.trim();
  const asked = ++previewsAsked;
  if (!code && !address) {
    preview.className = "preview";
    preview.textContent = "选择乡镇（街道）或填写详细地址后显示转派去向";
    return;
  }
  const response = await askPreview(new URLSearchParams(code ? { division_code: code } : { address }));
  const result = response && (response.ok || response.status === 422) ? await response.json() : null;
  if (asked !== previewsAsked) return;
  preview.className = "preview";
  if (response && response.status === 422) {
    preview.className = "preview unrouted";
    preview.textContent = result.errors.map((error) => error.message).join("；");
  } else if (!result) {
    preview.textContent = (response && PREVIEW_REFUSALS[response.status]) || "暂时无法预览转派去向";
  } else {
    describe(preview, result);
  }
}

function describe(preview, result) {
  const how = result.matched_by_label ? `（${result.matched_by_label}）` : "";
  const where = result.place ? `地址识别为：${result.place.path}${how}。` : "";
  if (result.destination === "candidates") {
    preview.className = "preview unrouted";
    preview.textContent = `地址有多个可能${how}，请选择其一，否则将进入人工分派队列：`;
    preview.append(candidateButtons(result.candidates));
  } else if (result.destination === "queue") {
    preview.className = "preview unrouted";
    preview.textContent = `${where || "未能识别地址。"}无法确定工作站，报告将进入人工分派队列`;
  } else {
    preview.textContent = `${where}将转派至：${result.assignee_name}`;
  }
}

function candidateButtons(candidates) {
  const list = document.createElement("span");
  list.className = "candidates";
  for (const candidate of candidates.slice(0, MOST_CANDIDATES_SHOWN)) {
    const button = document.createElement("button");
    button.type = "button";
    button.className = "candidate";
    button.dataset.code = candidate.code;
    button.textContent = candidate.path;
    button.addEventListener("click", () => pickCandidate(candidate.code));
    list.append(button);
  }
  if (candidates.length > MOST_CANDIDATES_SHOWN) list.append(`等 ${candidates.length} 处`);
  return list;
}

function pickCandidate(code) {
  const field = $("division-code");
  field.value = code;
  field.dataset.picked = "true";
  showPreview();
}

function previewSoon() {
  clearTimeout(previewTimer);
  previewTimer = setTimeout(showPreview, PREVIEW_WAIT_MS);
}

form.elements["child.address"].addEventListener("input", () => {
  const field = $("division-code");
  if (field.dataset.picked) { field.value = ""; delete field.dataset.picked; } // picked for the earlier text
  previewSoon();
});
$("division-code").addEventListener("input", () => {
  delete $("division-code").dataset.picked;
  previewSoon();
});
