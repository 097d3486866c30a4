package r1j.cli;

import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Option;
import picocli.CommandLine.TypeConversionException;
import r1j.model.KvCacheType;

/**
 * The {@code --kv-type} option (alias {@code --cache-type}) shared by chat, generate, serve, bench and logits: how the KV
 * cache stores keys and values, as llama.cpp's {@code --cache-type-k/v}.
 */
public final class KvTypeOption {

    @Option(names = {"--kv-type", "--cache-type"}, paramLabel = "TYPE", defaultValue = "auto", converter = Converter.class,
            description = "KV cache type: f16 (half the memory), f32, or auto: f16, f32 for an all-F32 model"
                    + " (default: ${DEFAULT-VALUE})")
    KvCacheType type = KvCacheType.AUTO;

    /** The chosen type; AUTO leaves the choice to the model. */
    public KvCacheType type() {
        return type;
    }

    static final class Converter implements ITypeConverter<KvCacheType> {
        @Override
        public KvCacheType convert(String value) {
            try {
                return KvCacheType.parse(value);
            } catch (IllegalArgumentException e) {
                throw new TypeConversionException(e.getMessage());
            }
        }
    }
}
