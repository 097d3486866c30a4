package r1j.train.recipe;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.function.Function;
import java.util.random.RandomGenerator;
import r1j.train.autograd.Rows;
import r1j.train.data.Example;
import r1j.train.data.R1Format;
import r1j.train.data.TinyVocab;
import r1j.train.nn.AdamW;
import r1j.train.nn.Params;
import r1j.train.nn.TinyConfig;
import r1j.train.task.Problem;
import r1j.train.task.Tasks;
import r1j.train.task.Verifier;

/**
 * The tiny-R1 recipe end to end, into an output folder:
 * <ol>
 *   <li>{@code sft}: cold-start SFT of the model on synthetic R1 traces → {@code sft.gguf};</li>
 *   <li>{@code grpo}: GRPO from the SFT model on the harder split, KL to it → {@code grpo.gguf}, {@code grpo.csv},
 *       {@code grpo-heldout.csv}, {@code grpo.html} (held-out accuracy every few steps; reward, rollout accuracy,
 *       length and KL per step);</li>
 *   <li>{@code distill}: the GRPO model's verified traces (rejection sampling) SFT a smaller student, compared with
 *       the same student trained on stage-1 data only → {@code student-distilled.gguf}, {@code student-sft.gguf}.</li>
 * </ol>
 * {@code all} runs the three and copies to {@code tiny-r1.gguf} whichever of the SFT and GRPO models answers more of
 * the target held-out splits (add/sub/mul, 3 digits) correctly, GRPO on a tie: GRPO is judged, not assumed to help
 * (with a weak SFT model or a large learning rate it lowered accuracy). Every stage appends its held-out results to
 * {@code results.md}. A stage whose output exists is skipped; an interrupted SFT resumes from its
 * {@code *.ckpt.gguf}. Everything random is derived from the seed.
 */
public final class TinyR1Recipe {
    private final Settings s;
    private final TinyVocab vocab = new TinyVocab();
    private final Rows rows;
    private final Progress progress;
    private final Path out;
    /** Scores already measured in this run, by "model/split" (the ship decision reuses them). */
    private final Map<String, Evaluator.Score> scored = new java.util.HashMap<>();

    /**
     * @param seed      seed of every random choice
     * @param model     the shipped model's shape
     * @param sft       stage-1 SFT
     * @param sftMix    stage-1 task mixture (the question being answered)
     * @param grpo      stage-2 GRPO
     * @param grpoMix   stage-2 task mixture (the harder split)
     * @param student   the distillation student's shape
     * @param distill   student SFT (both students)
     * @param distillMix the tasks the teacher answers for distillation
     * @param distillPrompts teacher prompts to sample for distillation
     * @param evalN     held-out conversations per target split ({@link HeldOut#TARGETS})
     * @param hardEvalN held-out problems per other split ({@link HeldOut#OTHERS}: off-topic, 4-digit subtraction)
     * @param sftChats  the conversations stage-1 questions are asked in (turns, system prompts, off-topic share)
     * @param grpoChats the conversations GRPO and distillation prompts are asked in
     * @param init      classpath resource of the GGUF stage 1 starts from, or null to start from GPT-2 init
     * @param sftMore   later stage-1 phases, each from the model of the phase before (fresh warm-up and decay); may be empty
     */
    public record Settings(long seed, TinyConfig model, Sft.Options sft, Mixture sftMix, Grpo.Options grpo,
                           Mixture grpoMix, TinyConfig student, Sft.Options distill, Mixture distillMix,
                           int distillPrompts, int evalN, int hardEvalN, Dialogues sftChats, Dialogues grpoChats,
                           String init, List<Sft.Options> sftMore) {

        public Settings {
            sftMore = List.copyOf(sftMore);
        }

        /**
         * The shipped recipe: a 3-block model with a 1,024-token context; a cold start on conversations (one to
         * three user turns, a system prompt in a third of them, 8% questions that are not arithmetic) whose
         * questions mix operand lengths of 1 to 4 digits and are weighted to subtraction and multiplication (whose
         * borrows and partials are learned last), in three phases from the single-question model (200 steps at peak
         * lr 1.5e-3, 1,000 more with a fresh schedule, 600 more at 1e-3: the held-out accuracy was still rising
         * at each phase's end); GRPO at a small learning rate (3e-4 lowered accuracy) on the harder problems in the
         * same kinds of conversation; and a 2-block student.
         */
        public static Settings tinyR1(long seed) {
            TinyVocab v = new TinyVocab();
            TinyConfig model = new TinyConfig(64, 192, 3, 4, 2, v.size(), 1024, 1e-5f, 10000f);
            Mixture base = new Mixture(List.of(
                    new Mixture.Part("add-mix", 4, 1), new Mixture.Part("sub-mix", 4, 1.6), new Mixture.Part("mul-mix", 3, 1.4),
                    new Mixture.Part("add", 3, 0.2), new Mixture.Part("sub", 3, 0.4), new Mixture.Part("mul", 3, 0.6),
                    new Mixture.Part("add", 4, 0.2), new Mixture.Part("sub", 4, 0.5)));
            Dialogues chats = new Dialogues(0.3, new double[] {0.45, 0.25, 0.3}, 0.08);
            // GRPO needs prompts the SFT model sometimes solves (a group with mixed rewards carries signal)
            Mixture harder = new Mixture(List.of(new Mixture.Part("sub-mix", 4, 1), new Mixture.Part("mul-mix", 3, 1),
                    new Mixture.Part("sub", 4, 1), new Mixture.Part("mul", 3, 1), new Mixture.Part("add", 4, 0.5)));
            Dialogues grpoChats = new Dialogues(0.3, new double[] {0.4, 0.3, 0.3}, 0);
            // distillation as in R1: the teacher answers the questions the student should learn, the verifier keeps
            // its correct traces; the baseline student gets the cold-start mixture instead
            Mixture targets = new Mixture(List.of(new Mixture.Part("mixed", 4, 1)));
            return new Settings(seed, model, new Sft.Options(200, 16, 1.5e-3f, 16, 480), base,
                    new Grpo.Options(8, 16, 8, 8e-5f, 1f, 320, 0.2f, 0.04f), harder,
                    model.withSize(64, 192, 2, 4, 2), new Sft.Options(160, 16, 3e-3f, 16, 480), targets, 400, 200, 200,
                    chats, grpoChats, SINGLE_TURN_MODEL,
                    List.of(new Sft.Options(1000, 16, 1.5e-3f, 8, 480), new Sft.Options(600, 16, 1e-3f, 8, 480)));
        }
    }

    /**
     * The model of the single-question recipe (commit 454588c: 3,600 cold-start steps on one-turn, same-length
     * questions, then GRPO), which stage 1 continues from: a curriculum in two runs, the column arithmetic first,
     * conversations after (in the traces of today, which differ from its own only where operands differ in length
     * and in how subtraction decides the sign).
     */
    public static final String SINGLE_TURN_MODEL = "/r1j/train/tiny-r1-single-turn.gguf";

    /** Held-out problems of the harder split probed during GRPO, and how often (steps). */
    static final int PROBE_N = 200;
    static final int PROBE_EVERY = 6;

    /** Teacher samples per distillation prompt; the first verified one is kept. */
    static final int SAMPLES_PER_PROMPT = 2;

    /** Most tokens one answer may take (a 3-digit × 2-digit trace is ~300); a rambling one is cut here. */
    static final int MAX_TOKENS = 512;

    /** Share of addition/subtraction traces that show a slip caught by the self-check and redone. */
    static final double SLIP_SHARE = 0.05;

    public TinyR1Recipe(Settings settings, Path out, Rows rows, Progress progress) {
        this.s = settings;
        this.out = out;
        this.rows = rows;
        this.progress = progress;
    }

    public TinyVocab vocab() { return vocab; }

    /** Runs {@code stage}: sft, grpo, distill or all. */
    public void run(String stage) throws IOException {
        Files.createDirectories(out);
        switch (stage) {
            case "sft" -> sft();
            case "grpo" -> grpo();
            case "distill" -> distill();
            case "all" -> {
                sft();
                grpo();
                // choose the shipped model before distillation, which fails when the teacher solves nothing
                ship();
                distill();
            }
            default -> throw new IllegalArgumentException("unknown stage '%s'; use sft, grpo, distill or all".formatted(stage));
        }
    }

    private String description(String stages) {
        return "tiny-r1 by r1j train (seed %d): %s. Synthetic R1 traces (column arithmetic with self-check), GRPO with rule-based rewards."
                .formatted(s.seed(), stages);
    }

    /** Stage 1: cold-start SFT. */
    Params sft() throws IOException {
        Path done = out.resolve("sft.gguf");
        if (Files.exists(done)) {
            progress.info("sft: using existing " + done);
            return GgufExport.read(done);
        }
        // the curriculum's second run: conversations from the single-question model, in SFT phases (each later one
        // from the model before with a fresh warm-up and decay), every phase's model kept as sft-K.gguf so that a
        // phase can be rerun or a later one added without redoing the ones before
        Path first = out.resolve("sft-1.gguf");
        Params p;
        if (Files.exists(first)) {
            progress.info("sft: phase 1 from existing " + first);
            p = GgufExport.read(first);
        } else {
            p = trainSft("sft", s.model(), s.sft(), syntheticTraces(s.sftMix()), s.seed(),
                    s.init() == null ? null : start(s.init(), s.model()));
            GgufExport.write(p, vocab, "tiny-r1-sft-1", description("cold-start SFT, phase 1"), first);
        }
        for (int k = 2; k < 2 + s.sftMore().size(); k++) {
            Path phase = out.resolve("sft-" + k + ".gguf");
            if (Files.exists(phase)) {
                progress.info("sft: phase %d from existing %s".formatted(k, phase));
                p = GgufExport.read(phase);
                continue;
            }
            p = trainSft("sft-" + k, s.model(), s.sftMore().get(k - 2), syntheticTraces(s.sftMix()), s.seed() + 1 + 2L * k, p);
            GgufExport.write(p, vocab, "tiny-r1-sft-" + k, description("cold-start SFT, phase " + k), phase);
        }
        GgufExport.write(p, vocab, "tiny-r1-sft", description("cold-start SFT"), done);
        report("sft", p, HeldOut.TARGETS, s.evalN());
        report("sft", p, HeldOut.OTHERS, s.hardEvalN());
        return p;
    }

    /** Stage 2: GRPO from the SFT model. */
    Params grpo() throws IOException {
        Path done = out.resolve("grpo.gguf");
        if (Files.exists(done)) {
            progress.info("grpo: using existing " + done);
            return GgufExport.read(done);
        }
        Params reference = sft();
        Params policy = reference.copy();
        Grpo.Options o = s.grpo();
        AdamW opt = new AdamW(policy, o.lr(), 5, o.steps(), 1f, 0f, 1f);
        List<Grpo.Step> log = new ArrayList<>();
        // the held-out curve of the chart: greedy accuracy on the harder split every few steps (greedy draws no
        // random numbers, so probing does not change the run)
        String probeSplit = HeldOut.OTHERS.getLast();
        List<Dialogues.Dialogue> probe = HeldOut.split(probeSplit, Math.min(PROBE_N, s.hardEvalN()));
        List<double[]> heldOut = new ArrayList<>();
        heldOut.add(new double[] {0, probe(policy, probe)});
        long start = System.nanoTime();
        Grpo.train(policy, reference, vocab, rnd -> s.grpoChats().draw(rnd, s.grpoMix()), Grpo.Reward.R1, o, opt, rows, new SplittableRandom(s.seed() + 2),
                st -> {
                    log.add(st);
                    progress.step("grpo", st.step(), st.steps(), "reward %.2f acc %.2f len %.0f kl %.4f"
                            .formatted(st.reward(), st.accuracy(), st.meanTokens(), st.kl()));
                    if (st.step() % PROBE_EVERY == 0 || st.step() == st.steps()) {
                        heldOut.add(new double[] {st.step(), probe(policy, probe)});
                    }
                });
        progress.info("grpo: %d steps in %.0f s".formatted(o.steps(), (System.nanoTime() - start) / 1e9));
        writeGrpoLog(log, heldOut, probeSplit);
        GgufExport.write(policy, vocab, "tiny-r1", description("cold-start SFT, then GRPO"), done);
        report("grpo", policy, HeldOut.TARGETS, s.evalN());
        report("grpo", policy, HeldOut.OTHERS, s.hardEvalN());
        return policy;
    }

    /** Stage 3: distil the GRPO model's verified traces into a smaller student, against a stage-1-only student. */
    void distill() throws IOException {
        Params teacher = grpo();
        List<Example> traces = teacherTraces(teacher);
        progress.info("distill: kept %d verified teacher traces of %d prompts".formatted(traces.size(), s.distillPrompts()));
        Params distilled = trainSft("distill", s.student(), s.distill(), rnd -> traces.get(rnd.nextInt(traces.size())), s.seed() + 3, (Params) null);
        GgufExport.write(distilled, vocab, "tiny-r1-student-distilled", description("student SFT on verified teacher traces"),
                out.resolve("student-distilled.gguf"));
        Params baseline = trainSft("student", s.student(), s.distill(), syntheticTraces(s.sftMix()), s.seed() + 3, (Params) null);
        GgufExport.write(baseline, vocab, "tiny-r1-student-sft", description("student SFT on stage-1 data only"),
                out.resolve("student-sft.gguf"));
        report("student-distilled", distilled, HeldOut.TARGETS, s.evalN());
        report("student-sft", baseline, HeldOut.TARGETS, s.evalN());
    }

    /**
     * Rejection sampling: per training prompt, {@link #SAMPLES_PER_PROMPT} teacher samples at T=0.7 (one engine batch
     * for all prompts); keep the first the verifier accepts (correct and well formed).
     */
    private List<Example> teacherTraces(Params teacher) {
        RandomGenerator rnd = new SplittableRandom(s.seed() + 4);
        List<Problem> problems = new ArrayList<>();
        List<Generator.Request> requests = new ArrayList<>();
        for (int i = 0; i < s.distillPrompts(); i++) {
            Dialogues.Dialogue d = s.grpoChats().draw(rnd, s.distillMix());
            problems.add(d.problem());
            requests.add(new Generator.Request(d.chat().prompt(), MAX_TOKENS, 0.7f, Generator.seed(rnd), SAMPLES_PER_PROMPT));
        }
        progress.info("distill: sampling %d prompts x %d from the teacher".formatted(problems.size(), SAMPLES_PER_PROMPT));
        List<List<Generator.Completion>> samples = new Generator(teacher, vocab).completeAll(requests);
        List<Example> kept = new ArrayList<>();
        for (int i = 0; i < problems.size(); i++) {
            for (Generator.Completion c : samples.get(i)) {
                if (c.finished() && Verifier.correct(problems.get(i), c.text()) && Verifier.wellFormed(problems.get(i), c.text())) {
                    kept.add(R1Format.example(vocab, requests.get(i).prompt(), c.text() + TinyVocab.EOS));
                    break;
                }
            }
        }
        if (kept.isEmpty()) {
            throw new IllegalStateException("the teacher solved none of %d prompts; train it longer".formatted(s.distillPrompts()));
        }
        return kept;
    }

    private Function<RandomGenerator, Example> syntheticTraces(Mixture mix) {
        return rnd -> {
            Dialogues.Dialogue d = s.sftChats().draw(rnd, mix);
            Problem p = d.problem();
            String prompt = d.chat().prompt();
            if (p instanceof r1j.train.task.Arithmetic a && a.op() != '*' && rnd.nextDouble() < SLIP_SHARE) {
                return R1Format.fromSegments(vocab, prompt, a.traceWithSlip(rnd), R1Format.completion(p, ""));
            }
            return R1Format.example(vocab, prompt, R1Format.completion(p, p.trace()));
        };
    }

    private Params trainSft(String name, TinyConfig config, Sft.Options o, Function<RandomGenerator, Example> data,
                            long seed, Params init) throws IOException {
        Path ckpt = out.resolve(name + ".ckpt.gguf");
        Params p;
        AdamW opt;
        if (Files.exists(ckpt)) {
            p = Checkpoint.loadParams(ckpt);
            opt = Sft.optimizer(p, o);
            Checkpoint.loadOptimizer(ckpt, p, opt);
            progress.info("%s: resuming from %s at step %d".formatted(name, ckpt, opt.steps()));
        } else {
            p = init == null ? Params.init(config, new SplittableRandom(seed)) : init.copy();
            opt = Sft.optimizer(p, o);
        }
        progress.info("%s: %,d parameters, %d steps of %d sequences".formatted(name, p.count(), o.steps(), o.batch()));
        long start = System.nanoTime();
        Params trained = p;
        AdamW optimizer = opt;
        float tail = Sft.train(p, data, seed + 1, vocab.eos(), o, rows, opt,
                st -> progress.step(name, st.step(), st.steps(), "loss %.3f lr %.2g".formatted(st.loss(), st.lr())),
                step -> {
                    try {
                        Checkpoint.save(ckpt, trained, optimizer);
                    } catch (IOException e) {
                        throw new java.io.UncheckedIOException("cannot write checkpoint " + ckpt, e);
                    }
                });
        progress.info("%s: final loss %.3f, %.0f s".formatted(name, tail, (System.nanoTime() - start) / 1e9));
        Files.deleteIfExists(ckpt);
        return p;
    }

    /** The weights of the classpath GGUF {@code resource}, which must have {@code config}'s shape but for the context. */
    private Params start(String resource, TinyConfig config) throws IOException {
        Path tmp = Files.createTempFile("r1j-init-", ".gguf");
        try (var in = TinyR1Recipe.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IOException("missing resource " + resource);
            }
            Files.copy(in, tmp, StandardCopyOption.REPLACE_EXISTING);
            Params p = GgufExport.read(tmp).withContext(config.context());
            if (!p.config().equals(config)) {
                throw new IOException("%s has shape %s; the recipe needs %s".formatted(resource, p.config(), config));
            }
            progress.info("sft: starting from %s".formatted(resource));
            return p;
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    /** Copies the SFT or the GRPO model, whichever solves more target held-out problems (GRPO on a tie), to tiny-r1.gguf. */
    void ship() throws IOException {
        double sft = solved("sft", GgufExport.read(out.resolve("sft.gguf")));
        double grpo = solved("grpo", GgufExport.read(out.resolve("grpo.gguf")));
        String chosen = grpo >= sft ? "grpo" : "sft";
        Files.copy(out.resolve(chosen + ".gguf"), out.resolve("tiny-r1.gguf"), StandardCopyOption.REPLACE_EXISTING);
        String line = "shipped tiny-r1.gguf = %s.gguf (held-out single/turn3/system solved: sft %.0f, grpo %.0f of %d)"
                .formatted(chosen, sft, grpo, HeldOut.TARGETS.size() * s.evalN());
        progress.info(line);
        Files.writeString(out.resolve("results.md"), "\n" + line + "\n", java.nio.file.StandardOpenOption.APPEND);
    }

    /** Problems of the target held-out splits answered correctly (greedy). */
    private double solved(String model, Params p) {
        double sum = 0;
        for (String split : HeldOut.TARGETS) {
            Evaluator.Score known = scored.get(model + "/" + split);
            sum += (known != null ? known : score(p, split, s.evalN())).correct();
        }
        return sum;
    }

    /** Greedy held-out score on one split: the same conversations for every model. */
    private Evaluator.Score score(Params p, String split, int n) {
        return Evaluator.evaluateChats(p, vocab, HeldOut.split(split, n), MAX_TOKENS);
    }

    /** Greedy held-out accuracy per split, appended to results.md and shown. */
    Map<String, Evaluator.Score> report(String model, Params p, List<String> splits, int n) throws IOException {
        Map<String, Evaluator.Score> scores = new LinkedHashMap<>();
        StringBuilder md = new StringBuilder();
        for (String key : splits) {
            Evaluator.Score score = score(p, key, n);
            scores.put(key, score);
            scored.put(model + "/" + key, score);
            progress.info("%s %s greedy: %s".formatted(model, key, score));
            md.append("| %s | %s | %s |\n".formatted(model, key, score));
        }
        Path results = out.resolve("results.md");
        if (!Files.exists(results)) {
            Files.writeString(results, "| model | held-out split | greedy accuracy [95% CI] |\n|---|---|---|\n");
        }
        Files.writeString(results, md, java.nio.file.StandardOpenOption.APPEND);
        return scores;
    }

    private double probe(Params policy, List<Dialogues.Dialogue> probe) {
        return Evaluator.evaluateChats(policy, vocab, probe, MAX_TOKENS).accuracy();
    }

    private void writeGrpoLog(List<Grpo.Step> log, List<double[]> heldOut, String probeName) throws IOException {
        StringBuilder csv = new StringBuilder("step,reward,accuracy,mean_tokens,kl,groups_with_signal\n");
        for (Grpo.Step st : log) {
            csv.append("%d,%.4f,%.4f,%.1f,%.5f,%d\n".formatted(st.step(), st.reward(), st.accuracy(), st.meanTokens(), st.kl(), st.groupsWithSignal()));
        }
        Files.writeString(out.resolve("grpo.csv"), csv);
        StringBuilder probeCsv = new StringBuilder("step,heldout_greedy_accuracy_" + probeName.replace('-', '_') + "\n");
        heldOut.forEach(p -> probeCsv.append("%d,%.4f\n".formatted((int) p[0], p[1])));
        Files.writeString(out.resolve("grpo-heldout.csv"), probeCsv);
        List<Double> acc = log.stream().map(Grpo.Step::accuracy).toList();
        List<Double> len = log.stream().map(Grpo.Step::meanTokens).toList();
        List<Double> reward = log.stream().map(Grpo.Step::reward).toList();
        List<Double> kl = log.stream().map(Grpo.Step::kl).toList();
        String probeSteps = heldOut.stream().map(p -> Integer.toString((int) p[0])).collect(java.util.stream.Collectors.joining(", "));
        Files.writeString(out.resolve("grpo.html"), Chart.html("tiny-r1 GRPO (seed " + s.seed() + ")", List.of(
                new Chart.Series("Held-out greedy accuracy, %s (%d problems never trained on)".formatted(probeName, Math.min(PROBE_N, s.hardEvalN())),
                        "accuracy", heldOut.stream().map(p -> p[1]).toList(), "GRPO step (" + probeSteps + ")"),
                new Chart.Series("Training accuracy of rollouts (moving average of 5 steps)", "accuracy", Chart.smooth(acc, 5)),
                new Chart.Series("Mean response length (tokens)", "tokens", Chart.smooth(len, 5)),
                new Chart.Series("Mean reward (accuracy 1 + format 0.5)", "reward", Chart.smooth(reward, 5)),
                new Chart.Series("KL to the SFT reference", "KL", kl))));
    }
}
