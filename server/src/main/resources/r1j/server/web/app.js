// The r1j chat page: streams /v1/chat/completions, shows the thought in a collapsible block with its duration, the
// answer rendered as markdown with math, a stop button and settings kept in localStorage.
"use strict";
(() => {
  const $ = id => document.getElementById(id);
  const conversation = $("conversation"), prompt = $("prompt"), send = $("send"), stop = $("stop");
  const settingIds = ["temperature", "thinking-budget", "max-tokens", "api-key"];
  let history = [];      // [{role, content}] sent to the API; earlier thoughts are not sent back (as DeepSeek advises)
  let controller = null; // AbortController of the running request

  for (const id of settingIds) {
    const saved = localStorage.getItem("r1j." + id);
    if (saved !== null) $(id).value = saved;
    $(id).addEventListener("change", () => localStorage.setItem("r1j." + id, $(id).value));
  }
  $("settings-toggle").addEventListener("click", () => {
    const s = $("settings"); s.hidden = !s.hidden;
    $("settings-toggle").setAttribute("aria-expanded", String(!s.hidden));
  });
  $("new-chat").addEventListener("click", () => { if (!controller) { history = []; conversation.textContent = ""; } });
  stop.addEventListener("click", () => controller && controller.abort());
  prompt.addEventListener("keydown", e => {
    if (e.key === "Enter" && !e.shiftKey) { e.preventDefault(); $("composer").requestSubmit(); }
  });
  $("composer").addEventListener("submit", e => {
    e.preventDefault();
    const text = prompt.value.trim();
    if (text && !controller) { prompt.value = ""; ask(text); }
  });

  function headers() {
    const h = { "Content-Type": "application/json" };
    const key = $("api-key").value.trim();
    if (key) h.Authorization = "Bearer " + key;
    return h;
  }

  fetch("v1/models", { headers: headers() }).then(r => r.ok ? r.json() : null)
    .then(j => { if (j && j.data && j.data[0]) $("model").textContent = j.data[0].id; }).catch(() => {});

  function addMessage(role) {
    const div = document.createElement("div");
    div.className = "msg " + role;
    const body = document.createElement("div");
    body.className = "body";
    div.appendChild(body);
    conversation.appendChild(div);
    return { div, body };
  }

  function thoughtBlock(parent) {
    const details = document.createElement("details");
    details.className = "thought";
    details.open = true;
    const summary = document.createElement("summary");
    summary.textContent = "Thinking…";
    const text = document.createElement("div");
    text.className = "thought-text";
    details.append(summary, text);
    parent.before(details);
    return { details, summary, text };
  }

  async function ask(text) {
    addMessage("user").body.textContent = text;
    history.push({ role: "user", content: text });
    const reply = addMessage("assistant");
    reply.div.dataset.state = "streaming";
    const request = { model: $("model").textContent || "r1j", messages: history, stream: true,
      stream_options: { include_usage: true } };
    const t = parseFloat($("temperature").value); if (!isNaN(t)) request.temperature = t;
    const b = parseInt($("thinking-budget").value, 10); if (!isNaN(b)) request.thinking_budget = b;
    const m = parseInt($("max-tokens").value, 10); if (!isNaN(m)) request.max_tokens = m;
    controller = new AbortController();
    send.hidden = true; stop.hidden = false;
    let thought = null, thoughtText = "", answer = "", thinkStart = null, thinkEnd = null;
    const endThought = () => {
      if (thought && thinkEnd === null) {
        thinkEnd = performance.now();
        thought.summary.textContent = `Thought for ${((thinkEnd - thinkStart) / 1000).toFixed(1)} s`;
        thought.details.open = false;
      }
    };
    try {
      const res = await fetch("v1/chat/completions", { method: "POST", headers: headers(),
        body: JSON.stringify(request), signal: controller.signal });
      if (!res.ok) {
        const err = await res.json().catch(() => ({}));
        throw new Error((err.error && err.error.message) || `HTTP ${res.status}`);
      }
      const reader = res.body.getReader();
      const decoder = new TextDecoder();
      let buffer = "";
      for (;;) {
        const { value, done } = await reader.read();
        if (done) break;
        buffer += decoder.decode(value, { stream: true });
        let cut;
        while ((cut = buffer.indexOf("\n\n")) >= 0) {
          const event = buffer.slice(0, cut); buffer = buffer.slice(cut + 2);
          if (!event.startsWith("data: ")) continue; // keep-alive comments
          const data = event.slice(6);
          if (data === "[DONE]") continue;
          const chunk = JSON.parse(data);
          const choice = chunk.choices && chunk.choices[0];
          if (!choice) continue;
          const d = choice.delta || {};
          if (d.reasoning_content) {
            if (!thought) { thought = thoughtBlock(reply.body); thinkStart = performance.now(); }
            thoughtText += d.reasoning_content;
            thought.text.textContent = thoughtText;
          }
          if (d.content) {
            endThought();
            answer += d.content;
            reply.body.innerHTML = R1jRender.markdown(answer);
          }
          conversation.scrollTop = conversation.scrollHeight;
        }
      }
      endThought();
      reply.div.dataset.state = "done";
    } catch (e) {
      endThought();
      const note = document.createElement("div");
      note.className = e.name === "AbortError" ? "muted" : "error";
      note.textContent = e.name === "AbortError" ? "(stopped)" : "Error: " + e.message;
      reply.div.appendChild(note);
      reply.div.dataset.state = e.name === "AbortError" ? "stopped" : "error";
    } finally {
      history.push({ role: "assistant", content: answer });
      controller = null;
      send.hidden = false; stop.hidden = true;
      prompt.focus();
    }
  }
})();
