package r1j.tokenizer;

import java.util.ArrayList;
import java.util.List;

/**
 * Cuts special tokens out of a text before BPE, as llama.cpp's {@code tokenizer_st_partition}: for each special
 * token in turn, longest first, every occurrence inside a still-unprocessed text fragment becomes that token.
 * USER_DEFINED tokens (such as {@code <think>}) are always cut out; CONTROL and UNKNOWN ones (such as
 * {@code <｜User｜>}) only when special tokens are parsed, otherwise they are tokenized as plain text.
 */
final class SpecialTokenSplitter {

    /** Either a special token ({@code token >= 0}) or the text {@code [start, end)} still to be tokenized. */
    record Fragment(int token, int start, int end) {
        static Fragment text(int start, int end) {
            return new Fragment(-1, start, end);
        }

        boolean isText() {
            return token < 0;
        }
    }

    private final Vocabulary vocab;

    SpecialTokenSplitter(Vocabulary vocab) {
        this.vocab = vocab;
    }

    /** The fragments of {@code text} in order; none for an empty text. */
    List<Fragment> split(String text, boolean parseSpecial) {
        List<Fragment> fragments = new ArrayList<>();
        if (text.isEmpty()) {
            return fragments;
        }
        fragments.add(Fragment.text(0, text.length()));
        for (int id : vocab.specialTokenOrder()) {
            if (!parseSpecial && vocab.hasAttr(id, Vocabulary.ATTR_CONTROL | Vocabulary.ATTR_UNKNOWN)) {
                continue;
            }
            String special = vocab.token(id);
            if (special.isEmpty() || !text.contains(special)) {
                continue;
            }
            fragments = cut(text, fragments, special, id);
        }
        return fragments;
    }

    private static List<Fragment> cut(String text, List<Fragment> fragments, String special, int id) {
        List<Fragment> result = new ArrayList<>(fragments.size() + 2);
        for (Fragment f : fragments) {
            if (!f.isText()) {
                result.add(f);
                continue;
            }
            int pos = f.start();
            int match;
            while ((match = text.indexOf(special, pos, f.end())) >= 0 && match + special.length() <= f.end()) {
                if (match > pos) {
                    result.add(Fragment.text(pos, match));
                }
                result.add(new Fragment(id, match, match + special.length()));
                pos = match + special.length();
            }
            if (pos < f.end()) {
                result.add(Fragment.text(pos, f.end()));
            }
        }
        return result;
    }
}
