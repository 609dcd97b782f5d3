"use strict";
// The centre's two forms: reassigning a referral to a station picked by name, with the reason; and deciding a
// request for more time (批准 / 不批准). Each says what happened, or why it was refused.

function field(labelText, control) {
  const label = document.createElement("label");
  label.append(labelText, control);
  return label;
}

function formMessage() {
  const message = document.createElement("span");
  message.className = "message";
  message.setAttribute("role", "alert");
  return message;
}

function openReassign(row, referral) {
  row.nextElementSibling?.classList.contains("reassign") && row.nextElementSibling.remove();
  const form = document.createElement("form");
  form.className = "decide";
  const picker = document.createElement("select");
  picker.name = "division_code";
  picker.required = true;
  picker.append(new Option("请选择工作站", ""), ...stations.filter((s) => s.kind === "station" && s.code !== referral.assignee_code)
    .map((s) => new Option(`${shortName(s.name)}（在办${s.open}件）`, s.code)));
  const reason = document.createElement("input");
  reason.name = "reason";
  reason.required = true;
  reason.minLength = 2;
  reason.maxLength = 500;
  reason.size = 28;
  reason.placeholder = "如：经核实，儿童现居该乡镇";
  const submit = document.createElement("button");
  submit.type = "submit";
  submit.className = "primary";
  submit.textContent = "确认改派";
  const cancel = document.createElement("button");
  cancel.type = "button";
  cancel.textContent = "取消";
  const message = formMessage();
  form.append(field("改派至 ", picker), field("理由 ", reason), submit, cancel, message);
  const holder = document.createElement("tr");
  holder.className = "reassign";
  const td = document.createElement("td");
  td.colSpan = 10;
  td.append(form);
  holder.append(td);
  row.after(holder);
  picker.focus();
  cancel.addEventListener("click", () => { holder.remove(); row.querySelector("button").focus(); });
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    submit.disabled = true;
    try {
      const body = JSON.stringify({ division_code: picker.value, reason: reason.value.trim() });
      await api(`/v1/referrals/${referral.referral_id}/reassign`, { method: "POST", body });
      const done = `${referral.case_number || "该转介"} 已改派至${picker.selectedOptions[0].text.replace(/（.*$/, "")}`;
      await load();
      say($("message"), done, true);
    } catch (error) {
      message.textContent = `未能改派：${error.message}`;
      message.className = "message fail";
      submit.disabled = false;
    }
  });
}

function decisionForm(extension) {
  const form = document.createElement("form");
  form.className = "decide";
  const group = document.createElement("fieldset");
  const legend = document.createElement("legend");
  legend.className = "sr-only";
  legend.textContent = `${extension.case_number || ""} 延期申请的审批`;
  group.append(legend);
  for (const [value, text] of [["approve", "批准"], ["refuse", "不批准"]]) {
    const radio = document.createElement("input");
    radio.type = "radio";
    radio.name = `decision-${extension.extension_id}`;
    radio.value = value;
    radio.required = true;
    group.append(field(radio, text));
  }
  const submit = document.createElement("button");
  submit.type = "submit";
  submit.className = "primary";
  submit.textContent = "提交";
  const message = formMessage();
  form.append(group, submit, message);
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    const decision = form.querySelector("input:checked").value;
    submit.disabled = true;
    try {
      await api(`${config.notification_url}/v1/extensions/${extension.extension_id}/${decision}`, { method: "POST" });
      await load();
      say($("message"), `${extension.case_number || "该转介"} 的延期申请已${decision === "approve" ? "批准" : "不批准"}`, true);
    } catch (error) {
      message.textContent = `未能提交：${error.message}`;
      message.className = "message fail";
      submit.disabled = false;
    }
  });
  return form;
}
