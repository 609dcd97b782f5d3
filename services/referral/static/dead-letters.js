"use strict";
// The hotline supervisors' list of dead letters: events a service set aside, what went wrong in words, and the
// case they concern where known. Never an event's body: notification keeps none.

const DeadLetters = (() => {
  function row(letter) {
    const tr = document.createElement("tr");
    const source = letter.consumer_group ? `${letter.source_topic || letter.topic}（${letter.consumer_group}）` : letter.topic;
    tr.append(cell(when(letter.set_aside_at)), cell(letter.case_number || (letter.report_id ? "尚无案件编号" : "不涉及具体案件")),
      cell(letter.reason), cell(source));
    return tr;
  }

  async function load() {
    const body = $("dead-letters");
    try {
      const letters = await notification("/v1/dead-letters?limit=50");
      body.replaceChildren(...letters.map(row));
      if (!letters.length) body.innerHTML = '<tr><td colspan="4" class="empty">暂无被搁置的消息</td></tr>';
      $("dead-letters-section").hidden = false;
    } catch (error) { say($("message"), `被搁置的消息暂时无法读取：${error.message}`, false); }
  }

  return { load };
})();
