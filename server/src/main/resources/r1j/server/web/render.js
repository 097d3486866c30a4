// The chat page's renderer: Markdown by markdown-it, math by KaTeX (both bundled in vendor/, so the page works
// offline). R1 writes LaTeX in every form: $…$, $$…$$, \(…\), \[…\], bare \begin{aligned}…\end{aligned}, and often a
// final \boxed{…} with no delimiters at all. Math is cut out of the text before Markdown sees it (so `_` and `*` in
// formulas are not read as emphasis), rendered by KaTeX, and put back; code spans and fences are left as written.
// markdown-it runs with html: false, so whatever the model wrote is escaped, and KaTeX escapes what it renders.
"use strict";
const R1jRender = (() => {
  const md = window.markdownit({ html: false, linkify: false, breaks: true });
  // Open links in a new tab, without giving the page to the target.
  const defaultLinkOpen = md.renderer.rules.link_open || ((tokens, i, options, env, self) => self.renderToken(tokens, i, options));
  md.renderer.rules.link_open = (tokens, i, options, env, self) => {
    tokens[i].attrSet("target", "_blank");
    tokens[i].attrSet("rel", "noopener noreferrer");
    return defaultLinkOpen(tokens, i, options, env, self);
  };

  // Code first (kept verbatim), then the delimited math forms. Inline $…$ must hug its content and not be followed by
  // a digit, so "$5 and $10" stays text.
  const SEGMENTS = new RegExp([
    "(```[\\s\\S]*?(?:```|$)|~~~[\\s\\S]*?(?:~~~|$)|`[^`\\n]+`)",            // 1: code
    "\\$\\$([\\s\\S]+?)\\$\\$",                                              // 2: $$display$$
    "\\\\\\[([\\s\\S]+?)\\\\\\]",                                            // 3: \[display\]
    "\\\\\\(([\\s\\S]+?)\\\\\\)",                                            // 4: \(inline\)
    "(\\\\begin\\{([a-zA-Z]+\\*?)\\}[\\s\\S]+?\\\\end\\{\\6\\})",            // 5, 6: bare environment
    "(?<![\\\\$\\w])\\$(?=\\S)([^$\\n]+?)(?<=\\S)\\$(?!\\d)"                 // 7: $inline$
  ].join("|"), "g");

  const OPEN = "\uE000", CLOSE = "\uE001"; // private-use characters: markdown-it leaves them alone

  function katexHtml(tex, display) {
    return window.katex.renderToString(tex, { displayMode: display, throwOnError: false, strict: "ignore", output: "html" });
  }

  // Bare \boxed{…} (balanced braces) outside any delimiters, as R1 ends its answers.
  function holdBareBoxed(text, hold) {
    let out = "", i = 0;
    for (;;) {
      const at = text.indexOf("\\boxed{", i);
      if (at < 0) return out + text.slice(i);
      let depth = 0, j = at + 6;
      for (; j < text.length; j++) {
        if (text[j] === "{") depth++;
        else if (text[j] === "}" && --depth === 0) break;
      }
      if (j >= text.length) return out + text.slice(i); // not closed yet (still streaming)
      out += text.slice(i, at) + hold(text.slice(at, j + 1), false);
      i = j + 1;
    }
  }

  function markdown(src) {
    const held = [];
    const hold = (tex, display) => `${OPEN}${held.push(katexHtml(tex.trim(), display)) - 1}${CLOSE}`;
    let text = "", last = 0;
    for (const m of src.matchAll(SEGMENTS)) {
      text += holdBareBoxed(src.slice(last, m.index), hold);
      if (m[1] !== undefined) text += m[1];
      else if (m[2] !== undefined) text += hold(m[2], true);
      else if (m[3] !== undefined) text += hold(m[3], true);
      else if (m[4] !== undefined) text += hold(m[4], false);
      else if (m[5] !== undefined) text += hold(m[5], true);
      else text += hold(m[7], false);
      last = m.index + m[0].length;
    }
    text += holdBareBoxed(src.slice(last), hold);
    const html = md.render(text);
    return html.replace(new RegExp(`${OPEN}(\\d+)${CLOSE}`, "g"), (_, k) => held[+k]);
  }

  const escapeHtml = s => md.utils.escapeHtml(s);

  return { markdown, escapeHtml };
})();
