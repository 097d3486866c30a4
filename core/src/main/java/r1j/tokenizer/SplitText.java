package r1j.tokenizer;

/**
 * One text being pre-tokenized: its code points and the two views llama.cpp's {@code unicode_regex_split} runs
 * regexes on, built on first use.
 *
 * <ul>
 *   <li>collapsed: one char per code point; ASCII stays, any other whitespace becomes U+000B and any other code
 *       point becomes a marker of its category (U+00D1 number, U+00D2 letter, U+00D3 punctuation, U+00D4 mark,
 *       U+00D5 symbol, U+00D0 anything else). Regexes using {@code \p{..}} run on this view, with each category
 *       rewritten to "marker or its ASCII members" (see {@link SplitPass#translateCollapsed}).</li>
 *   <li>wide: the code points themselves, except non-ASCII whitespace, which becomes U+000B (llama.cpp's
 *       {@code std::wregex} does not know it as {@code \s}). Regexes with literal non-ASCII ranges run here.</li>
 * </ul>
 * Offsets are code point indices throughout.
 */
final class SplitText {
    static final char NUMBER_MARK = '\u00D1';
    static final char LETTER_MARK = '\u00D2';
    static final char PUNCTUATION_MARK = '\u00D3';
    static final char ACCENT_MARK = '\u00D4';
    static final char SYMBOL_MARK = '\u00D5';
    static final char OTHER_MARK = '\u00D0';
    static final char WHITESPACE_MARK = '\u000B';

    final int[] cps;
    private String collapsed;
    private String wide;
    /** For the wide view: char index of each code point index, plus one entry for the end. */
    private int[] cpToChar;
    /** For the wide view: code point index of each char index, plus one entry for the end. */
    private int[] charToCp;

    SplitText(int[] cps) {
        this.cps = cps;
    }

    String collapsed() {
        if (collapsed == null) {
            char[] out = new char[cps.length];
            for (int i = 0; i < cps.length; i++) {
                out[i] = collapse(cps[i]);
            }
            collapsed = new String(out);
        }
        return collapsed;
    }

    String wide() {
        if (wide == null) {
            StringBuilder sb = new StringBuilder(cps.length);
            cpToChar = new int[cps.length + 1];
            for (int i = 0; i < cps.length; i++) {
                cpToChar[i] = sb.length();
                int cp = cps[i];
                sb.appendCodePoint(cp > 0x7F && CodepointFlags.isWhitespace(cp) ? WHITESPACE_MARK : cp);
            }
            cpToChar[cps.length] = sb.length();
            charToCp = new int[sb.length() + 1];
            for (int i = 0; i < cps.length; i++) {
                for (int c = cpToChar[i]; c < cpToChar[i + 1]; c++) {
                    charToCp[c] = i;
                }
            }
            charToCp[sb.length()] = cps.length;
            wide = sb.toString();
        }
        return wide;
    }

    int wideCharIndex(int cpIndex) {
        return cpToChar[cpIndex];
    }

    int wideCpIndex(int charIndex) {
        return charToCp[charIndex];
    }

    private static char collapse(int cp) {
        if (cp < 0x80) {
            return (char) cp;
        }
        int flags = CodepointFlags.of(cp);
        if ((flags & CodepointFlags.WHITESPACE) != 0) {
            return WHITESPACE_MARK;
        }
        return switch (flags & CodepointFlags.MASK_CATEGORIES) {
            case CodepointFlags.NUMBER -> NUMBER_MARK;
            case CodepointFlags.LETTER -> LETTER_MARK;
            case CodepointFlags.PUNCTUATION -> PUNCTUATION_MARK;
            case CodepointFlags.ACCENT_MARK -> ACCENT_MARK;
            case CodepointFlags.SYMBOL -> SYMBOL_MARK;
            default -> OTHER_MARK;
        };
    }
}
