package r1j.tokenizer;

import r1j.gguf.GgufMetadata;

import java.nio.file.Files;
import java.nio.file.Path;

/** Entry points for loading a {@link Vocabulary} from the files r1j accepts. */
public final class VocabularyLoader {

    private VocabularyLoader() {
    }

    /**
     * Loads a GGUF file (full model or vocabulary-only) or a Hugging Face tokenizer directory
     * ({@code vocab.json} + {@code merges.txt}, optionally {@code tokenizer_config.json}).
     *
     * @param preOverride pre-tokenizer name ({@code tokenizer.ggml.pre} value) to use instead of the file's;
     *                    required for a directory, which does not record one; null keeps the file's
     * @throws TokenizerException if the path is missing, unreadable or holds an unsupported tokenizer
     */
    public static Vocabulary load(Path path, String preOverride) {
        if (Files.isDirectory(path)) {
            return HuggingFaceVocabularyReader.read(path, preOverride);
        }
        if (!Files.isRegularFile(path)) {
            throw new TokenizerException("no such model file or tokenizer directory: " + path);
        }
        return GgufVocabularyReader.read(path, preOverride);
    }

    /** Reads the vocabulary from metadata of an already opened GGUF file, with the file's pre-tokenizer. */
    public static Vocabulary fromGguf(GgufMetadata metadata) {
        return GgufVocabularyReader.read(metadata, null);
    }

    /** Reads a Hugging Face tokenizer directory with the given pre-tokenizer name. */
    public static Vocabulary fromHuggingFace(Path directory, String preName) {
        return HuggingFaceVocabularyReader.read(directory, preName);
    }
}
