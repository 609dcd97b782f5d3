"use strict";
// The centre's temporary guardianship (临时监护) forms, opened under a child's row: its start (the placement
// institution, the reason, the time in Beijing time), that it is not needed, and its end. Each says what
// happened, or why it was refused.

const GUARDIANSHIP = {
  start: {
    title: "开始临时监护", path: "guardianship", fields: ["placement", "reason", "at"], done: "已记录开始临时监护",
  },
  not_needed: { title: "无需临时监护", path: "guardianship/not-needed", fields: ["reason"], done: "已记录无需临时监护" },
  end: { title: "结束临时监护", path: "guardianship/end", fields: ["at", "reason"], done: "已记录结束临时监护" },
};
const GUARDIANSHIP_LABELS = { placement: "安置机构 ", reason: "原因 ", at: "时间（北京时间） " };

function guardianshipControl(name) {
  const control = document.createElement(name === "reason" ? "textarea" : "input");
  control.name = name;
  control.required = true;
  if (name === "at") {
    control.type = "datetime-local";
    control.value = Forms.beijingInput(new Date());
  } else {
    control.maxLength = name === "placement" ? 100 : 500;
    control.autocomplete = "off";
  }
  if (name === "reason") control.rows = 2;
  if (name === "placement") control.placeholder = "如：县儿童福利院";
  return control;
}

function guardianshipBody(spec, form, offered) {
  const body = {};
  for (const name of spec.fields) {
    const value = form.elements.namedItem(name).value.trim();
    body[name] = name !== "at" ? value : value === offered ? new Date().toISOString() : Forms.fromBeijing(value);
  }
  return body;
}

// The form for `kind` in a row under the child's row, focused; `reload` shows the list again once recorded.
function openGuardianship(row, referral, kind, reload) {
  row.parentElement.querySelector("tr.guardianship-form")?.remove();
  const spec = GUARDIANSHIP[kind];
  const form = document.createElement("form");
  form.className = "decide";
  form.id = `guardianship-${kind}`;
  form.setAttribute("aria-label", `${referral.case_number || ""} ${spec.title}`);
  const controls = spec.fields.map(guardianshipControl);
  const submit = document.createElement("button");
  submit.type = "submit";
  submit.className = "primary";
  submit.textContent = `确认${spec.title}`;
  const cancel = document.createElement("button");
  cancel.type = "button";
  cancel.textContent = "取消";
  const message = formMessage();
  form.append(...controls.map((control) => field(GUARDIANSHIP_LABELS[control.name], control)), submit, cancel, message);
  const holder = document.createElement("tr");
  holder.className = "guardianship-form";
  const td = document.createElement("td");
  td.colSpan = row.children.length;
  td.append(form);
  holder.append(td);
  row.after(holder);
  controls[0].focus();
  const offered = form.elements.namedItem("at")?.value;
  cancel.addEventListener("click", () => { holder.remove(); row.querySelector("button")?.focus(); });
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    submit.disabled = true;
    try {
      const body = JSON.stringify(guardianshipBody(spec, form, offered));
      await api(`/v1/referrals/${referral.referral_id}/${spec.path}`, { method: "POST", body });
      await reload();
      say($("message"), `${referral.case_number || "该转介"} ${spec.done}`, true);
    } catch (error) {
      message.textContent = `未能提交：${error.message}`;
      message.className = "message fail";
      submit.disabled = false;
    }
  });
}
