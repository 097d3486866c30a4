package r1j.tokenizer;

import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One regex of a pre-tokenizer's list. Each pass refines the segments left by the previous one: inside a segment,
 * every match becomes a segment and so does every stretch between matches (llama.cpp's
 * {@code unicode_regex_split_stl}); a regex never sees past its segment's ends.
 *
 * <p>The GPT-2 and Llama-3 regexes are not run as regexes: llama.cpp replaces them with hand-written scanners
 * ({@link CustomSplits}), whose results differ from a real regex engine in corner cases, so they are replaced here
 * too. Other regexes run on the collapsed view if they use a {@code \p{..}} category and on the wide view otherwise
 * (see {@link SplitText}).
 */
sealed interface SplitPass {

    String GPT2_REGEX = "'s|'t|'re|'ve|'m|'ll|'d| ?\\p{L}+| ?\\p{N}+| ?[^\\s\\p{L}\\p{N}]+|\\s+(?!\\S)";
    String LLAMA3_REGEX = "(?:'[sS]|'[tT]|'[rR][eE]|'[vV][eE]|'[mM]|'[lL][lL]|'[dD])|[^\\r\\n\\p{L}\\p{N}]?\\p{L}+"
            + "|\\p{N}{1,3}| ?[^\\s\\p{L}\\p{N}]+[\\r\\n]*|\\s*[\\r\\n]+|\\s+(?!\\S)|\\s+";
    String LLAMA3_REGEX_ORIGINAL = "(?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\\r\\n\\p{L}\\p{N}]?\\p{L}+|\\p{N}{1,3}"
            + "| ?[^\\s\\p{L}\\p{N}]+[\\r\\n]*|\\s*[\\r\\n]+|\\s+(?!\\S)|\\s+";

    /** Splits code points {@code [start, end)} of {@code text}, appending segment lengths (all positive). */
    void split(SplitText text, int start, int end, IntList lengths);

    /** The pass for one of llama.cpp's pre-tokenizer regexes (as written in llama-vocab.cpp). */
    static SplitPass of(String llamaRegex) {
        if (llamaRegex.equals(GPT2_REGEX)) {
            return new Gpt2();
        }
        if (llamaRegex.equals(LLAMA3_REGEX) || llamaRegex.equals(LLAMA3_REGEX_ORIGINAL)) {
            return new Llama3();
        }
        if (usesCategory(llamaRegex)) {
            return new CollapsedRegex(Pattern.compile(translateCollapsed(llamaRegex)));
        }
        return new WideRegex(Pattern.compile(endAnchors(llamaRegex)));
    }

    /** llama.cpp's hand-written GPT-2 scanner. */
    record Gpt2() implements SplitPass {
        @Override
        public void split(SplitText text, int start, int end, IntList lengths) {
            CustomSplits.gpt2(text.cps, start, end, lengths);
        }
    }

    /** llama.cpp's hand-written Llama-3 scanner. */
    record Llama3() implements SplitPass {
        @Override
        public void split(SplitText text, int start, int end, IntList lengths) {
            CustomSplits.llama3(text.cps, start, end, lengths);
        }
    }

    /** A category regex, run on the collapsed view (one char per code point). */
    record CollapsedRegex(Pattern pattern) implements SplitPass {
        @Override
        public void split(SplitText text, int start, int end, IntList lengths) {
            Matcher m = pattern.matcher(text.collapsed()).region(start, end);
            int prev = start;
            while (m.find()) {
                if (m.end() == m.start()) {
                    continue; // an empty match yields an empty word in llama.cpp: no tokens
                }
                if (m.start() > prev) {
                    lengths.add(m.start() - prev);
                }
                lengths.add(m.end() - m.start());
                prev = m.end();
            }
            if (prev < end) {
                lengths.add(end - prev);
            }
        }
    }

    /** A regex with literal code points, run on the wide view. */
    record WideRegex(Pattern pattern) implements SplitPass {
        @Override
        public void split(SplitText text, int start, int end, IntList lengths) {
            String wide = text.wide();
            Matcher m = pattern.matcher(wide).region(text.wideCharIndex(start), text.wideCharIndex(end));
            int prev = start;
            while (m.find()) {
                if (m.end() == m.start()) {
                    continue;
                }
                int ms = text.wideCpIndex(m.start());
                int me = text.wideCpIndex(m.end());
                if (ms > prev) {
                    lengths.add(ms - prev);
                }
                lengths.add(me - ms);
                prev = me;
            }
            if (prev < end) {
                lengths.add(end - prev);
            }
        }
    }

    Map<String, String> CATEGORY_CLASSES = Map.of(
            "\\p{N}", "\\x{D1}0-9",
            "\\p{L}", "\\x{D2}A-Za-z",
            "\\p{P}", "\\x{D3}\\x21-\\x23\\x25-\\x2A\\x2C-\\x2F\\x3A-\\x3B\\x3F-\\x40\\x5B-\\x5D\\x5F\\x7B\\x7D",
            "\\p{M}", "\\x{D4}",
            "\\p{S}", "\\x{D5}\\x24\\x2B\\x3C-\\x3E\\x5E\\x60\\x7C",
            // llama.cpp folds the letter subcategories into "letter"
            "\\p{Lu}", "\\x{D2}A-Za-z",
            "\\p{Ll}", "\\x{D2}A-Za-z",
            "\\p{Lt}", "\\x{D2}A-Za-z",
            "\\p{Lm}", "\\x{D2}A-Za-z",
            "\\p{Lo}", "\\x{D2}A-Za-z");

    private static boolean usesCategory(String regex) {
        for (String category : CATEGORY_CLASSES.keySet()) {
            if (regex.contains(category)) {
                return true;
            }
        }
        return false;
    }

    /**
     * Rewrites a category regex for the collapsed view, as llama.cpp does: each {@code \p{X}} becomes the class
     * "X's marker or X's ASCII members" (its members are spliced in directly when already inside brackets).
     * llama.cpp refuses non-ASCII literals in such regexes, and so does this.
     */
    static String translateCollapsed(String regex) {
        if (!regex.chars().allMatch(c -> c < 0x80)) {
            throw new IllegalArgumentException("regex mixes unicode categories and non-ASCII characters: " + regex);
        }
        StringBuilder out = new StringBuilder(regex.length() * 2);
        boolean inside = false;
        for (int i = 0; i < regex.length(); i++) {
            char c = regex.charAt(i);
            boolean escaped = i > 0 && regex.charAt(i - 1) == '\\';
            if (c == '[' && !escaped) {
                inside = true;
                out.append(c);
                continue;
            }
            if (inside && c == ']' && !escaped) {
                inside = false;
                out.append(c);
                continue;
            }
            if (c == '\\' && i + 3 < regex.length() && regex.charAt(i + 1) == 'p' && regex.charAt(i + 2) == '{') {
                int close = regex.indexOf('}', i + 3);
                String members = close < 0 ? null : CATEGORY_CLASSES.get(regex.substring(i, close + 1));
                if (members != null) {
                    out.append(inside ? members : "[" + members + "]");
                    i = close;
                    continue;
                }
            }
            if (c == '$' && !escaped && !inside) {
                out.append("\\z"); // ECMAScript '$' is the end of the segment; Java's would also match before '\n'
                continue;
            }
            out.append(c);
        }
        return out.toString();
    }

    /** ECMAScript's {@code $} (end of input only) in Java spelling, for regexes that are otherwise used as written. */
    private static String endAnchors(String regex) {
        StringBuilder out = new StringBuilder(regex.length());
        boolean inside = false;
        for (int i = 0; i < regex.length(); i++) {
            char c = regex.charAt(i);
            boolean escaped = i > 0 && regex.charAt(i - 1) == '\\';
            if (c == '[' && !escaped) {
                inside = true;
            } else if (c == ']' && !escaped) {
                inside = false;
            }
            out.append(c == '$' && !escaped && !inside ? "\\z" : String.valueOf(c));
        }
        return out.toString();
    }
}
