package r1j.tokenizer;

/**
 * llama.cpp's hand-written replacements for the GPT-2 and Llama-3 pre-tokenizer regexes
 * ({@code unicode_regex_split_custom_gpt2} / {@code _llama3} in src/unicode.cpp). They are reproduced step by step
 * rather than expressed as regexes because their answers are what the vocabularies' users get, including where
 * they differ from a true regex engine (for example a lone space before the end of a segment).
 *
 * <p>Both scan one segment {@code [start, end)} of code points; positions outside the segment read as "no code
 * point" with no flags.
 */
final class CustomSplits {
    private static final int OUT_OF_RANGE = -1;

    private CustomSplits() {
    }

    /** {@code 's|'t|'re|'ve|'m|'ll|'d| ?\p{L}+| ?\p{N}+| ?[^\s\p{L}\p{N}]+|\s+(?!\S)|\s+} */
    static void gpt2(int[] cps, int start, int end, IntList lengths) {
        Segment s = new Segment(cps, start, end, lengths);
        int pos = start;
        while (pos < end) {
            int cpt = s.cpt(pos);
            int flags = s.flags(pos);
            int contraction = s.contraction(pos, false);
            if (contraction > 0) {
                pos = s.emit(pos + contraction);
                continue;
            }
            int flags2 = cpt == ' ' ? s.flags(pos + 1) : flags;
            if (isLetter(flags2)) {
                pos += cpt == ' ' ? 1 : 0;
                while (isLetter(s.flags(pos))) {
                    pos++;
                }
                pos = s.emit(pos);
                continue;
            }
            if (isNumber(flags2)) {
                pos += cpt == ' ' ? 1 : 0;
                while (isNumber(s.flags(pos))) {
                    pos++;
                }
                pos = s.emit(pos);
                continue;
            }
            if (isOther(flags2)) {
                pos += cpt == ' ' ? 1 : 0;
                while (isOther(s.flags(pos))) {
                    pos++;
                }
                pos = s.emit(pos);
                continue;
            }
            pos = s.whitespace(pos, false);
        }
    }

    /**
     * {@code (?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\r\n\p{L}\p{N}]?\p{L}+|\p{N}{1,3}| ?[^\s\p{L}\p{N}]+[\r\n]*
     * |\s*[\r\n]+|\s+(?!\S)|\s+}
     */
    static void llama3(int[] cps, int start, int end, IntList lengths) {
        Segment s = new Segment(cps, start, end, lengths);
        int pos = start;
        while (pos < end) {
            int cpt = s.cpt(pos);
            int flags = s.flags(pos);
            int contraction = s.contraction(pos, true);
            if (contraction > 0) {
                pos = s.emit(pos + contraction);
                continue;
            }
            // [^\r\n\p{L}\p{N}]?\p{L}+
            if (!(cpt == '\r' || cpt == '\n' || isNumber(flags))) {
                if (isLetter(flags) || isLetter(s.flags(pos + 1))) {
                    pos++;
                    while (isLetter(s.flags(pos))) {
                        pos++;
                    }
                    pos = s.emit(pos);
                    continue;
                }
            }
            // \p{N}{1,3}
            if (isNumber(flags)) {
                int groupStart = pos;
                while (isNumber(s.flags(pos))) {
                    if (++pos - groupStart >= 3) {
                        s.emit(pos);
                        groupStart = pos;
                    }
                }
                pos = s.emit(pos);
                continue;
            }
            // ' '?[^\s\p{L}\p{N}]+[\r\n]*  (llama.cpp tests the first code point's flags, not flags2, for "defined")
            int flags2 = cpt == ' ' ? s.flags(pos + 1) : flags;
            if ((flags2 & (CodepointFlags.WHITESPACE | CodepointFlags.LETTER | CodepointFlags.NUMBER)) == 0
                    && flags != 0) {
                pos += cpt == ' ' ? 1 : 0;
                while (isOther(s.flags(pos))) {
                    pos++;
                }
                while (s.cpt(pos) == '\r' || s.cpt(pos) == '\n') {
                    pos++;
                }
                pos = s.emit(pos);
                continue;
            }
            pos = s.whitespace(pos, true);
        }
    }

    private static boolean isLetter(int flags) {
        return (flags & CodepointFlags.LETTER) != 0;
    }

    private static boolean isNumber(int flags) {
        return (flags & CodepointFlags.NUMBER) != 0;
    }

    /** {@code [^\s\p{L}\p{N}]} as llama.cpp tests it: none of those and not "no code point". */
    private static boolean isOther(int flags) {
        return (flags & (CodepointFlags.WHITESPACE | CodepointFlags.LETTER | CodepointFlags.NUMBER)) == 0 && flags != 0;
    }

    /** The segment being scanned and the words found so far. */
    private static final class Segment {
        private final int[] cps;
        private final int start;
        private final int end;
        private final IntList lengths;
        private int prevEnd;

        Segment(int[] cps, int start, int end, IntList lengths) {
            this.cps = cps;
            this.start = start;
            this.end = end;
            this.lengths = lengths;
            this.prevEnd = start;
        }

        int cpt(int pos) {
            return pos >= start && pos < end ? cps[pos] : OUT_OF_RANGE;
        }

        int flags(int pos) {
            return pos >= start && pos < end ? CodepointFlags.of(cps[pos]) : 0;
        }

        /** Ends the current word at {@code wordEnd} (dropping it if empty); returns wordEnd. */
        int emit(int wordEnd) {
            assert prevEnd <= wordEnd && wordEnd <= end;
            if (wordEnd > prevEnd) {
                lengths.add(wordEnd - prevEnd);
            }
            prevEnd = wordEnd;
            return wordEnd;
        }

        /** Length of an English contraction ('s 't 'm 'd 're 've 'll) at pos, or 0. */
        int contraction(int pos, boolean ignoreCase) {
            if (cpt(pos) != '\'' || pos + 1 >= end) {
                return 0;
            }
            int next = lower(cpt(pos + 1), ignoreCase);
            if (next == 's' || next == 't' || next == 'm' || next == 'd') {
                return 2;
            }
            if (pos + 2 < end) {
                int nextNext = lower(cpt(pos + 2), ignoreCase);
                if ((next == 'r' && nextNext == 'e') || (next == 'v' && nextNext == 'e')
                        || (next == 'l' && nextNext == 'l')) {
                    return 3;
                }
            }
            return 0;
        }

        private static int lower(int cp, boolean ignoreCase) {
            return ignoreCase && cp >= 0 ? Character.toLowerCase(cp) : cp;
        }

        /**
         * The whitespace alternatives: {@code \s*[\r\n]+} (Llama-3 only), {@code \s+(?!\S)}, {@code \s+}, and
         * otherwise a single code point on its own. Returns the new position.
         */
        int whitespace(int pos, boolean newlineRule) {
            int count = 0;
            int lastNewlineEnd = 0;
            while ((flags(pos + count) & CodepointFlags.WHITESPACE) != 0) {
                int c = cpt(pos + count);
                if (c == '\r' || c == '\n') {
                    lastNewlineEnd = pos + count + 1;
                }
                count++;
            }
            if (newlineRule && lastNewlineEnd > 0) {
                return emit(lastNewlineEnd);
            }
            if (count > 1 && cpt(pos + count) != OUT_OF_RANGE) {
                return emit(pos + count - 1);
            }
            if (count > 0) {
                return emit(pos + count);
            }
            return emit(pos + 1);
        }
    }
}
