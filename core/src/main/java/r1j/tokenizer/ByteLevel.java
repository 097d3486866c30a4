package r1j.tokenizer;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/**
 * GPT-2's reversible byte-to-character mapping ({@code bytes_to_unicode} in openai/gpt-2 encoder.py): printable
 * bytes {@code !..~}, {@code ¡..¬} and {@code ®..ÿ} map to themselves, the other 68 bytes to U+0100.. in byte order.
 * Byte-level BPE vocabularies store tokens in this alphabet, so a space is {@code Ġ} and a newline {@code Ċ}.
 */
final class ByteLevel {
    private static final char[] BYTE_TO_CHAR = new char[256];
    /** Inverse of {@link #BYTE_TO_CHAR}, indexed by char; -1 where the char is not a byte's image. */
    private static final short[] CHAR_TO_BYTE = new short[0x144];

    static {
        java.util.Arrays.fill(CHAR_TO_BYTE, (short) -1);
        int next = 0;
        for (int b = 0; b < 256; b++) {
            boolean printable = (b >= 0x21 && b <= 0x7E) || (b >= 0xA1 && b <= 0xAC) || (b >= 0xAE && b <= 0xFF);
            char c = printable ? (char) b : (char) (256 + next++);
            BYTE_TO_CHAR[b] = c;
            CHAR_TO_BYTE[c] = (short) b;
        }
    }

    private ByteLevel() {
    }

    /** The character that stands for byte {@code b} (0..255). */
    static char encode(int b) {
        return BYTE_TO_CHAR[b & 0xFF];
    }

    /** The byte-level spelling of a word: its UTF-8 bytes, each replaced by its character. */
    static String encode(String word) {
        byte[] utf8 = word.getBytes(StandardCharsets.UTF_8);
        char[] out = new char[utf8.length];
        for (int i = 0; i < utf8.length; i++) {
            out[i] = BYTE_TO_CHAR[utf8[i] & 0xFF];
        }
        return new String(out);
    }

    /** The byte a character stands for, or -1 if it is not one of the 256 byte characters. */
    static int decode(int cp) {
        return cp >= 0 && cp < CHAR_TO_BYTE.length ? CHAR_TO_BYTE[cp] : -1;
    }

    /**
     * The bytes a NORMAL token's text stands for (llama.cpp's {@code llama_decode_text}). A character outside the
     * byte alphabet is written as llama.cpp writes it, {@code [UNK_BYTE_0x<utf8 hex><token text>]}.
     */
    static byte[] decodeText(String text) {
        byte[] fast = new byte[text.length()];
        for (int i = 0; i < text.length(); i++) {
            int b = decode(text.charAt(i));
            if (b < 0) {
                return decodeTextWithUnknown(text);
            }
            fast[i] = (byte) b;
        }
        return fast;
    }

    private static byte[] decodeTextWithUnknown(String text) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(text.length() * 2);
        text.codePoints().forEach(cp -> {
            int b = decode(cp);
            if (b >= 0) {
                out.write(b);
            } else {
                StringBuilder unk = new StringBuilder("[UNK_BYTE_0x");
                for (byte u : Character.toString(cp).getBytes(StandardCharsets.UTF_8)) {
                    unk.append("%02x".formatted(u & 0xFF));
                }
                unk.append(text).append(']');
                out.writeBytes(unk.toString().getBytes(StandardCharsets.UTF_8));
            }
        });
        return out.toByteArray();
    }
}
