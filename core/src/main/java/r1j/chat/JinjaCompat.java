package r1j.chat;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Rewrites the few Python-Jinja idioms of real chat templates that jinjava parses differently, into equivalent
 * jinjava syntax, before the template is parsed. Each rule is exact for the pattern it matches:
 * <ul>
 *   <li>whitespace control: Jinja's {@code {{-}, {@code {%-} remove all whitespace before the tag and {@code -}}},
 *       {@code -%}} all whitespace after it; jinjava does not strip before an indented {@code {{-}, so the
 *       whitespace is removed from the source and the markers dropped;</li>
 *   <li>{@code seq[::-1]} (Qwen3: walk the messages backwards) becomes {@code (seq|reverse)};</li>
 *   <li>inside {@code namespace(...)}, a keyword value that is an expression ({@code last_query_index=messages|length - 1})
 *       is parenthesised, since jinjava binds {@code name=a|f} before {@code - 1}.</li>
 *   <li>Python string methods that {@link String} lacks or names differently: {@code startswith}/{@code endswith}
 *       become {@code startsWith}/{@code endsWith}; {@code strip}/{@code lstrip}/{@code rstrip} with a literal set of
 *       plain characters (such as {@code '\n'}) become the equivalent anchored {@code replaceAll};
 *       {@code .split('sep')} with a plain separator becomes Java's {@code split(sep, -1)}, which keeps trailing
 *       empty parts as Python does ({@code "a</think>".split("</think>")[-1]} is {@code ""}, not {@code "a"}).</li>
 * </ul>
 */
final class JinjaCompat {

    private static final Pattern TRIM_BEFORE = Pattern.compile("\\s*\\{([{%])-");
    private static final Pattern TRIM_AFTER = Pattern.compile("-([}%])\\}\\s*");
    private static final Pattern REVERSED = Pattern.compile("([A-Za-z_][A-Za-z0-9_.]*)\\[::-1\\]");
    private static final Pattern NAMESPACE = Pattern.compile("namespace\\(([^()]*)\\)");
    private static final Pattern KEYWORD = Pattern.compile("([A-Za-z_][A-Za-z0-9_]*)=([^,]+)");

    /** {@code .strip('chars')} and friends, where chars are plain (no regex class metacharacters). */
    private static final Pattern STRIP = Pattern.compile("\\.(l|r|)strip\\('((?:[^'\\\\\\]\\[^-]|\\\\[nt])+)'\\)");

    private static final Pattern SPLIT = Pattern.compile("\\.split\\(('[^'\\\\.\\[\\](){}*+?^$|]+')\\)");

    private JinjaCompat() {}

    static String rewrite(String template) {
        String out = TRIM_BEFORE.matcher(template).replaceAll("{$1");
        out = TRIM_AFTER.matcher(out).replaceAll("$1}");
        out = REVERSED.matcher(out).replaceAll("($1|reverse)");
        Matcher m = NAMESPACE.matcher(out);
        StringBuilder sb = new StringBuilder();
        while (m.find()) {
            String args = KEYWORD.matcher(m.group(1)).replaceAll(k -> Matcher.quoteReplacement(k.group(1) + "=(" + k.group(2).strip() + ")"));
            m.appendReplacement(sb, Matcher.quoteReplacement("namespace(" + args + ")"));
        }
        m.appendTail(sb);
        out = sb.toString().replace(".startswith(", ".startsWith(").replace(".endswith(", ".endsWith(");
        out = SPLIT.matcher(out).replaceAll(".split($1, -1)");
        return STRIP.matcher(out).replaceAll(s -> {
            String set = "[" + s.group(2) + "]+";
            String regex = switch (s.group(1)) {
                case "l" -> "^" + set;
                case "r" -> set + "$";
                default -> "^" + set + "|" + set + "$";
            };
            return Matcher.quoteReplacement(".replaceAll('" + regex + "', '')");
        });
    }
}
