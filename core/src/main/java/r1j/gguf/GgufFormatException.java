package r1j.gguf;

import java.io.IOException;

/**
 * A file is not a GGUF file r1j can read: bad magic, unsupported version, truncated or inconsistent header, tensor
 * data out of bounds. The message names the file, the field or tensor, and the problem.
 */
public class GgufFormatException extends IOException {
    private static final long serialVersionUID = 1L;

    public GgufFormatException(String message) {
        super(message);
    }
}
