package r1j.train.data;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The tiny model's vocabulary: the 256 GPT-2 byte tokens (in {@code bytes_to_unicode} order), merges that spell a few
 * frequent words, then the R1 special tokens. Encoding follows llama.cpp's BPE for {@code tokenizer.ggml.pre =
 * deepseek-r1-qwen}: split out special tokens, pre-tokenize with the Qwen2 pattern (digits one by one), map bytes to
 * their unicode stand-ins, and apply merges lowest rank first within each piece.
 */
public final class TinyVocab {
    public static final String BOS = "<｜begin▁of▁sentence｜>";
    public static final String EOS = "<｜end▁of▁sentence｜>";
    public static final String USER = "<｜User｜>";
    public static final String ASSISTANT = "<｜Assistant｜>";
    public static final String THINK = "<think>";
    public static final String END_THINK = "</think>";
    /** Special tokens in id order; the first four are CONTROL, the think tags USER_DEFINED (as in R1's vocabulary). */
    public static final List<String> SPECIALS = List.of(BOS, EOS, USER, ASSISTANT, THINK, END_THINK);

    /** llama.cpp's {@code LLAMA_VOCAB_PRE_TYPE_DEEPSEEK_R1_QWEN} / Qwen2 split pattern. */
    static final Pattern PRE = Pattern.compile(
            "(?:'[sS]|'[tT]|'[rR][eE]|'[vV][eE]|'[mM]|'[lL][lL]|'[dD])|[^\\r\\n\\p{L}\\p{N}]?\\p{L}+|\\p{N}"
                    + "| ?[^\\s\\p{L}\\p{N}]+[\\r\\n]*|\\s*[\\r\\n]+|\\s+(?!\\S)|\\s+");

    /** Words (as pre-tokenizer pieces, leading space included) that get their own token. */
    private static final List<String> WORDS = List.of(
            "Ġis", "The", "Ġanswer", "\\boxed", "What", "check", "Ġto", "Ġmake", "Use", "Ġplus", "Ġminus", "Ġtimes",
            "so", "Ġand", "Ġby", "Ġfrom", "Ġnumbers", "ĠUse", "Ġmultiplied", "Ġthe", "Ġof", "ĠWhat", "Ġcheck", "Ġredo",
            "}.", "ĊĊ", "=-", "Ġ=", "Ġ+", "Ġ-", "Ġ*", "Ġx", "Ġc", "Ġb", "Compute", "compute", "Calculate", "calculate",
            "Subtract", "Multiply", "Add", "How", "Ġmuch", "what", "Ġwith");

    private final List<String> tokens = new ArrayList<>();  // id -> token text (GPT-2 unicode form)
    private final List<String> merges = new ArrayList<>();  // rank -> "left right"
    private final Map<String, Integer> ids = new HashMap<>();
    private final Map<String, Integer> mergeRank = new HashMap<>();
    private final char[] byteChar = new char[256];

    public TinyVocab() {
        int[] order = bytesToUnicodeOrder();
        for (int i = 0; i < 256; i++) {
            int b = order[i * 2], ch = order[i * 2 + 1];
            byteChar[b] = (char) ch;
            add(String.valueOf((char) ch));
        }
        for (String word : WORDS) {
            String left = word.substring(0, 1);
            for (int i = 1; i < word.length(); i++) {
                String right = word.substring(i, i + 1);
                String merged = left + right;
                if (!ids.containsKey(merged)) {
                    mergeRank.put(left + " " + right, merges.size());
                    merges.add(left + " " + right);
                    add(merged);
                }
                left = merged;
            }
        }
        SPECIALS.forEach(this::add);
    }

    private void add(String token) {
        if (ids.putIfAbsent(token, tokens.size()) != null) {
            throw new IllegalStateException("duplicate token " + token);
        }
        tokens.add(token);
    }

    /** GPT-2's {@code bytes_to_unicode}: pairs (byte, char) in token order. */
    private static int[] bytesToUnicodeOrder() {
        int[] out = new int[512];
        boolean[] printable = new boolean[256];
        int n = 0;
        for (int b = 0; b < 256; b++) {
            if ((b >= 33 && b <= 126) || (b >= 161 && b <= 172) || (b >= 174 && b <= 255)) {
                printable[b] = true;
                out[n * 2] = b;
                out[n * 2 + 1] = b;
                n++;
            }
        }
        int extra = 0;
        for (int b = 0; b < 256; b++) {
            if (!printable[b]) {
                out[n * 2] = b;
                out[n * 2 + 1] = 256 + extra++;
                n++;
            }
        }
        return out;
    }

    public int size() { return tokens.size(); }

    /** Token texts in id order ({@code tokenizer.ggml.tokens}). */
    public List<String> tokens() { return List.copyOf(tokens); }

    /** Merges in rank order ({@code tokenizer.ggml.merges}). */
    public List<String> merges() { return List.copyOf(merges); }

    /** llama.cpp token types in id order: 1 NORMAL, 3 CONTROL, 4 USER_DEFINED. */
    public int[] tokenTypes() {
        int[] types = new int[tokens.size()];
        java.util.Arrays.fill(types, 1);
        for (int i = 0; i < SPECIALS.size(); i++) {
            types[id(SPECIALS.get(i))] = i < 4 ? 3 : 4;
        }
        return types;
    }

    public int id(String token) {
        Integer id = ids.get(token);
        if (id == null) {
            throw new IllegalArgumentException("not a token: " + token);
        }
        return id;
    }

    public int bos() { return id(BOS); }

    public int eos() { return id(EOS); }

    /** Encodes text, recognising the special tokens; adds no BOS. */
    public int[] encode(String text) {
        List<Integer> out = new ArrayList<>();
        int start = 0;
        while (start < text.length()) {
            int next = text.length();
            String special = null;
            for (String s : SPECIALS) {
                int at = text.indexOf(s, start);
                if (at >= 0 && at < next) {
                    next = at;
                    special = s;
                }
            }
            encodePlain(text.substring(start, next), out);
            if (special == null) {
                break;
            }
            out.add(id(special));
            start = next + special.length();
        }
        return out.stream().mapToInt(Integer::intValue).toArray();
    }

    private void encodePlain(String text, List<Integer> out) {
        Matcher m = PRE.matcher(text);
        while (m.find()) {
            StringBuilder mapped = new StringBuilder();
            for (byte b : m.group().getBytes(StandardCharsets.UTF_8)) {
                mapped.append(byteChar[b & 0xff]);
            }
            List<String> parts = new ArrayList<>();
            for (int i = 0; i < mapped.length(); i++) {
                parts.add(String.valueOf(mapped.charAt(i)));
            }
            mergeLowestRankFirst(parts);
            parts.forEach(p -> out.add(id(p)));
        }
    }

    private void mergeLowestRankFirst(List<String> parts) {
        while (parts.size() > 1) {
            int best = -1, bestRank = Integer.MAX_VALUE;
            for (int i = 0; i + 1 < parts.size(); i++) {
                Integer rank = mergeRank.get(parts.get(i) + " " + parts.get(i + 1));
                if (rank != null && rank < bestRank) {
                    bestRank = rank;
                    best = i;
                }
            }
            if (best < 0) {
                return;
            }
            parts.set(best, parts.get(best) + parts.get(best + 1));
            parts.remove(best + 1);
        }
    }

    /** Decodes ids back to text (special tokens as their text). */
    public String decode(int[] tokenIds) {
        java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
        for (int id : tokenIds) {
            String t = tokens.get(id);
            if (SPECIALS.contains(t)) {
                bytes.writeBytes(t.getBytes(StandardCharsets.UTF_8));
                continue;
            }
            for (int i = 0; i < t.length(); i++) {
                bytes.write(byteOf(t.charAt(i)));
            }
        }
        return bytes.toString(StandardCharsets.UTF_8);
    }

    private int byteOf(char c) {
        for (int b = 0; b < 256; b++) {
            if (byteChar[b] == c) {
                return b;
            }
        }
        throw new IllegalStateException("no byte for " + c);
    }
}
