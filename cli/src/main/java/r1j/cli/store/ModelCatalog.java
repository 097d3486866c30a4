package r1j.cli.store;

import java.net.URI;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * Turns the model names a user types into download sources.
 *
 * <p>Two kinds of names:
 * <ul>
 *   <li>aliases for the DeepSeek-R1 distills: {@code deepseek-r1:1.5b}, {@code :7b}, {@code :8b}, {@code :14b},
 *       {@code :32b}, {@code :70b} (bare {@code deepseek-r1} and {@code deepseek-r1:latest} mean {@code :7b}),
 *       optionally with a quantization suffix such as {@code deepseek-r1:7b-q8_0} (default {@value #DEFAULT_QUANT}).
 *       They point at bartowski's llama.cpp quantizations on Hugging Face, whose files are named
 *       {@code DeepSeek-R1-Distill-<Base>-<Size>-<QUANT>.gguf};</li>
 *   <li>any GGUF file on Hugging Face as {@code owner/repo/path/file.gguf} (a pasted
 *       {@code https://huggingface.co/owner/repo/resolve/main/file.gguf} or {@code .../blob/main/...} link works too),
 *       fetched from {@code <endpoint>/owner/repo/resolve/main/path/file.gguf};</li>
 *   <li>local names, {@code NAME} or {@code NAME:TAG} in lower-case letters, digits, {@code .}, {@code _} and
 *       {@code -} (not ending in {@code .gguf}), which {@code r1j create NAME -f FILE.gguf} gives a file the user
 *       already has; they name no download.</li>
 * </ul>
 * The endpoint is {@code https://huggingface.co} unless overridden ({@code R1J_HF_ENDPOINT}, {@code --endpoint}),
 * which is how tests point the store at a loopback server.
 */
public final class ModelCatalog {

    /** The public Hugging Face hub. */
    public static final URI DEFAULT_ENDPOINT = URI.create("https://huggingface.co");
    /** The quantization an alias without a suffix gets: the usual size/quality balance. */
    public static final String DEFAULT_QUANT = "Q4_K_M";
    /** The alias family name. */
    public static final String FAMILY = "deepseek-r1";
    /** The tag a bare {@value #FAMILY} means. */
    public static final String DEFAULT_TAG = "7b";

    /** Quantizations an alias may ask for; bartowski publishes each of these for every distill. */
    static final List<String> QUANTS = List.of("Q8_0", "Q6_K", "Q5_K_M", "Q4_K_M", "Q4_0");

    /**
     * One alias tag: the Hugging Face repository and the file-name stem before {@code -<QUANT>.gguf}.
     *
     * @param tag      size tag after the colon ({@code 7b})
     * @param repo     {@code owner/repo} on Hugging Face
     * @param fileStem file name without {@code -<QUANT>.gguf}
     */
    public record Alias(String tag, String repo, String fileStem) {
        /** @return the full alias name, e.g. {@code deepseek-r1:7b} */
        public String name() {
            return FAMILY + ":" + tag;
        }
    }

    private static final Map<String, Alias> ALIASES = aliasTable(
            new Alias("1.5b", "bartowski/DeepSeek-R1-Distill-Qwen-1.5B-GGUF", "DeepSeek-R1-Distill-Qwen-1.5B"),
            new Alias("7b", "bartowski/DeepSeek-R1-Distill-Qwen-7B-GGUF", "DeepSeek-R1-Distill-Qwen-7B"),
            new Alias("8b", "bartowski/DeepSeek-R1-Distill-Llama-8B-GGUF", "DeepSeek-R1-Distill-Llama-8B"),
            new Alias("14b", "bartowski/DeepSeek-R1-Distill-Qwen-14B-GGUF", "DeepSeek-R1-Distill-Qwen-14B"),
            new Alias("32b", "bartowski/DeepSeek-R1-Distill-Qwen-32B-GGUF", "DeepSeek-R1-Distill-Qwen-32B"),
            new Alias("70b", "bartowski/DeepSeek-R1-Distill-Llama-70B-GGUF", "DeepSeek-R1-Distill-Llama-70B"));

    /** A Hugging Face owner, repository or path segment: what the hub allows, minus anything needing escapes. */
    private static final Pattern SEGMENT = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._+-]*");
    /** A local name given with {@code r1j create}, as Ollama spells its names: {@code name} or {@code name:tag}. */
    private static final Pattern LOCAL = Pattern.compile("[a-z0-9][a-z0-9._-]*(:[a-z0-9][a-z0-9._-]*)?");
    private static final List<String> LINK_PREFIXES =
            List.of("https://huggingface.co/", "http://huggingface.co/", "https://hf.co/", "hf.co/", "huggingface.co/");

    private final URI endpoint;

    /** @param endpoint the hub base URL, e.g. {@link #DEFAULT_ENDPOINT} or {@code http://127.0.0.1:PORT} */
    public ModelCatalog(URI endpoint) {
        String s = Objects.requireNonNull(endpoint, "endpoint").toString();
        if (!s.startsWith("http://") && !s.startsWith("https://")) {
            throw new ModelStoreException("the Hugging Face endpoint must be an http(s) URL, got '" + s + "'");
        }
        this.endpoint = URI.create(s.endsWith("/") ? s.substring(0, s.length() - 1) : s);
    }

    /** @return the alias table, smallest model first */
    public static List<Alias> aliases() {
        return List.copyOf(ALIASES.values());
    }

    /** @return true when the name has the shape of a store name (an alias or a Hugging Face file) */
    public static boolean looksLikeModelName(String name) {
        try {
            canonicalName(name);
            return true;
        } catch (ModelStoreException e) {
            return false;
        }
    }

    /**
     * The one spelling the store files a model under, so {@code deepseek-r1}, {@code DeepSeek-R1:latest} and
     * {@code deepseek-r1:7b-q4_k_m} all find the same download. Needs no network.
     *
     * @throws ModelStoreException when the name is neither an alias nor {@code owner/repo/file.gguf}
     */
    public static String canonicalName(String name) {
        String n = Objects.requireNonNull(name, "name").strip();
        String lower = n.toLowerCase(Locale.ROOT);
        if (lower.equals(FAMILY) || lower.startsWith(FAMILY + ":")) {
            AliasChoice c = parseAlias(n);
            return c.quant().equals(DEFAULT_QUANT) ? c.alias().name()
                    : c.alias().name() + "-" + c.quant().toLowerCase(Locale.ROOT);
        }
        if (isLocalName(lower)) {
            return lower;
        }
        return String.join("/", parseHuggingFace(n));
    }

    /** @return true for a canonical name that {@code r1j create} gives (not an alias, not a Hugging Face file) */
    public static boolean isLocalName(String canonical) {
        return !canonical.equals(FAMILY) && !canonical.startsWith(FAMILY + ":") && !canonical.endsWith(".gguf")
                && LOCAL.matcher(canonical).matches();
    }

    /**
     * Resolves a name to its download source.
     *
     * @throws ModelStoreException when the name is neither an alias nor {@code owner/repo/file.gguf}
     */
    public ModelSource source(String name) {
        String canonical = canonicalName(name);
        if (isLocalName(canonical)) {
            throw new ModelStoreException("'" + canonical + "' names a local file (`r1j create " + canonical
                    + " -f FILE.gguf`), not a download; pull takes an alias such as " + FAMILY + ":1.5b or a Hugging "
                    + "Face GGUF file as owner/repo/file.gguf");
        }
        if (canonical.startsWith(FAMILY + ":")) {
            AliasChoice c = parseAlias(canonical);
            String file = c.alias().fileStem() + "-" + c.quant() + ".gguf";
            return new ModelSource(canonical, resolveUrl(c.alias().repo(), file), file, null);
        }
        List<String> parts = parseHuggingFace(canonical);
        String repo = parts.get(0) + "/" + parts.get(1);
        String path = String.join("/", parts.subList(2, parts.size()));
        return new ModelSource(canonical, resolveUrl(repo, path), parts.getLast(), null);
    }

    private URI resolveUrl(String repo, String path) {
        return URI.create(endpoint + "/" + repo + "/resolve/main/" + path);
    }

    private record AliasChoice(Alias alias, String quant) {
    }

    private static AliasChoice parseAlias(String name) {
        String lower = name.toLowerCase(Locale.ROOT);
        if (!lower.equals(FAMILY) && !lower.startsWith(FAMILY + ":")) {
            throw unknownName(name);
        }
        String tag = lower.equals(FAMILY) ? DEFAULT_TAG : lower.substring(FAMILY.length() + 1);
        if (tag.equals("latest")) {
            tag = DEFAULT_TAG;
        }
        String quant = DEFAULT_QUANT;
        int dash = tag.indexOf('-');
        if (dash >= 0) {
            String wanted = tag.substring(dash + 1).toUpperCase(Locale.ROOT);
            quant = QUANTS.stream().filter(wanted::equals).findFirst().orElseThrow(() -> new ModelStoreException(
                    "unknown quantization '" + wanted.toLowerCase(Locale.ROOT) + "' in '" + name
                            + "'; choose one of " + String.join(", ", QUANTS).toLowerCase(Locale.ROOT)
                            + " (default " + DEFAULT_QUANT.toLowerCase(Locale.ROOT) + ")"));
            tag = tag.substring(0, dash);
        }
        Alias alias = ALIASES.get(tag);
        if (alias == null) {
            throw new ModelStoreException("unknown size '" + tag + "' in '" + name + "'; " + FAMILY + " comes in "
                    + String.join(", ", ALIASES.keySet().stream().map(t -> ":" + t).toList()));
        }
        return new AliasChoice(alias, quant);
    }

    /** @return [owner, repo, path segments...] */
    private static List<String> parseHuggingFace(String name) {
        String n = name;
        for (String prefix : LINK_PREFIXES) {
            if (n.regionMatches(true, 0, prefix, 0, prefix.length())) {
                n = n.substring(prefix.length());
                break;
            }
        }
        List<String> parts = new ArrayList<>(Arrays.asList(n.split("/", -1)));
        // A pasted browser or download link carries "/blob/main/" or "/resolve/main/" between repo and path.
        if (parts.size() > 4 && (parts.get(2).equals("resolve") || parts.get(2).equals("blob")) && parts.get(3).equals("main")) {
            parts.subList(2, 4).clear();
        }
        boolean valid = parts.size() >= 3 && parts.getLast().toLowerCase(Locale.ROOT).endsWith(".gguf")
                && parts.stream().allMatch(p -> SEGMENT.matcher(p).matches() && !p.contains(".."));
        if (!valid) {
            throw unknownName(name);
        }
        return List.copyOf(parts);
    }

    private static ModelStoreException unknownName(String name) {
        return new ModelStoreException("'" + name + "' is not a model name: use an alias ("
                + String.join(", ", ALIASES.values().stream().map(Alias::name).toList())
                + ", optionally with a quantization such as " + FAMILY + ":7b-q8_0), a Hugging Face GGUF file as "
                + "owner/repo/file.gguf, or a local name (lower-case letters, digits, . _ - and one :tag) given with "
                + "`r1j create NAME -f FILE.gguf`");
    }

    private static Map<String, Alias> aliasTable(Alias... aliases) {
        var table = new LinkedHashMap<String, Alias>();
        for (Alias a : aliases) {
            table.put(a.tag(), a);
        }
        return Collections.unmodifiableMap(table);
    }
}
