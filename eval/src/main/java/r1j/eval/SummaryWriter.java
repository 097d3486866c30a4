package r1j.eval;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Map;

/** {@code summary.json} and {@code summary.md} of a {@link Summary}. */
public final class SummaryWriter {
    private SummaryWriter() {}

    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    /**
     * The JSON summary: {@code bench, model, n_problems, k, pass_at_1, pass_at_1_ci95, cons_at_k, cons_at_k_ci95,
     * pass_at_k, pass_at_k_ci95, mean_tokens, …, by_level, by_subject}; figures are fractions in [0, 1].
     */
    public static String json(Summary s, Map<String, Object> settings) {
        ObjectNode n = JSON.createObjectNode();
        n.put("bench", s.bench());
        n.put("model", s.model());
        n.put("n_problems", s.problems());
        n.put("incomplete_problems", s.incomplete());
        n.put("k", s.k());
        figure(n, "pass_at_1", s.passAt1());
        figure(n, "cons_at_k", s.consAtK());
        figure(n, "pass_at_k", s.passAtK());
        n.put("mean_tokens", s.tokens().all().mean());
        n.put("median_tokens", s.tokens().all().median());
        n.put("mean_tokens_correct", s.tokens().right().mean());
        n.put("mean_tokens_wrong", s.tokens().wrong().mean());
        n.put("tokens_total", s.tokens().total());
        n.put("truncated_samples", s.truncated());
        ObjectNode lv = n.putObject("by_level");
        s.byLevel().forEach((k, f) -> figure(lv.putObject(k), "pass_at_1", f).put("n", f.problems()));
        ObjectNode sj = n.putObject("by_subject");
        s.bySubject().forEach((k, f) -> figure(sj.putObject(k), "pass_at_1", f).put("n", f.problems()));
        ObjectNode st = n.putObject("settings");
        settings.forEach((k, v) -> st.putPOJO(k, v));
        try {
            return JSON.writeValueAsString(n) + "\n";
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static ObjectNode figure(ObjectNode n, String name, Summary.Figure f) {
        n.put(name, f.value());
        ArrayNode ci = n.putArray(name + "_ci95");
        ci.add(f.lo());
        ci.add(f.hi());
        return n;
    }

    /** The Markdown summary: overall figures, per level and subject, token lengths of right vs wrong answers. */
    public static String markdown(Summary s, Map<String, Object> settings) {
        StringBuilder b = new StringBuilder();
        b.append("# ").append(s.bench()).append(" — ").append(s.model()).append("\n\n");
        b.append("%d problems × k=%d samples".formatted(s.problems(), s.k()));
        if (s.incomplete() > 0) {
            b.append(" (%d more problems incomplete, not counted)".formatted(s.incomplete()));
        }
        b.append(". Settings: ");
        settings.forEach((k, v) -> b.append(k).append('=').append(v).append(' '));
        b.append("\n\n| figure | value | 95% CI |\n|---|---|---|\n");
        row(b, "pass@1", s.passAt1());
        row(b, "cons@" + s.k(), s.consAtK());
        row(b, "pass@" + s.k(), s.passAtK());
        table(b, "level", s.byLevel());
        table(b, "subject", s.bySubject());
        b.append("\n## Completion tokens\n\n| samples | n | mean | median | p90 |\n|---|---|---|---|---|\n");
        stats(b, "all", s.tokens().all());
        stats(b, "right", s.tokens().right());
        stats(b, "wrong", s.tokens().wrong());
        b.append("\nTokens spent: %d; samples cut by the token limit: %d.\n".formatted(s.tokens().total(), s.truncated()));
        return b.toString();
    }

    private static void table(StringBuilder b, String what, Map<String, Summary.Figure> figures) {
        if (figures.isEmpty()) {
            return;
        }
        b.append("\n## pass@1 by ").append(what).append("\n\n| ").append(what).append(" | problems | pass@1 | 95% CI |\n|---|---|---|---|\n");
        figures.forEach((k, f) -> b.append("| %s | %d | %.1f%% | [%.1f, %.1f] |\n".formatted(k, f.problems(), 100 * f.value(), 100 * f.lo(), 100 * f.hi())));
    }

    private static void row(StringBuilder b, String name, Summary.Figure f) {
        b.append("| %s | %.1f%% | [%.1f, %.1f] |\n".formatted(name, 100 * f.value(), 100 * f.lo(), 100 * f.hi()));
    }

    private static void stats(StringBuilder b, String name, Summary.Stats s) {
        b.append("| %s | %d | %.0f | %.0f | %.0f |\n".formatted(name, s.count(), s.mean(), s.median(), s.p90()));
    }
}
