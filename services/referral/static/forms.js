"use strict";
// The station's actions as forms: what each asks for, built as labelled fields, and the body each sends.
// Times are typed and shown in Beijing time whatever the phone's zone; left as offered, a time is the moment
// the worker recorded the action.

const Forms = (() => {
  const METHODS = { phone: "电话", in_person: "当面", other: "其他方式" };
  const KINDS = {
    acknowledge: { title: "签收", path: "acknowledge", fields: ["notes"], submit: "确认签收" },
    contact: { title: "记录联系", path: "contacts", fields: ["method", "at", "notes"] },
    visit: { title: "记录入户走访", path: "visits", fields: ["at", "notes"] },
    assessment: { title: "监护评估", path: "assessments", fields: ["level", "at", "notes"] },
    police: { title: "报警", path: "police-notifications", fields: ["police_station", "at", "police_case_number", "notes"] },
    feedback: { title: "公安反馈", path: "police-feedback", fields: ["feedback", "at", "notes"] },
    extension: { title: "申请延期", fields: ["deadline_id", "requested_until", "reason"] },
    decline: { title: "退回（不属本辖区）", path: "decline", fields: ["suggested_division_code", "reason"] },
    close: { title: "办结", path: "close", fields: ["outcome", "notes"] },
    task: { title: "交办村（居）儿童主任", path: "tasks", fields: ["kind", "village_code", "notes"], submit: "交办" },
    helper: { title: "确定结对帮扶人", path: "helpers", fields: ["name", "phone", "at", "notes"] },
    follow_up: { title: "记录随访", path: "follow-up-visits", fields: ["at", "notes"] },
    monitoring_end: { title: "结束监护监测", path: "monitoring-end", fields: ["end", "division_code", "at", "notes"] },
  };
  const ENDS = { turned_18: "年满18周岁", moved_away: "迁出" };
  const OPTIONAL = ["notes", "police_case_number", "phone", "village_code", "division_code"];
  const LABELS = {
    notes: "情况说明（可不填）", method: "联系方式", at: "时间（北京时间）", level: "监护评估等级",
    police_station: "报警的派出所", police_case_number: "公安案件（警情）编号（可不填）", feedback: "公安反馈",
    deadline_id: "延期的环节", requested_until: "申请延至（北京时间）", reason: "原因",
    suggested_division_code: "儿童实际所在乡镇（街道）", outcome: "办结结果", kind: "交办事项",
    village_code: "交办的村（社区）", name: "结对帮扶人姓名", phone: "结对帮扶人电话（可不填）", end: "结束原因",
    division_code: "迁入的乡镇（街道）（迁出时必选）",
  };

  const PARTS = new Intl.DateTimeFormat("zh-CN", {
    timeZone: "Asia/Shanghai", year: "numeric", month: "2-digit", day: "2-digit", hour: "2-digit", minute: "2-digit",
    hourCycle: "h23",
  });

  // A moment as a datetime-local value in Beijing time, and such a value back as a moment.
  function beijingInput(moment) {
    const part = Object.fromEntries(PARTS.formatToParts(moment).map((p) => [p.type, p.value]));
    return `${part.year}-${part.month}-${part.day}T${part.hour}:${part.minute}`;
  }
  const fromBeijing = (value) => `${value}:00+08:00`;

  function element(tag, props = {}, children = []) {
    const node = Object.assign(document.createElement(tag), props);
    node.append(...children);
    return node;
  }

  function select(name, options, required = true) {
    const control = element("select", { name, id: `f-${name}`, required });
    if (required) control.add(new Option("请选择", ""));
    for (const [value, label] of options) control.add(new Option(label, value));
    return control;
  }

  function radios(name, options) {
    const group = element("fieldset", { className: "choices" }, [element("legend", { textContent: LABELS[name] })]);
    for (const [value, label] of options) {
      const input = element("input", { type: "radio", name, value, required: true });
      group.append(element("label", { className: "choice" }, [input, ` ${label}`]));
    }
    return group;
  }

  function control(name, context) {
    const now = beijingInput(new Date());
    switch (name) {
      case "notes": return element("textarea", { name, id: `f-${name}`, rows: 3, maxLength: 2000 });
      case "reason": return element("textarea", { name, id: `f-${name}`, rows: 2, required: true, minLength: 2, maxLength: 500 });
      case "at": return element("input", { type: "datetime-local", name, id: `f-${name}`, value: now, required: true });
      case "method": return select(name, Object.entries(METHODS));
      case "feedback": return select(name, context.lists.feedback.map((c) => [c.code, c.label]));
      case "outcome": return select(name, context.lists.outcomes.map((c) => [c.code, c.label]));
      case "suggested_division_code":
        return select(name, context.lists.townships.filter((t) => t.code !== context.station).map((t) => [t.code, t.name]));
      case "deadline_id":
        return select(name, context.deadlines.filter((d) => !d.pending_extension_id)
          .map((d) => [d.deadline_id, `${STAGES[d.stage] || d.stage}（${when(d.due_at)} 到期）`]));
      case "requested_until": {
        const later = context.deadlines[0] ? new Date(context.deadlines[0].due_at) : new Date();
        return element("input", { type: "datetime-local", name, id: `f-${name}`, required: true,
          value: beijingInput(new Date(later.getTime() + 86400000)) });
      }
      case "police_station": return element("input", { name, id: `f-${name}`, required: true, minLength: 2, maxLength: 60, autocomplete: "off" });
      case "kind": return select(name, context.taskKinds.map((kind) => [kind, TASK_KINDS[kind]]));
      case "village_code": return select(name, villages(context), false);
      case "name":
        return element("input", { name, id: `f-${name}`, required: true, maxLength: 50, autocomplete: "off",
          pattern: "[A-Za-z\\u3400-\\u9fff·]+( [A-Za-z\\u3400-\\u9fff·]+)*" });
      case "phone": return element("input", { type: "tel", name, id: `f-${name}`, maxLength: 20, autocomplete: "off",
        pattern: "[0-9+\\- ]{7,20}" });
      case "police_case_number":
        return element("input", { name, id: `f-${name}`, minLength: 4, maxLength: 40, pattern: "[A-Za-z0-9]+(-[A-Za-z0-9]+)*", autocomplete: "off" });
      default: throw new Error(name);
    }
  }

  // The villages of the station's township that have a child director; none chosen: the child's own village.
  function villages(context) {
    const own = context.village ? `儿童所在村（${context.village}）` : "儿童所在村";
    const named = (context.lists.directors || []).map((d) => [d.village_code, `${d.village_name} ${d.name}`]);
    return [["", own], ...named];
  }

  function field(name, context) {
    if (name === "level") return radios(name, Object.entries(LEVELS));
    if (name === "end") return radios(name, Object.entries(ENDS));
    if (name === "division_code") return PlacePicker.build(name, LABELS[name], context);
    const input = control(name, context);
    return element("div", { className: "field" }, [element("label", { htmlFor: input.id, textContent: LABELS[name] }), input]);
  }

  // The form for an action; `send(body, kind)` is called with the body once the form is valid.
  function build(kind, context, send) {
    const spec = KINDS[kind];
    const form = element("form", { className: "action-form", id: `form-${kind}` });
    form.setAttribute("aria-labelledby", "form-title");
    form.append(element("h3", { id: "form-title", textContent: spec.title }));
    for (const name of spec.fields) form.append(field(name, context));
    // The new township is needed only when the child moved away.
    form.addEventListener("change", () => {
      const place = form.elements.namedItem("division_code");
      if (place) place.required = form.elements.namedItem("end")?.value === "moved_away";
    });
    form.append(element("div", { className: "form-buttons" }, [
      element("button", { type: "submit", className: "primary", textContent: spec.submit || "保存" }),
      element("a", { href: `#case/${encodeURIComponent(context.caseKey)}`, className: "button", textContent: "取消" }),
    ]));
    const offered = form.querySelector("[name=at]")?.value ?? null;
    form.addEventListener("submit", (event) => {
      event.preventDefault();
      send(bodyOf(spec, form, offered), kind);
    });
    return form;
  }

  function bodyOf(spec, form, offered) {
    const body = {};
    for (const name of spec.fields) {
      const value = (form.elements.namedItem(name)?.value ?? "").trim();
      if (name === "at") body.at = value === offered ? new Date().toISOString() : fromBeijing(value);
      else if (name === "requested_until") body.requested_until = fromBeijing(value);
      else if (name === "end") body.reason = value;
      else if (value || !OPTIONAL.includes(name)) body[name] = value;
    }
    if (body.reason === "turned_18") delete body.division_code;
    return body;
  }

  // Where an action goes: referral's actions take the key; a request for more time goes to notification.
  function target(kind, referralId, body) {
    if (kind !== "extension") return { url: `/v1/referrals/${referralId}/${KINDS[kind].path}`, body, keyed: true };
    const { deadline_id: deadline, ...rest } = body;
    return { url: `${config?.notification_url ?? ""}/v1/deadlines/${deadline}/extensions`, body: rest, keyed: false };
  }

  const title = (kind) => KINDS[kind]?.title;

  return { build, target, title, beijingInput, fromBeijing, KINDS, METHODS, LEVELS, ENDS };
})();
