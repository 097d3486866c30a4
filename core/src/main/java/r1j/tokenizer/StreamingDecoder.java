package r1j.tokenizer;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Turns generated tokens into text one token at a time without ever emitting half a character: a token may end in
 * the middle of a UTF-8 sequence (byte-level BPE splits emoji and CJK freely), so the incomplete tail is held back
 * until the next token completes it. Bytes that can never form a valid character are emitted as U+FFFD rather
 * than held. Not thread-safe: one decoder per sequence.
 */
public final class StreamingDecoder {
    private final Tokenizer tokenizer;
    private final boolean renderControl;
    private byte[] pending = new byte[0];

    StreamingDecoder(Tokenizer tokenizer, boolean renderControl) {
        this.tokenizer = tokenizer;
        this.renderControl = renderControl;
    }

    /** Adds one token; returns the text that is now complete (possibly empty, never a broken character). */
    public String accept(int id) {
        byte[] piece = tokenizer.tokenBytes(id, renderControl);
        if (piece.length == 0 && pending.length == 0) {
            return "";
        }
        ByteArrayOutputStream all = new ByteArrayOutputStream(pending.length + piece.length);
        all.writeBytes(pending);
        all.writeBytes(piece);
        byte[] bytes = all.toByteArray();
        int complete = completePrefix(bytes);
        pending = Arrays.copyOfRange(bytes, complete, bytes.length);
        return new String(bytes, 0, complete, StandardCharsets.UTF_8);
    }

    /** Emits whatever is held back (an incomplete sequence becomes U+FFFD) and resets the decoder. */
    public String flush() {
        String rest = new String(pending, StandardCharsets.UTF_8);
        pending = new byte[0];
        return rest;
    }

    /** True when bytes of an incomplete character are held back. */
    public boolean hasPending() {
        return pending.length > 0;
    }

    /**
     * Length of the prefix that can be emitted: everything except a trailing lead byte whose continuation bytes
     * have not all arrived yet.
     */
    static int completePrefix(byte[] bytes) {
        int n = bytes.length;
        for (int i = n - 1; i >= Math.max(0, n - 4); i--) {
            int b = bytes[i] & 0xFF;
            if ((b & 0xC0) == 0x80) {
                continue; // continuation byte: look further back for its lead
            }
            int need = (b & 0xE0) == 0xC0 ? 2 : (b & 0xF0) == 0xE0 ? 3 : (b & 0xF8) == 0xF0 ? 4 : 1;
            return i + need > n ? i : n;
        }
        return n;
    }
}
