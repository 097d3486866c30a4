/**
 * The in-process API of r1j: {@link r1j.engine.Engine} loads a model and generates for many callers at once.
 *
 * <p>A request ({@link r1j.engine.GenerationRequest}: chat messages, text or token ids; sampling; limits; stop
 * strings; {@code n} choices; logprobs) is submitted with a {@link r1j.engine.GenerationListener} that receives
 * reasoning and answer text per choice, and a {@link r1j.engine.GenerationHandle} cancels or awaits it. One
 * scheduler thread owns the model and KV cache and advances every live sequence in one forward step (continuous
 * batching with chunked prefill), reuses cached prompt prefixes, enforces stop rules and the thinking budget, and
 * publishes {@link r1j.engine.EngineStats}.
 *
 * <p>May depend on {@code r1j.model}, {@code r1j.tokenizer}, {@code r1j.chat}, {@code r1j.sample},
 * {@code r1j.grammar} (constrained decoding) (and
 * {@code r1j.gguf}/{@code r1j.tensor} only to open a file in {@link r1j.engine.Engine#load}). Used by the CLI, the
 * server, the evaluation harness and the trainer.
 */
package r1j.engine;
