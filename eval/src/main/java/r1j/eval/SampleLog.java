package r1j.eval;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code samples.jsonl}: read what an earlier run finished, append each new sample as one flushed line. A run killed
 * mid-write leaves at most one partial last line; reading drops it (that sample is simply done again) and the file
 * is cut back to its last whole line before appending.
 */
public final class SampleLog implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final BufferedWriter out;

    private SampleLog(BufferedWriter out) {
        this.out = out;
    }

    /** The whole lines of a samples file ({@code []} when it does not exist). */
    public static List<SampleRecord> read(Path file) throws IOException {
        List<SampleRecord> records = new ArrayList<>();
        if (!Files.exists(file)) {
            return records;
        }
        String text = Files.readString(file, StandardCharsets.UTF_8);
        int end = text.lastIndexOf('\n');
        if (end < 0) {
            return records;
        }
        int lineNo = 0;
        for (String line : text.substring(0, end).split("\n")) {
            lineNo++;
            if (line.isBlank()) {
                continue;
            }
            try {
                records.add(fromJson(JSON.readTree(line)));
            } catch (IOException | RuntimeException e) {
                throw new IOException("%s line %d is not a sample record (%s); move the file away to start afresh"
                        .formatted(file, lineNo, e.getMessage()), e);
            }
        }
        return records;
    }

    /** Opens for appending, first cutting off a partial last line. */
    public static SampleLog append(Path file) throws IOException {
        if (Files.exists(file)) {
            byte[] bytes = Files.readAllBytes(file);
            int keep = bytes.length;
            while (keep > 0 && bytes[keep - 1] != '\n') {
                keep--;
            }
            if (keep != bytes.length) {
                try (var ch = java.nio.channels.FileChannel.open(file, StandardOpenOption.WRITE)) {
                    ch.truncate(keep);
                }
            }
        }
        return new SampleLog(Files.newBufferedWriter(file, StandardCharsets.UTF_8, StandardOpenOption.CREATE,
                StandardOpenOption.APPEND));
    }

    /** Appends one record as a line and flushes it. */
    public synchronized void write(SampleRecord r) throws IOException {
        out.write(toJson(r));
        out.write('\n');
        out.flush();
    }

    @Override
    public synchronized void close() throws IOException {
        out.close();
    }

    static String toJson(SampleRecord r) {
        ObjectNode n = JSON.createObjectNode();
        n.put("id", r.id());
        n.put("sample", r.sample());
        n.put("prompt", r.prompt());
        n.put("reasoning", r.reasoning());
        n.put("answer", r.answer());
        n.put("extracted", r.extracted());
        n.put("gold", r.gold());
        n.put("correct", r.correct());
        n.put("tokens", r.tokens());
        n.put("seconds", Math.round(r.seconds() * 1000) / 1000.0);
        n.put("finish_reason", r.finishReason());
        return n.toString();
    }

    static SampleRecord fromJson(JsonNode n) {
        return new SampleRecord(n.get("id").asText(), n.get("sample").asInt(), n.path("prompt").asText(),
                n.path("reasoning").asText(), n.path("answer").asText(),
                n.hasNonNull("extracted") ? n.get("extracted").asText() : null, n.path("gold").asText(),
                n.get("correct").asBoolean(), n.path("tokens").asInt(), n.path("seconds").asDouble(),
                n.path("finish_reason").asText());
    }
}
