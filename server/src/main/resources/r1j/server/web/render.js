// r1j's small renderer: a safe subset of Markdown (headings, emphasis, code, lists, links, quotes) and LaTeX math
// ($…$, $$…$$, \(…\), \[…\]) turned into plain HTML + CSS. Everything the model wrote is escaped first; only the tags
// produced here reach the page. Written for r1j (no third-party code), so the page works offline.
"use strict";
const R1jRender = (() => {
  const escapeHtml = s => s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;")
    .replace(/"/g, "&quot;").replace(/'/g, "&#39;");

  const SYMBOLS = {
    alpha: "α", beta: "β", gamma: "γ", delta: "δ", epsilon: "ε", varepsilon: "ε", zeta: "ζ", eta: "η", theta: "θ",
    iota: "ι", kappa: "κ", lambda: "λ", mu: "μ", nu: "ν", xi: "ξ", pi: "π", rho: "ρ", sigma: "σ", tau: "τ",
    upsilon: "υ", phi: "φ", varphi: "φ", chi: "χ", psi: "ψ", omega: "ω", Gamma: "Γ", Delta: "Δ", Theta: "Θ",
    Lambda: "Λ", Xi: "Ξ", Pi: "Π", Sigma: "Σ", Phi: "Φ", Psi: "Ψ", Omega: "Ω",
    cdot: "·", times: "×", div: "÷", pm: "±", mp: "∓", le: "≤", leq: "≤", ge: "≥", geq: "≥", neq: "≠", ne: "≠",
    approx: "≈", equiv: "≡", sim: "∼", propto: "∝", infty: "∞", sum: "∑", prod: "∏", int: "∫", oint: "∮",
    partial: "∂", nabla: "∇", to: "→", rightarrow: "→", leftarrow: "←", Rightarrow: "⇒", Leftarrow: "⇐",
    iff: "⇔", implies: "⇒", leftrightarrow: "↔", in: "∈", notin: "∉", subset: "⊂", subseteq: "⊆", supset: "⊃",
    cup: "∪", cap: "∩", emptyset: "∅", forall: "∀", exists: "∃", neg: "¬", land: "∧", lor: "∨", ldots: "…",
    cdots: "⋯", dots: "…", circ: "∘", degree: "°", angle: "∠", perp: "⊥", parallel: "∥", mid: "|", star: "⋆",
    quad: "\u2003", qquad: "\u2003\u2003", ",": "\u2009", ";": "\u2005", ":": "\u2005", "!": "", " ": " ",
    "{": "{", "}": "}", "%": "%", "$": "$", "#": "#", "&": "&", "_": "_", "\\": "\u000a",
    log: "log", ln: "ln", sin: "sin", cos: "cos", tan: "tan", exp: "exp", lim: "lim", max: "max", min: "min",
    gcd: "gcd", mod: "mod", bmod: "mod", pmod: "mod", det: "det", langle: "⟨", rangle: "⟩", lfloor: "⌊",
    rfloor: "⌋", lceil: "⌈", rceil: "⌉", vert: "|", lvert: "|", rvert: "|"
  };
  const IGNORED = new Set(["left", "right", "displaystyle", "limits", "big", "Big", "bigl", "bigr", "Bigl", "Bigr"]);
  const TEXTUAL = new Set(["text", "mathrm", "textbf", "mathbf", "operatorname", "textit", "mathit", "mathbb", "mathcal"]);

  // TeX → HTML. A tiny recursive reader over the source: groups, commands, ^ and _.
  function tex(src) {
    let i = 0;
    function group() { // after '{'
      let out = "";
      while (i < src.length && src[i] !== "}") out += atom();
      i++; // '}'
      return out;
    }
    function arg() {
      while (src[i] === " ") i++;
      if (src[i] === "{") { i++; return group(); }
      return atom();
    }
    function rawArg() {
      while (src[i] === " ") i++;
      if (src[i] !== "{") return src[i++] || "";
      let depth = 1, start = ++i;
      while (i < src.length && depth > 0) { if (src[i] === "{") depth++; else if (src[i] === "}") depth--; i++; }
      return src.slice(start, i - 1);
    }
    function command() { // after '\'
      let name = src[i] && /[a-zA-Z]/.test(src[i]) ? src.slice(i).match(/^[a-zA-Z]+/)[0] : src[i] || "";
      i += name.length;
      if (name === "frac" || name === "dfrac" || name === "tfrac") {
        const n = arg(), d = arg();
        return `<span class="frac"><span class="num">${n}</span><span class="den">${d}</span></span>`;
      }
      if (name === "sqrt") {
        let index = "";
        if (src[i] === "[") { const end = src.indexOf("]", i); index = `<sup>${escapeHtml(src.slice(i + 1, end))}</sup>`; i = end + 1; }
        return `${index}√<span class="sqrt">${arg()}</span>`;
      }
      if (name === "boxed") return `<span class="boxed">${arg()}</span>`;
      if (name === "overline" || name === "bar") return `<span style="text-decoration:overline">${arg()}</span>`;
      if (name === "hat") return `${arg()}\u0302`;
      if (name === "vec") return `${arg()}\u20d7`;
      if (TEXTUAL.has(name)) return `<span class="text">${escapeHtml(rawArg())}</span>`;
      if (name === "begin" || name === "end") { rawArg(); return name === "end" ? "" : ""; }
      if (IGNORED.has(name)) return "";
      if (name in SYMBOLS) return name === "\\" ? "<br>" : escapeHtml(SYMBOLS[name]);
      return `<i>${escapeHtml(name)}</i>`;
    }
    function atom() {
      const c = src[i++];
      if (c === "\\") return command();
      if (c === "{") return group();
      if (c === "^") return `<sup>${arg()}</sup>`;
      if (c === "_") return `<sub>${arg()}</sub>`;
      if (c === "&") return " ";
      if (/[a-zA-Z]/.test(c)) return `<i>${c}</i>`;
      if (c === "-") return "−";
      if (c === "*") return "∗";
      return escapeHtml(c);
    }
    let out = "";
    while (i < src.length) out += atom();
    return out;
  }

  function inline(text) { // text is already escaped
    return text
      .replace(/\*\*(.+?)\*\*/g, "<strong>$1</strong>")
      .replace(/__(.+?)__/g, "<strong>$1</strong>")
      .replace(/(^|[^*])\*([^*\s][^*]*?)\*/g, "$1<em>$2</em>")
      .replace(/\[([^\]]+)\]\((https?:\/\/[^)\s]+)\)/g, '<a href="$2" rel="noopener noreferrer" target="_blank">$1</a>');
  }

  // Markdown → HTML. Code and math are cut out first (so their text is not touched) and put back at the end.
  function markdown(src) {
    const held = [];
    const hold = html => `\u0000${held.push(html) - 1}\u0000`;
    let s = src.replace(/```[^\n]*\n([\s\S]*?)(```|$)/g, (_, code) => hold(`<pre><code>${escapeHtml(code)}</code></pre>`));
    s = s.replace(/\$\$([\s\S]+?)\$\$|\\\[([\s\S]+?)\\\]/g,
      (_, a, b) => hold(`<span class="math math-display">${tex(a || b)}</span>`));
    s = s.replace(/\\\(([\s\S]+?)\\\)|\$([^$\n]+?)\$/g, (_, a, b) => hold(`<span class="math">${tex(a || b)}</span>`));
    s = s.replace(/`([^`\n]+)`/g, (_, code) => hold(`<code>${escapeHtml(code)}</code>`));
    s = escapeHtml(s);
    const out = [];
    let list = null, para = [];
    const flushPara = () => { if (para.length) { out.push(`<p>${inline(para.join("<br>"))}</p>`); para = []; } };
    const flushList = () => { if (list) { out.push(`<${list.tag}>${list.items.map(x => `<li>${inline(x)}</li>`).join("")}</${list.tag}>`); list = null; } };
    for (const line of s.split("\n")) {
      let m;
      if ((m = line.match(/^(#{1,6})\s+(.*)$/))) {
        flushPara(); flushList();
        out.push(`<h${m[1].length + 2}>${inline(m[2])}</h${m[1].length + 2}>`);
      } else if ((m = line.match(/^\s*([-*+]|\d+[.)])\s+(.*)$/))) {
        flushPara();
        const tag = /\d/.test(m[1]) ? "ol" : "ul";
        if (!list || list.tag !== tag) { flushList(); list = { tag, items: [] }; }
        list.items.push(m[2]);
      } else if ((m = line.match(/^&gt;\s?(.*)$/))) {
        flushPara(); flushList();
        out.push(`<blockquote>${inline(m[1])}</blockquote>`);
      } else if (line.trim() === "") {
        flushPara(); flushList();
      } else if (/^(-{3,}|\*{3,})$/.test(line.trim())) {
        flushPara(); flushList(); out.push("<hr>");
      } else {
        flushList(); para.push(line);
      }
    }
    flushPara(); flushList();
    return out.join("\n").replace(/\u0000(\d+)\u0000/g, (_, k) => held[+k]);
  }

  return { markdown, tex, escapeHtml };
})();
