package r1j.train.recipe;

import java.util.List;

/**
 * Self-contained HTML pages of inline SVG line charts (no scripts, no external files), like the R1 paper's figures of
 * accuracy and response length over RL steps.
 */
public final class Chart {
    private Chart() {}

    /** One series to plot against its points' positions, described by {@code xLabel}. */
    public record Series(String title, String yLabel, List<Double> values, String xLabel) {

        /** A series of one value per step 1..n. */
        public Series(String title, String yLabel, List<Double> values) {
            this(title, yLabel, values, "step (1..%d)".formatted(values.size()));
        }
    }

    public static String html(String title, List<Series> panels) {
        StringBuilder b = new StringBuilder("<!doctype html><html><head><meta charset=\"utf-8\"><title>")
                .append(escape(title)).append("</title><style>body{font-family:sans-serif;margin:24px}"
                        + "svg{margin:8px 0;background:#fafafa;border:1px solid #ddd}</style></head><body><h1>")
                .append(escape(title)).append("</h1>\n");
        for (Series s : panels) {
            b.append("<h2>").append(escape(s.title())).append("</h2>\n").append(svg(s)).append('\n');
        }
        return b.append("</body></html>\n").toString();
    }

    static String svg(Series s) {
        int w = 640, h = 260, left = 60, right = 20, top = 20, bottom = 40;
        List<Double> v = s.values();
        double min = v.stream().mapToDouble(Double::doubleValue).min().orElse(0);
        double max = v.stream().mapToDouble(Double::doubleValue).max().orElse(1);
        if (max - min < 1e-9) {
            max = min + 1;
        }
        StringBuilder b = new StringBuilder("<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\">".formatted(w, h));
        b.append("<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" stroke=\"#333\"/>".formatted(left, h - bottom, w - right, h - bottom));
        b.append("<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" stroke=\"#333\"/>".formatted(left, top, left, h - bottom));
        for (int i = 0; i <= 4; i++) {
            double y = min + (max - min) * i / 4;
            int py = (int) (h - bottom - (h - top - bottom) * i / 4.0);
            b.append("<text x=\"%d\" y=\"%d\" font-size=\"11\" text-anchor=\"end\">%.3g</text>".formatted(left - 4, py + 4, y));
        }
        b.append("<text x=\"%d\" y=\"%d\" font-size=\"12\" text-anchor=\"middle\">%s</text>"
                .formatted((left + w - right) / 2, h - 8, escape(s.xLabel())));
        b.append("<text x=\"14\" y=\"%d\" font-size=\"12\" transform=\"rotate(-90 14 %d)\" text-anchor=\"middle\">%s</text>"
                .formatted(h / 2, h / 2, escape(s.yLabel())));
        b.append("<polyline fill=\"none\" stroke=\"#1f6feb\" stroke-width=\"2\" points=\"");
        for (int i = 0; i < v.size(); i++) {
            double px = left + (w - left - right) * (v.size() == 1 ? 0.5 : i / (double) (v.size() - 1));
            double py = h - bottom - (h - top - bottom) * (v.get(i) - min) / (max - min);
            b.append("%.1f,%.1f ".formatted(px, py));
        }
        return b.append("\"/></svg>").toString();
    }

    /** Trailing moving average over {@code window} points (keeps noisy per-step RL curves readable). */
    public static List<Double> smooth(List<Double> v, int window) {
        java.util.ArrayList<Double> out = new java.util.ArrayList<>();
        double sum = 0;
        for (int i = 0; i < v.size(); i++) {
            sum += v.get(i);
            if (i >= window) {
                sum -= v.get(i - window);
            }
            out.add(sum / Math.min(i + 1, window));
        }
        return out;
    }

    private static String escape(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
    }
}
