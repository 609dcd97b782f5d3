"use strict";
// The report form's fields: their choices in Chinese, the fields shown only when they apply, the report read
// from the form, the 422's errors beside the fields they name, and Beijing time for the call time whatever
// the device's zone.

const CHOICES = {
  CHANNELS: { phone: "电话", web: "网站", app: "手机应用", walk_in: "来访", institution: "单位报告" },
  GENDERS: { "": "请选择", male: "男", female: "女", unknown: "不详" },
  CHILD_STATUSES: {
    orphan: "孤儿", de_facto_unsupported: "事实无人抚养儿童", left_behind: "农村留守儿童", in_difficulty: "困境儿童",
    migrant: "流动儿童", disabled: "残疾儿童",
  },
  CONCERNS: {
    lack_of_guardianship: "监护缺失", guardian_abuse: "监护侵害/家庭暴力", sexual_abuse: "性侵害", neglect: "忽视",
    abandonment: "遗弃", missing: "走失/失踪", bullying: "欺凌", trafficking: "拐卖", self_harm: "心理危机/自伤",
    out_of_school: "失学辍学", hardship: "生活困难", other: "其他",
  },
  INSTITUTION_TYPES: {
    "": "请选择", school: "学校", kindergarten: "幼儿园", hospital: "医疗机构", hotel: "旅馆、宾馆",
    training_centre: "校外培训机构", care_institution: "托育、儿童福利机构", social_work: "社会工作服务机构",
    internet_cafe: "网吧等场所", residents_committee: "居（村）民委员会", other: "其他单位",
  },
};
const RELATIONS = ["父母", "祖父母、外祖父母", "其他亲属", "邻居", "教师", "医护人员", "社会工作者", "村（居）委会工作人员", "儿童本人", "其他"];
const CONCERNS = CHOICES.CONCERNS;
const LIST_FIELDS = { concern: "concerns", "child.status": "child.status" };
const BEIJING = "Asia/Shanghai";

const $ = (id) => document.getElementById(id);
const form = $("report-form");

const beijingFormat = new Intl.DateTimeFormat("zh-CN", {
  timeZone: BEIJING, year: "numeric", month: "2-digit", day: "2-digit", hour: "2-digit", minute: "2-digit",
  hourCycle: "h23",
});

function beijingTime(value) {
  return value ? beijingFormat.format(new Date(value)) : "";
}

function beijingNowForInput() {
  // "YYYY-MM-DDTHH:MM" as a clock in Beijing shows it now, for a datetime-local input
  const parts = Object.fromEntries(new Intl.DateTimeFormat("en-CA", {
    timeZone: BEIJING, year: "numeric", month: "2-digit", day: "2-digit", hour: "2-digit", minute: "2-digit",
    hourCycle: "h23",
  }).formatToParts(new Date()).map((part) => [part.type, part.value]));
  return `${parts.year}-${parts.month}-${parts.day}T${parts.hour}:${parts.minute}`;
}

function fillChoices() {
  for (const select of form.querySelectorAll("select[data-choices]")) {
    for (const [code, label] of Object.entries(CHOICES[select.dataset.choices])) select.add(new Option(label, code));
  }
  for (const group of form.querySelectorAll("fieldset[data-choices]")) {
    for (const [code, label] of Object.entries(CHOICES[group.dataset.choices])) {
      const wrapper = document.createElement("label");
      const box = document.createElement("input");
      Object.assign(box, { type: "checkbox", name: group.dataset.name, value: code });
      wrapper.append(box, ` ${label}`);
      group.append(wrapper);
    }
  }
  for (const relation of RELATIONS) $("relations").append(new Option(relation));
}

function showWhatApplies() {
  const anonymous = form.elements["reporter.anonymous"].checked;
  $("reporter-identity").hidden = anonymous;
  $("institution").hidden = !form.elements["reporter.mandatory_reporter"].checked;
}

function resetFields() {
  form.reset();
  form.elements.received_at.value = beijingNowForInput();
  showWhatApplies();
}

function setPath(target, path, value) {
  const keys = path.split(".");
  let node = target;
  for (const key of keys.slice(0, -1)) node = node[key] = node[key] || {};
  node[keys[keys.length - 1]] = value;
}

function fieldValue(element) {
  const value = element.value.trim();
  if (element.type === "number") return Number(value);
  if (element.name === "received_at") return `${value.length === 16 ? `${value}:00` : value}+08:00`;  // Beijing time
  return value;
}

function reportFromForm() {
  const report = { child: { status: [] }, reporter: {}, concerns: [] };
  for (const element of form.querySelectorAll("[name]")) {
    if (element.closest("[hidden]")) continue;  // a field that does not apply is not sent
    if (LIST_FIELDS[element.name]) {
      if (element.checked) setPath(report, LIST_FIELDS[element.name], [...listAt(report, element.name), element.value]);
    } else if (element.type === "checkbox") {
      setPath(report, element.name, element.checked);
    } else if (element.value.trim() !== "") {
      setPath(report, element.name, fieldValue(element));
    }
  }
  return report;
}

function listAt(report, name) {
  return name === "concern" ? report.concerns : report.child.status;
}

function errorSlot(field) {
  const found = form.querySelector(`.error[data-field="${field}"]`);
  if (found) return found;
  const group = form.querySelector(`fieldset[data-field="${field}"]`);
  const element = form.elements[field];
  const after = group || element?.closest?.("label");
  if (!after) return null;
  const slot = document.createElement("p");
  slot.className = "error";
  slot.dataset.field = field;
  slot.id = `error-${field.replace(/\./g, "-")}`;
  after.after(slot);
  (group || element).setAttribute("aria-describedby", slot.id);
  return slot;
}

function showErrors(errors) {
  for (const slot of form.querySelectorAll(".error")) slot.textContent = "";
  for (const marked of form.querySelectorAll("[aria-invalid]")) marked.removeAttribute("aria-invalid");
  let first = null;
  for (const error of errors) {
    const field = error.field.replace(/\.\d+$/, "");
    const slot = errorSlot(field);
    if (!slot) { $("form-message").textContent += `；${error.message}`; continue; }
    slot.textContent = slot.textContent ? `${slot.textContent}；${error.message}` : error.message;
    const element = form.elements[field];
    if (element?.setAttribute) element.setAttribute("aria-invalid", "true");
    if (!first && element instanceof HTMLElement) first = element;
  }
  if (first) first.focus();
}

function startFields() {
  fillChoices();
  for (const name of ["reporter.anonymous", "reporter.mandatory_reporter"]) {
    form.elements[name].addEventListener("change", showWhatApplies);
  }
  resetFields();
}
