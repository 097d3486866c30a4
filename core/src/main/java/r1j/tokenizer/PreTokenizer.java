package r1j.tokenizer;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * The word splitters of byte-level BPE vocabularies, one per llama.cpp pre-tokenizer type, selected by GGUF
 * {@code tokenizer.ggml.pre}. Each is llama.cpp's list of regexes (src/llama-vocab.cpp, {@code llm_tokenizer_bpe});
 * the regexes are applied in order, each refining the previous one's segments (see {@link SplitPass}).
 */
public enum PreTokenizer {
    /** The fallback when a file names no pre-tokenizer. */
    DEFAULT(false, List.of("default"),
            "[\\p{P}\\$\\+<=>\\^~\\|]+",
            SplitPass.GPT2_REGEX,
            "\\p{N}+",
            "[0-9][0-9][0-9]"),
    GPT2(false, List.of("gpt-2", "phi-2", "mpt", "olmo", "jais"),
            SplitPass.GPT2_REGEX),
    /** Llama 3. llama.cpp sets ignore_merges: a word that is itself a token is not merged. */
    LLAMA3(true, List.of("llama-bpe", "llama3", "llama-v3"),
            SplitPass.LLAMA3_REGEX),
    /** Qwen2, and DeepSeek-R1-Distill-Qwen: single digits. */
    QWEN2(false, List.of("qwen2", "deepseek-r1-qwen", "stablelm2", "megrez"),
            "(?:'[sS]|'[tT]|'[rR][eE]|'[vV][eE]|'[mM]|'[lL][lL]|'[dD])|[^\\r\\n\\p{L}\\p{N}]?\\p{L}+|\\p{N}"
                    + "| ?[^\\s\\p{L}\\p{N}]+[\\r\\n]*|\\s*[\\r\\n]+|\\s+(?!\\S)|\\s+"),
    /**
     * DeepSeek LLM. Its letter class is written with escapes: several members are canonical singletons (U+1FBE,
     * U+2126 OHM SIGN, U+212A KELVIN SIGN, ...) that any NFC-normalizing tool would silently turn into others.
     */
    DEEPSEEK_LLM(false, List.of("deepseek-llm"),
            "[\r\n]",
            "\\s?[A-Za-z\\x{B5}\\x{C0}-\\x{D6}\\x{D8}-\\x{F6}\\x{F8}-\\x{1BA}\\x{1BC}-\\x{1BF}\\x{1C4}-\\x{293}"
                    + "\\x{295}-\\x{2AF}\\x{370}-\\x{373}\\x{376}\\x{377}\\x{37B}-\\x{37D}\\x{37F}\\x{386}"
                    + "\\x{388}-\\x{38A}"
                    + "\\x{38C}\\x{38E}-\\x{3A1}\\x{3A3}-\\x{3F5}\\x{3F7}-\\x{481}\\x{48A}-\\x{52F}\\x{531}-\\x{556}"
                    + "\\x{10A0}-\\x{10C5}\\x{13A0}-\\x{13F5}\\x{13F8}-\\x{13FD}\\x{1C90}-\\x{1CBA}\\x{1CBD}-\\x{1CBF}"
                    + "\\x{1D00}-\\x{1D2B}\\x{1D6B}-\\x{1D77}\\x{1D79}-\\x{1D9A}\\x{1E00}-\\x{1F15}\\x{1F18}-\\x{1F1D}"
                    + "\\x{1F20}-\\x{1F45}\\x{1F48}-\\x{1F4D}\\x{1F50}-\\x{1F57}\\x{1F59}\\x{1F5B}\\x{1F5D}\\x{1F5F}"
                    + "-\\x{1F7D}\\x{1F80}-\\x{1FB4}\\x{1FB6}-\\x{1FBC}\\x{1FBE}\\x{1FC2}-\\x{1FC4}\\x{1FC6}-\\x{1FCC}"
                    + "\\x{1FD0}-\\x{1FD3}\\x{1FD6}-\\x{1FDB}\\x{1FE0}-\\x{1FEC}\\x{1FF2}-\\x{1FF4}\\x{1FF6}-\\x{1FFC}"
                    + "\\x{2102}\\x{2107}\\x{210A}-\\x{2113}\\x{2115}\\x{2119}-\\x{211D}\\x{2124}\\x{2126}\\x{2128}"
                    + "\\x{212A}-\\x{212D}\\x{212F}-\\x{2134}\\x{2139}\\x{213C}-\\x{213F}\\x{2145}-\\x{2149}\\x{214E}"
                    + "\\x{2183}\\x{2184}\\x{2C00}-\\x{2C7B}\\x{2C7E}-\\x{2CE4}\\x{2CEB}-\\x{2CEE}\\x{2CF2}\\x{2CF3}"
                    + "\\x{A640}-\\x{A66D}\\x{A680}-\\x{A69B}\\x{A722}-\\x{A76F}\\x{A771}-\\x{A787}\\x{A78B}-\\x{A78E}"
                    + "\\x{AB70}-\\x{ABBF}\\x{FB00}-\\x{FB06}\\x{FB13}-\\x{FB17}\\x{FF21}-\\x{FF3A}\\x{FF41}-\\x{FF5A}"
                    + "\\x{10400}-\\x{1044F}\\x{104B0}-\\x{104D3}\\x{104D8}-\\x{104FB}\\x{10C80}-\\x{10CB2}\\x{10CC0}"
                    + "-\\x{10CF2}\\x{118A0}-\\x{118DF}\\x{1E900}-\\x{1E943}]+",
            "\\s?[!-/:-~\\x{FF01}-\\x{FF0F}\\x{FF1A}-\\x{FF5E}\\x{2018}-\\x{201F}\\x{3000}-\\x{3002}]+",
            "\\s+$",
            "[\\x{4E00}-\\x{9FA5}\\x{800}-\\x{4E00}\\x{AC00}-\\x{D7FF}]+",
            "\\p{N}+"),
    DEEPSEEK_CODER(false, List.of("deepseek-coder"),
            "[\r\n]",
            "\\s?\\p{L}+",
            "\\s?\\p{P}+",
            "[\\x{4E00}-\\x{9FA5}\\x{800}-\\x{4E00}\\x{AC00}-\\x{D7FF}]+",
            "\\p{N}"),
    /** DeepSeek V3 / R1 (the full models): digits in groups of up to three, CJK runs apart from what precedes. */
    DEEPSEEK3(false, List.of("deepseek-v3"),
            "\\p{N}{1,3}",
            "[\\x{4E00}-\\x{9FA5}\\x{3040}-\\x{309F}\\x{30A0}-\\x{30FF}]+",
            "[!\"#$%&'()*+,\\-./:;<=>?@\\[\\\\\\]^_`{|}~][A-Za-z]+|[^\r\n\\p{L}\\p{P}\\p{S}]?[\\p{L}\\p{M}]+"
                    + "| ?[\\p{P}\\p{S}]+[\r\n]*|\\s*[\r\n]+|\\s+(?!\\S)|\\s+");

    private final boolean ignoreMerges;
    private final List<String> names;
    private final List<String> regexes;
    private final List<SplitPass> passes;

    PreTokenizer(boolean ignoreMerges, List<String> names, String... regexes) {
        this.ignoreMerges = ignoreMerges;
        this.names = names;
        this.regexes = List.of(regexes);
        this.passes = Arrays.stream(regexes).map(SplitPass::of).toList();
    }

    /**
     * The pre-tokenizer for a {@code tokenizer.ggml.pre} value; {@code null} or empty selects {@link #DEFAULT}
     * (llama.cpp does the same, with a warning that quality will suffer).
     *
     * @throws TokenizerException for a name llama.cpp's snapshot knows but r1j does not implement, or no one knows
     */
    public static PreTokenizer forName(String name) {
        if (name == null || name.isEmpty()) {
            return DEFAULT;
        }
        String wanted = name.toLowerCase(Locale.ROOT);
        for (PreTokenizer p : values()) {
            if (p.names.contains(wanted)) {
                return p;
            }
        }
        throw new TokenizerException("pre-tokenizer '" + name + "' is not supported; supported: " + supportedNames());
    }

    /** Every accepted {@code tokenizer.ggml.pre} value, comma separated. */
    public static String supportedNames() {
        return Arrays.stream(values()).flatMap(p -> p.names.stream()).collect(Collectors.joining(", "));
    }

    /** The canonical name (the first one {@link #forName} accepts). */
    public String canonicalName() {
        return names.getFirst();
    }

    /** True when a word that is itself a token is emitted whole, without merging (llama.cpp's ignore_merges). */
    public boolean ignoreMerges() {
        return ignoreMerges;
    }

    /** llama.cpp's regexes for this pre-tokenizer (non-ASCII characters written as {@code \x{..}} escapes). */
    public List<String> regexes() {
        return regexes;
    }

    /** Splits text into words (plain text, not yet byte-encoded); concatenated they give the text back. */
    public List<String> split(String text) {
        int[] cps = text.codePoints().toArray();
        int[] lengths = splitLengths(cps);
        List<String> words = new ArrayList<>(lengths.length);
        int pos = 0;
        for (int len : lengths) {
            words.add(new String(cps, pos, len));
            pos += len;
        }
        return words;
    }

    /** The word lengths, in code points, of a text given as code points. */
    int[] splitLengths(int[] cps) {
        SplitText text = new SplitText(cps);
        IntList segments = new IntList(1);
        if (cps.length > 0) {
            segments.add(cps.length);
        }
        for (SplitPass pass : passes) {
            IntList refined = new IntList(segments.size() * 2);
            int start = 0;
            for (int i = 0; i < segments.size(); i++) {
                int end = start + segments.get(i);
                pass.split(text, start, end, refined);
                start = end;
            }
            segments = refined;
        }
        return segments.toArray();
    }
}
