package r1j.cli.bench;

import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;
import r1j.gguf.GgufFile;
import r1j.gguf.GgufTensorInfo;
import r1j.tensor.GgmlType;

/**
 * What one decode step of a dense model reads from its weights, taken from the GGUF tensor table: every tensor
 * once, except the token embedding, of which only one row per token is read, unless the file ties the output head
 * to it ({@code output.weight} absent), in which case the head reads all of it. Multiplying by tokens/s gives the
 * effective weight bandwidth that BASELINE.md compares with the machine's memory ceiling. In a mixture-of-experts
 * model a token reads only the experts it is routed to: the stacked expert tensors ({@code *_exps}) count
 * {@code expert_used_count / expert_count} of their bytes.
 *
 * @param weightBytes   bytes of all tensors in the file (the model's size)
 * @param bytesPerToken bytes of weights one single-sequence decode step reads
 * @param parameters    number of weight values in the file
 * @param typeCounts    tensors per ggml type, e.g. {@code Q4_K=169, Q6_K=29, F32=141}
 */
public record WeightTraffic(long weightBytes, long bytesPerToken, long parameters, Map<GgmlType, Integer> typeCounts) {

    static final String TOKEN_EMBD = "token_embd.weight";
    static final String OUTPUT = "output.weight";

    public WeightTraffic {
        typeCounts = Map.copyOf(typeCounts);
    }

    /** The traffic of {@code file}'s tensors. */
    public static WeightTraffic of(GgufFile file) {
        long total = 0, params = 0, unrouted = 0;
        String arch = file.metadata().getString("general.architecture", "");
        int experts = file.metadata().getInt(arch + ".expert_count", 0);
        int used = file.metadata().getInt(arch + ".expert_used_count", experts);
        Map<GgmlType, Integer> counts = new TreeMap<>();
        for (GgufTensorInfo t : file.tensors()) {
            total += t.byteSize();
            if (experts > 0 && t.name().endsWith("_exps.weight")) unrouted += t.byteSize() / experts * (experts - used);
            params += t.elements();
            counts.merge(t.type(), 1, Integer::sum);
        }
        long perToken = total - unrouted;
        GgufTensorInfo embd = file.tensor(TOKEN_EMBD);
        if (embd != null && file.tensor(OUTPUT) != null) {
            perToken -= embd.byteSize() - embd.type().bytesFor(embd.cols());
        } else if (embd != null) {
            perToken += embd.type().bytesFor(embd.cols()); // tied: the head reads it all, the lookup one row more
        }
        return new WeightTraffic(total, perToken, params, counts);
    }

    /** Tensors per type, most frequent first: {@code Q4_K 169, Q6_K 29, F32 141}. */
    public String typeMix() {
        return typeCounts.entrySet().stream()
                .sorted(Map.Entry.<GgmlType, Integer>comparingByValue().reversed().thenComparing(Map.Entry.comparingByKey()))
                .map(e -> e.getKey() + " " + e.getValue())
                .collect(Collectors.joining(", "));
    }

    /** Effective weight bandwidth at {@code tokensPerSecond} single-sequence decode steps per second, in GB/s (10⁹ bytes). */
    public double gigabytesPerSecond(double tokensPerSecond) {
        return bytesPerToken * tokensPerSecond / 1e9;
    }
}
