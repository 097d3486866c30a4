package r1j.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * The chat page in headless Chromium (Debian package {@code chromium}): load it from the server, send a message,
 * watch the thought and the answer stream in, and save a screenshot to {@code server/target/web-chat.png}.
 */
class WebPageChromiumTest {

    @Test
    void page_streamsThoughtAndAnswer_andRendersMarkdownAndMath() throws Exception {
        // Not @TempDir: Chromium leaves a symlink to its socket in the profile, which JUnit warns about on cleanup.
        Path profile = Files.createTempDirectory("r1j-chromium-");
        try {
            drive(profile);
        } finally {
            try (var paths = Files.walk(profile)) {
                for (Path p : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
                    Files.deleteIfExists(p);
                }
            }
        }
    }

    private void drive(Path profile) throws Exception {
        try (TestServers servers = TestServers.start(TestServers.options(), TestServers.config().withApiKey(null));
             Cdp browser = Cdp.launch(profile)) {
            browser.navigate(servers.baseUrl() + "/");
            waitFor(browser, "document.readyState === 'complete' && typeof R1jRender === 'object'");
            // The renderer on its own: markdown-it's markdown, KaTeX's math, and escaping of what the model wrote.
            String html = browser.eval("R1jRender.markdown('**Answer:** $\\\\frac{1}{2}$ <b>x</b>\\n\\n$$x^2$$')").asText();
            assertThat(html).contains("<strong>Answer:</strong>", "class=\"katex\"", "class=\"katex-display\"", "&lt;b&gt;")
                    .doesNotContain("<b>x</b>");
            mathHeavyAnswer(browser);
            // Settings: a small thinking budget so the thought closes and an answer follows; greedy.
            browser.eval("""
                    (() => {
                      const set = (id, v) => { const e = document.getElementById(id); e.value = v;
                                               e.dispatchEvent(new Event('change')); };
                      set('temperature', '0'); set('thinking-budget', '6'); set('max-tokens', '40');
                      document.getElementById('prompt').value = 'What is 12+7?';
                      document.getElementById('send').click();
                      return true;
                    })()""");
            waitFor(browser, "document.querySelector('details.thought .thought-text') !== null"
                    + " && document.querySelector('details.thought .thought-text').textContent.length > 0");
            waitFor(browser, "(document.querySelector('.msg.assistant') || {dataset: {}}).dataset.state === 'done'");
            JsonNode result = browser.eval("""
                    (() => ({
                      user: document.querySelector('.msg.user .body').textContent,
                      thought: document.querySelector('details.thought .thought-text').textContent,
                      summary: document.querySelector('details.thought summary').textContent,
                      open: document.querySelector('details.thought').open,
                      answer: document.querySelector('.msg.assistant .body').textContent,
                      stopHidden: document.getElementById('stop').hidden
                    }))()""");
            assertThat(result.path("user").asText()).isEqualTo("What is 12+7?");
            assertThat(result.path("thought").asText()).isNotEmpty();
            assertThat(result.path("summary").asText()).matches("Thought for \\d+\\.\\d s");
            assertThat(result.path("open").asBoolean()).isFalse();
            assertThat(result.path("answer").asText()).isNotBlank();
            assertThat(result.path("stopHidden").asBoolean()).isTrue();
            browser.eval("document.querySelector('details.thought').open = true");
            Path shot = Path.of("target", "web-chat.png");
            Files.createDirectories(shot.getParent());
            Files.write(shot, browser.screenshot());
            assertThat(Files.size(shot)).isGreaterThan(5_000);

            // Stop: a long second turn, stopped while it thinks, frees its slot on the server. The gate holds the
            // engine between steps, so the turn (a moment's work for the tiny model) is still running when the
            // page's stop button is clicked, however loaded the machine.
            long tokensBefore = servers.engine().stats().completionTokens();
            try (StepGate gate = StepGate.shut(servers.engine(), 200)) {
                browser.eval("""
                        (() => {
                          const set = (id, v) => { const e = document.getElementById(id); e.value = v;
                                                   e.dispatchEvent(new Event('change')); };
                          set('thinking-budget', ''); set('max-tokens', '4000'); set('temperature', '0.8');
                          document.getElementById('prompt').value = 'Think for a long time.';
                          document.getElementById('send').click();
                          return true;
                        })()""");
                StepGate.awaitTrue(() -> servers.engine().stats().queueDepth() == 1, "the second turn queued");
                while (servers.engine().stats().completionTokens() - tokensBefore - gate.tokens() < 4) {
                    gate.step(); // admit it, prefill, a few tokens of thought
                }
                // One more step at a time until the page shows thought text (a token may be half a character).
                while (!satisfiedWithin(browser, "document.querySelectorAll('details.thought').length === 2"
                        + " && document.querySelectorAll('details.thought .thought-text')[1].textContent.length > 0",
                        10_000)) {
                    assertThat(gate.step()).as("the gate still holds the engine").isTrue();
                }
                browser.eval("document.getElementById('stop').click()");
                waitFor(browser, "document.querySelectorAll('.msg.assistant')[1].dataset.state === 'stopped'");
            }
            StepGate.awaitTrue(() -> servers.engine().stats().slotsInUse() == 0, "the stopped request's slot freed");
        }
    }

    /**
     * A DeepSeek-R1-style answer with every math form R1 writes (inline and display, a bare environment, a bare final
     * {@code \boxed{}} with no delimiters) and a code block: KaTeX renders all of it with its bundled fonts, no TeX
     * source is left as text, and the code keeps its dollars. Saved as {@code server/target/web-math.png}.
     */
    private static void mathHeavyAnswer(Cdp browser) throws Exception {
        String answer = String.join("\n",
                "To solve $x^2 - 5x + 6 = 0$, factor it:",
                "",
                "\\[ (x-2)(x-3) = 0 \\quad\\Rightarrow\\quad x \\in \\{2, 3\\} \\]",
                "",
                "The sum of the roots is \\( \\frac{-b}{a} = \\frac{5}{1} \\), and by Vieta:",
                "",
                "$$\\sum_{k=1}^{n} k = \\frac{n(n+1)}{2}$$",
                "",
                "\\begin{aligned} a &= \\sqrt{16} \\\\ b &= \\dfrac{a}{2} = 2 \\end{aligned}",
                "",
                "```python",
                "price = '$5 and $10'",
                "```",
                "",
                "**Final answer:** \\boxed{936}");
        browser.eval("""
                (() => {
                  const div = document.createElement('div');
                  div.className = 'msg assistant math-check';
                  const body = document.createElement('div');
                  body.className = 'body';
                  body.innerHTML = R1jRender.markdown(%s);
                  div.appendChild(body);
                  document.getElementById('conversation').appendChild(div);
                  return true;
                })()""".formatted(JSON.writeValueAsString(answer)));
        waitFor(browser, "document.fonts.status === 'loaded' && document.fonts.check('16px KaTeX_Main')");
        JsonNode r = browser.eval("""
                (() => {
                  const b = document.querySelector('.math-check .body');
                  return {
                    katex: b.querySelectorAll('.katex').length,
                    display: b.querySelectorAll('.katex-display').length,
                    boxed: b.querySelectorAll('.katex .boxpad, .katex .fbox').length,
                    errors: b.querySelectorAll('.katex-error').length,
                    text: b.textContent,
                    code: b.querySelector('pre code').textContent,
                    fontLoaded: document.fonts.check('16px KaTeX_Main')
                  };
                })()""");
        // $…$, \[…\], \(…\), $$…$$, the bare environment and the bare \boxed.
        assertThat(r.path("katex").asInt()).isEqualTo(6);
        assertThat(r.path("display").asInt()).isEqualTo(3);
        assertThat(r.path("boxed").asInt()).isPositive();
        assertThat(r.path("errors").asInt()).isZero();
        assertThat(r.path("text").asText()).doesNotContain("\\boxed", "\\frac", "\\begin", "$$", "\\[", "\\(")
                .contains("936");
        assertThat(r.path("code").asText()).isEqualTo("price = '$5 and $10'\n");
        assertThat(r.path("fontLoaded").asBoolean()).as("KaTeX's bundled fonts load from the server").isTrue();
        Path shot = Path.of("target", "web-math.png");
        Files.createDirectories(shot.getParent());
        Files.write(shot, browser.screenshot());
        assertThat(Files.size(shot)).isGreaterThan(5_000);
        browser.eval("document.querySelector('.math-check').remove()");
    }

    private static final com.fasterxml.jackson.databind.ObjectMapper JSON = new com.fasterxml.jackson.databind.ObjectMapper();

    /** Whether the page satisfies {@code condition} within {@code millis}. */
    private static boolean satisfiedWithin(Cdp browser, String condition, long millis) throws Exception {
        long end = System.nanoTime() + millis * 1_000_000;
        while (!browser.eval("!!(" + condition + ")").asBoolean()) {
            if (System.nanoTime() > end) {
                return false;
            }
            Thread.sleep(50);
        }
        return true;
    }

    private static void waitFor(Cdp browser, String condition) throws Exception {
        long end = System.nanoTime() + 300_000_000_000L;
        while (!browser.eval("!!(" + condition + ")").asBoolean()) {
            if (System.nanoTime() > end) {
                throw new AssertionError("page never satisfied: " + condition + "\nbody: "
                        + browser.eval("document.body.innerText").asText());
            }
            Thread.sleep(100);
        }
    }
}
