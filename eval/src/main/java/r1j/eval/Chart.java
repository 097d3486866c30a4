package r1j.eval;

import java.util.Locale;
import java.util.Map;

/**
 * {@code chart.html}: one self-contained page (inline SVG, no script, no network) with pass@1 by level (or by
 * subject when the benchmark has no levels) with 95% intervals, and the distribution of completion lengths of right
 * and wrong samples.
 */
public final class Chart {
    private Chart() {}

    private static final int W = 640, H = 260, PAD = 40;

    /** The page for a summary. */
    public static String html(Summary s) {
        StringBuilder b = new StringBuilder();
        b.append("<!doctype html><html><head><meta charset=\"utf-8\"><title>").append(esc(s.bench())).append(" — ")
                .append(esc(s.model())).append("</title><style>body{font-family:sans-serif;margin:2em}"
                        + "text{font-size:11px}</style></head><body>\n");
        b.append("<h1>").append(esc(s.bench())).append(" — ").append(esc(s.model())).append("</h1>\n");
        b.append(String.format(Locale.ROOT, "<p>%d problems, k=%d: pass@1 %.1f%% [%.1f, %.1f], cons@%d %.1f%%, pass@%d %.1f%%</p>%n",
                s.problems(), s.k(), 100 * s.passAt1().value(), 100 * s.passAt1().lo(), 100 * s.passAt1().hi(), s.k(),
                100 * s.consAtK().value(), s.k(), 100 * s.passAtK().value()));
        Map<String, Summary.Figure> groups = !s.byLevel().isEmpty() ? s.byLevel() : s.bySubject();
        if (!groups.isEmpty()) {
            b.append("<h2>pass@1 by ").append(!s.byLevel().isEmpty() ? "level" : "subject").append("</h2>\n");
            bars(b, groups);
        }
        b.append("<h2>Completion length (tokens)</h2>\n");
        histogram(b, s.tokens());
        return b.append("</body></html>\n").toString();
    }

    private static void bars(StringBuilder b, Map<String, Summary.Figure> groups) {
        b.append(svgOpen());
        int n = groups.size(), i = 0;
        double slot = (W - 2.0 * PAD) / n;
        axis(b, "100%", "0%");
        for (var e : groups.entrySet()) {
            Summary.Figure f = e.getValue();
            double x = PAD + i * slot + slot * 0.15, w = slot * 0.7;
            double y = y(f.value());
            b.append(String.format(Locale.ROOT, "<rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\" fill=\"#4a78b5\"/>",
                    x, y, w, H - PAD - y));
            double cx = x + w / 2;
            b.append(String.format(Locale.ROOT, "<line x1=\"%.1f\" x2=\"%.1f\" y1=\"%.1f\" y2=\"%.1f\" stroke=\"#222\"/>",
                    cx, cx, y(f.lo()), y(f.hi())));
            b.append(String.format(Locale.ROOT, "<text x=\"%.1f\" y=\"%d\" text-anchor=\"middle\">%s (%d)</text>",
                    cx, H - PAD + 14, esc(e.getKey()), f.problems()));
            b.append(String.format(Locale.ROOT, "<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"middle\">%.0f%%</text>",
                    cx, y - 4, 100 * f.value()));
            i++;
        }
        b.append("</svg>\n");
    }

    private static void histogram(StringBuilder b, Summary.TokenStats t) {
        int max = 1;
        for (int v : t.all().values()) {
            max = Math.max(max, v);
        }
        int bins = 20;
        int[] right = counts(t.right().values(), max, bins), wrong = counts(t.wrong().values(), max, bins);
        int top = 1;
        for (int i = 0; i < bins; i++) {
            top = Math.max(top, right[i] + wrong[i]);
        }
        b.append(svgOpen());
        axis(b, Integer.toString(top), "0");
        double slot = (W - 2.0 * PAD) / bins;
        for (int i = 0; i < bins; i++) {
            double x = PAD + i * slot + 1, w = slot - 2;
            double hr = (H - 2.0 * PAD) * right[i] / top, hw = (H - 2.0 * PAD) * wrong[i] / top;
            b.append(String.format(Locale.ROOT, "<rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\" fill=\"#3a9a5b\"/>",
                    x, H - PAD - hr, w, hr));
            b.append(String.format(Locale.ROOT, "<rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\" fill=\"#c0504d\"/>",
                    x, H - PAD - hr - hw, w, hw));
        }
        b.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%d\">0</text><text x=\"%d\" y=\"%d\" text-anchor=\"end\">%d tokens</text>",
                PAD, H - PAD + 14, W - PAD, H - PAD + 14, max));
        b.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"14\" fill=\"#3a9a5b\">right: %d, mean %.0f</text>"
                + "<text x=\"%d\" y=\"28\" fill=\"#c0504d\">wrong: %d, mean %.0f</text>",
                W - 200, t.right().count(), t.right().mean(), W - 200, t.wrong().count(), t.wrong().mean()));
        b.append("</svg>\n");
    }

    private static int[] counts(int[] values, int max, int bins) {
        int[] c = new int[bins];
        for (int v : values) {
            c[Math.min(bins - 1, (int) ((long) v * bins / (max + 1)))]++;
        }
        return c;
    }

    private static String svgOpen() {
        return "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"" + W + "\" height=\"" + H + "\">";
    }

    private static void axis(StringBuilder b, String top, String bottom) {
        b.append(String.format(Locale.ROOT, "<line x1=\"%d\" x2=\"%d\" y1=\"%d\" y2=\"%d\" stroke=\"#888\"/>", PAD, W - PAD, H - PAD, H - PAD));
        b.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%d\" text-anchor=\"end\">%s</text><text x=\"%d\" y=\"%d\" text-anchor=\"end\">%s</text>",
                PAD - 4, PAD + 4, esc(top), PAD - 4, H - PAD, esc(bottom)));
    }

    private static double y(double fraction) {
        return H - PAD - (H - 2.0 * PAD) * (Double.isNaN(fraction) ? 0 : fraction);
    }

    private static String esc(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }
}
