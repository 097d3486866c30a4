package r1j.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import r1j.cli.store.ByteSizes;
import r1j.cli.store.ModelNotFoundException;
import r1j.cli.store.ModelResolver;
import r1j.gguf.GgufArray;
import r1j.gguf.GgufFile;
import r1j.gguf.GgufFormatException;
import r1j.gguf.GgufMetadata;
import r1j.gguf.GgufTensorInfo;
import r1j.gguf.GgufValueType;
import r1j.model.KvFootprint;
import r1j.tensor.GgmlType;

/**
 * {@code r1j inspect FILE}: what a GGUF file holds, read from its header only (nothing is paged in but the header):
 * version and sizes, one line per metadata key with its stored type, the tensor table, and totals per type.
 * {@code --stats} adds the open time and the process's resident memory before and after opening.
 */
@Command(name = "inspect", mixinStandardHelpOptions = true,
        description = "Show a GGUF file's header, metadata and tensor table.")
public final class InspectCommand implements Callable<Integer> {
    /** Array elements shown before "…"; strings longer than MAX_STRING chars are cut too, so each key is one line. */
    private static final int ARRAY_ITEMS = 8;
    private static final int MAX_STRING = 120;

    @Parameters(paramLabel = "FILE", description = "a GGUF file, or a model name from `r1j list`")
    String model;

    @Option(names = "--stats", description = "also print the open time and resident memory (VmRSS) before and after opening")
    boolean stats;

    @Option(names = "--no-metadata", description = "leave out the metadata lines")
    boolean noMetadata;

    @Option(names = "--no-tensors", description = "leave out the tensor table (the per-type totals stay)")
    boolean noTensors;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        try {
            Path path = ModelResolver.resolve(model);
            if (Files.isDirectory(path)) {
                err.println("r1j inspect: " + path + " is a folder; pass the .gguf file inside it");
                return 1;
            }
            long rssBefore = ResidentMemory.kibibytes();
            long start = System.nanoTime();
            try (GgufFile gguf = GgufFile.open(path)) {
                long openNanos = System.nanoTime() - start;
                long rssAfter = ResidentMemory.kibibytes();
                printHeader(out, gguf);
                printKvFootprint(out, gguf);
                if (!noMetadata) printMetadata(out, gguf.metadata());
                if (!noTensors) printTensors(out, gguf.tensors());
                printTotals(out, gguf.tensors());
                if (stats) printStats(out, openNanos, rssBefore, rssAfter);
            }
            out.flush();
            return 0;
        } catch (GgufFormatException | ModelNotFoundException e) {
            err.println("r1j inspect: " + e.getMessage());
        } catch (NoSuchFileException e) {
            err.println("r1j inspect: no such file: " + e.getFile());
        } catch (IOException e) {
            err.println("r1j inspect: cannot read " + model + ": " + e);
        }
        err.flush();
        return 1;
    }

    private static void printHeader(PrintWriter out, GgufFile gguf) {
        out.println("file:       " + gguf.path());
        out.printf(Locale.ROOT, "version:    GGUF v%d%n", gguf.version());
        out.printf(Locale.ROOT, "file size:  %d bytes (%s)%n", gguf.fileSize(), ByteSizes.human(gguf.fileSize()));
        out.printf(Locale.ROOT, "tensors:    %d%n", gguf.tensors().size());
        out.printf(Locale.ROOT, "metadata:   %d keys%n", gguf.metadata().size());
        out.printf(Locale.ROOT, "alignment:  %d%n", gguf.alignment());
        if (gguf.tensors().isEmpty()) out.println("data:       none (no tensors)");
        else out.printf(Locale.ROOT, "data:       from byte %d%n", gguf.dataOffset());
    }

    /** KV-cache bytes per token of a model file (nothing for vocabulary-only or unsupported files). */
    private static void printKvFootprint(PrintWriter out, GgufFile gguf) {
        if (!gguf.metadata().has("general.architecture")) return;
        try {
            KvFootprint kv = KvFootprint.of(gguf);
            out.printf(Locale.ROOT, "kv cache:   %d bytes/token (%s) = %s per 1000 tokens%n", kv.bytesPerToken(), kv.layout(),
                    ByteSizes.human(kv.bytesPerToken() * 1000));
            if (kv.naiveBytesPerToken() != kv.bytesPerToken()) {
                out.printf(Locale.ROOT, "            decompressed per-head K and V would take %d bytes/token (%.1fx more)%n",
                        kv.naiveBytesPerToken(), (double) kv.naiveBytesPerToken() / kv.bytesPerToken());
            }
        } catch (RuntimeException e) {
            out.println("kv cache:   unknown (" + e.getMessage() + ")");
        }
    }

    private static void printMetadata(PrintWriter out, GgufMetadata md) {
        out.println();
        out.println("metadata:");
        for (String key : md.keys()) {
            out.println("  " + key + ": " + describe(md, key));
        }
    }

    /** {@code TYPE = value}, one line: strings quoted and cut, arrays as their first items and count. */
    static String describe(GgufMetadata md, String key) {
        Object v = md.get(key);
        GgufValueType type = md.typeOf(key);
        return switch (v) {
            case GgufArray a -> "ARRAY[" + a.elementType() + "] = " + array(a);
            case String s -> "STRING = " + string(s);
            case Long l when type == GgufValueType.UINT64 -> type + " = " + Long.toUnsignedString(l);
            default -> type + " = " + v;
        };
    }

    private static String array(GgufArray a) {
        if (a.elementType() != GgufValueType.STRING) return a.abbreviated(ARRAY_ITEMS);
        StringBuilder sb = new StringBuilder("[");
        int shown = Math.min(ARRAY_ITEMS, a.size());
        for (int i = 0; i < shown; i++) sb.append(i > 0 ? ", " : "").append(string((String) a.get(i)));
        if (a.size() > shown) sb.append(shown > 0 ? ", …" : "…");
        sb.append(']');
        if (a.size() > shown) sb.append(" (").append(a.size()).append(" items)");
        return sb.toString();
    }

    private static String string(String s) {
        if (s.length() <= MAX_STRING) return quote(s);
        return quote(s.substring(0, MAX_STRING)) + "… (" + s.length() + " chars)";
    }

    private static String quote(String s) {
        StringBuilder sb = new StringBuilder(s.length() + 2).append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> sb.append("\\\"");
                case '\\' -> sb.append("\\\\");
                case '\n' -> sb.append("\\n");
                case '\r' -> sb.append("\\r");
                case '\t' -> sb.append("\\t");
                default -> sb.append(c < 0x20 ? "\\u%04x".formatted((int) c) : String.valueOf(c));
            }
        }
        return sb.append('"').toString();
    }

    private static void printTensors(PrintWriter out, List<GgufTensorInfo> tensors) {
        int nameWidth = Math.max(4, tensors.stream().mapToInt(t -> t.name().length()).max().orElse(0));
        String row = "  %-" + nameWidth + "s  %-7s  %-22s  %12s  %12s%n";
        out.println();
        out.println("tensors:");
        out.printf(Locale.ROOT, row, "name", "type", "dims", "bytes", "offset");
        for (GgufTensorInfo t : tensors) {
            out.printf(Locale.ROOT, row, t.name(), t.type(), Arrays.toString(t.dims()), t.byteSize(), t.offset());
        }
    }

    private static void printTotals(PrintWriter out, List<GgufTensorInfo> tensors) {
        Map<GgmlType, long[]> byType = new EnumMap<>(GgmlType.class); // type -> {tensors, elements, bytes}
        for (GgufTensorInfo t : tensors) {
            long[] sum = byType.computeIfAbsent(t.type(), k -> new long[3]);
            sum[0]++;
            sum[1] += t.elements();
            sum[2] += t.byteSize();
        }
        long elements = 0;
        long bytes = 0;
        out.println();
        out.println("totals by type:");
        String row = "  %-7s  %5d tensors  %15d elements  %14d bytes (%s)%s%n";
        List<Map.Entry<GgmlType, long[]>> entries = byType.entrySet().stream()
                .sorted(Comparator.comparingLong((Map.Entry<GgmlType, long[]> e) -> e.getValue()[2]).reversed()).toList();
        for (Map.Entry<GgmlType, long[]> e : entries) {
            long[] s = e.getValue();
            String note = e.getKey().supported() ? "" : "  (not supported by r1j)";
            out.printf(Locale.ROOT, row, e.getKey(), s[0], s[1], s[2], ByteSizes.human(s[2]), note);
            elements += s[1];
            bytes += s[2];
        }
        out.printf(Locale.ROOT, row, "all", tensors.size(), elements, bytes, ByteSizes.human(bytes), "");
    }

    private static void printStats(PrintWriter out, long openNanos, long rssBefore, long rssAfter) {
        out.println();
        out.printf(Locale.ROOT, "open time:  %.1f ms%n", openNanos / 1e6);
        out.printf(Locale.ROOT, "VmRSS:      %s before open, %s after (%s)%n", ResidentMemory.format(rssBefore),
                ResidentMemory.format(rssAfter),
                rssBefore < 0 || rssAfter < 0 ? "not available" : "+" + ResidentMemory.format(rssAfter - rssBefore));
    }

    /** The process's resident set size from {@code /proc/self/status} (Linux); -1 where that file is absent. */
    static final class ResidentMemory {
        private static final Path STATUS = Path.of("/proc/self/status");

        private ResidentMemory() {
        }

        /** {@code VmRSS} in KiB, or -1 if not available. */
        static long kibibytes() {
            try {
                for (String line : Files.readAllLines(STATUS)) {
                    if (line.startsWith("VmRSS:")) return Long.parseLong(line.substring(6).trim().split("\\s+")[0]);
                }
            } catch (IOException | RuntimeException e) {
                return -1;
            }
            return -1;
        }

        /** e.g. {@code 45.3 MiB}, or {@code n/a} for -1. */
        static String format(long kib) {
            return kib < 0 ? "n/a" : String.format(Locale.ROOT, "%.1f MiB", kib / 1024.0);
        }
    }
}
