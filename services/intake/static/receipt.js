"use strict";
// A mandatory reporter looks up a receipt: the step the report has come to, and its date; nothing else.

const lookup = document.getElementById("lookup");
const answer = document.getElementById("answer");

function say(text, strong) {
  answer.hidden = false;
  answer.textContent = "";
  if (strong) {
    const big = document.createElement("strong");
    big.textContent = strong;
    answer.append(big);
  }
  answer.append(text);
}

lookup.addEventListener("submit", async (event) => {
  event.preventDefault();
  for (const slot of lookup.querySelectorAll(".error")) slot.textContent = "";
  const body = { receipt_number: lookup.elements.receipt_number.value.trim(), phone: lookup.elements.phone.value.trim() };
  let response;
  try {
    response = await fetch("/v1/receipts/lookup", {
      method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify(body),
    });
  } catch (error) {
    say("网络不通，请稍后再试");
    return;
  }
  if (response.ok) {
    const found = await response.json();
    say(`日期：${found.date}`, found.status_text);
  } else if (response.status === 422) {
    answer.hidden = true;
    for (const error of (await response.json()).errors) {
      const slot = lookup.querySelector(`.error[data-field="${error.field}"]`);
      if (slot) slot.textContent = error.message;
    }
  } else if (response.status === 404) {
    say("回执号或电话号码不正确，请核对后再查");
  } else if (response.status === 429) {
    say("查询过于频繁，请一分钟后再试");
  } else {
    say("暂时无法查询，请稍后再试");
  }
});
