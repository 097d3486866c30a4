package r1j.train.nn;

import r1j.train.autograd.Attention;
import r1j.train.autograd.Ops;
import r1j.train.autograd.Tape;
import r1j.train.autograd.Var;

/**
 * The {@code llama} forward pass on the tape, for a packed batch of equal-length (padded) sequences:
 * embed → per block [RMSNorm → Q,K,V → RoPE → causal attention → output proj → residual → RMSNorm → SwiGLU FFN →
 * residual] → RMSNorm → output head. Mirrors llama.cpp's {@code llm_build_llama} so the exported GGUF computes the
 * same logits in r1j.model and llama.cpp.
 */
public final class Transformer {
    private Transformer() {}

    /**
     * @param ids tokens of {@code ids.length / len} sequences, each padded to {@code len}
     * @return logits {@code [ids.length, vocab]}
     */
    public static Var forward(Tape tape, Params p, int[] ids, int len) {
        TinyConfig c = p.config();
        if (ids.length % len != 0 || len > c.context()) {
            throw new IllegalArgumentException("%d tokens are not sequences of %d (context %d)".formatted(ids.length, len, c.context()));
        }
        Var x = Ops.embedding(tape, p.get("token_embd.weight"), ids);
        for (int l = 0; l < c.layers(); l++) {
            x = Ops.add(tape, x, attentionBlock(tape, p, l, x, len));
            x = Ops.add(tape, x, ffnBlock(tape, p, l, x));
        }
        Var h = Ops.rmsNorm(tape, x, p.get("output_norm.weight"), c.rmsEps());
        return Ops.matmul(tape, h, p.get("output.weight"));
    }

    private static Var attentionBlock(Tape tape, Params p, int l, Var x, int len) {
        TinyConfig c = p.config();
        Var h = Ops.rmsNorm(tape, x, p.layer(l, "attn_norm"), c.rmsEps());
        Var q = Attention.rope(tape, Ops.matmul(tape, h, p.layer(l, "attn_q")), len, c.headSize(), c.ropeTheta());
        Var k = Attention.rope(tape, Ops.matmul(tape, h, p.layer(l, "attn_k")), len, c.headSize(), c.ropeTheta());
        Var v = Ops.matmul(tape, h, p.layer(l, "attn_v"));
        Var a = Attention.causal(tape, q, k, v, c.heads(), c.kvHeads(), c.headSize(), len);
        return Ops.matmul(tape, a, p.layer(l, "attn_output"));
    }

    private static Var ffnBlock(Tape tape, Params p, int l, Var x) {
        Var h = Ops.rmsNorm(tape, x, p.layer(l, "ffn_norm"), p.config().rmsEps());
        Var gate = Ops.matmul(tape, h, p.layer(l, "ffn_gate"));
        Var up = Ops.matmul(tape, h, p.layer(l, "ffn_up"));
        return Ops.matmul(tape, Ops.swiGlu(tape, gate, up), p.layer(l, "ffn_down"));
    }
}
