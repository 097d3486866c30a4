package r1j.tokenizer;

import r1j.gguf.GgufFile;
import r1j.gguf.GgufMetadata;
import r1j.gguf.GgufMetadataException;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

/**
 * Reads a {@link Vocabulary} from GGUF metadata ({@code tokenizer.ggml.*}), from a full model file or a
 * vocabulary-only one (no tensors needed).
 */
final class GgufVocabularyReader {
    static final String MODEL = "tokenizer.ggml.model";
    static final String PRE = "tokenizer.ggml.pre";
    static final String TOKENS = "tokenizer.ggml.tokens";
    static final String TOKEN_TYPE = "tokenizer.ggml.token_type";
    static final String MERGES = "tokenizer.ggml.merges";
    static final String BOS = "tokenizer.ggml.bos_token_id";
    static final String EOS = "tokenizer.ggml.eos_token_id";
    static final String EOT = "tokenizer.ggml.eot_token_id";
    static final String EOM = "tokenizer.ggml.eom_token_id";
    static final String UNK = "tokenizer.ggml.unknown_token_id";
    static final String PAD = "tokenizer.ggml.padding_token_id";
    static final String ADD_BOS = "tokenizer.ggml.add_bos_token";
    static final String ADD_EOS = "tokenizer.ggml.add_eos_token";
    static final String ADD_SPACE_PREFIX = "tokenizer.ggml.add_space_prefix";
    static final String SCORES = "tokenizer.ggml.scores";

    private GgufVocabularyReader() {
    }

    static Vocabulary read(Path file, String preOverride) {
        try (GgufFile gguf = GgufFile.open(file)) {
            return read(gguf.metadata(), preOverride);
        } catch (IOException e) {
            throw new TokenizerException("cannot read " + file + ": " + e.getMessage(), e);
        }
    }

    static Vocabulary read(GgufMetadata md, String preOverride) {
        try {
            if (!md.has(MODEL)) {
                throw new TokenizerException("the GGUF file has no tokenizer (" + MODEL + " is missing)");
            }
            String model = md.getString(MODEL);
            if (model.equals("gpt2") && !md.has(MERGES)) {
                throw new TokenizerException("cannot find tokenizer merges (" + MERGES + ") in the GGUF file");
            }
            String pre = preOverride != null ? preOverride : md.getString(PRE, null);
            List<String> tokens = Arrays.asList(md.getStringArray(TOKENS));
            int[] types = md.has(TOKEN_TYPE) ? md.getIntArray(TOKEN_TYPE) : null;
            List<String> merges = md.has(MERGES) ? Arrays.asList(md.getStringArray(MERGES)) : List.of();
            var special = new Vocabulary.SpecialIds(id(md, BOS), id(md, EOS), id(md, EOT), id(md, EOM), id(md, UNK),
                    id(md, PAD));
            Boolean addBos = md.has(ADD_BOS) ? md.getBoolean(ADD_BOS) : null;
            Boolean addEos = md.has(ADD_EOS) ? md.getBoolean(ADD_EOS) : null;
            float[] scores = md.has(SCORES) ? md.getFloatArray(SCORES) : null;
            Boolean addSpacePrefix = md.has(ADD_SPACE_PREFIX) ? md.getBoolean(ADD_SPACE_PREFIX) : null;
            return new Vocabulary(model, pre, tokens, types, scores, merges, special, addBos, addEos, addSpacePrefix);
        } catch (GgufMetadataException e) {
            throw new TokenizerException("bad tokenizer metadata: " + e.getMessage(), e);
        }
    }

    private static int id(GgufMetadata md, String key) {
        return md.has(key) ? (int) md.getLong(key) : -1;
    }
}
