package r1j.cli.chat;

import r1j.gguf.GgufFile;
import r1j.gguf.GgufMetadata;

import java.io.IOException;
import java.nio.file.Path;

/**
 * The context size {@code chat} and {@code generate} ask the engine for. Without {@code --ctx-size} it is the
 * model's trained context capped at {@value #DEFAULT_CAP} tokens: R1 distills are trained on 131072, whose KV cache
 * would take tens of GB, while 8192 holds a long thought and its answer.
 */
public final class ContextSize {

    /** Most tokens a context gets unless the user asks for more. */
    public static final int DEFAULT_CAP = 8192;

    private ContextSize() {
    }

    /**
     * @param gguf      the model file
     * @param requested the user's {@code --ctx-size}, or {@code null} when not given
     * @return {@code requested} when given (the engine checks it against the model), else the capped default
     */
    public static int choose(Path gguf, Integer requested) {
        return choose(gguf, requested, DEFAULT_CAP);
    }

    /**
     * @param gguf      the model file
     * @param requested the user's {@code --ctx-size}, or {@code null} when not given
     * @param cap       most tokens the default may be
     * @return {@code requested} when given, else the model's trained context capped at {@code cap}
     */
    public static int choose(Path gguf, Integer requested, int cap) {
        if (requested != null) {
            return requested;
        }
        try (GgufFile file = GgufFile.open(gguf)) {
            GgufMetadata md = file.metadata();
            String arch = md.getString("general.architecture", "");
            int trained = md.getInt(arch + ".context_length", 0);
            return trained > 0 ? Math.min(trained, cap) : cap;
        } catch (IOException | RuntimeException unreadable) {
            // Engine.load reports what is wrong with the file; here it only means "no better guess".
            return cap;
        }
    }
}
