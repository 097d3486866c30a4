package r1j.eval.grade;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;
import org.matheclipse.core.eval.ExprEvaluator;
import org.matheclipse.core.expression.F;
import org.matheclipse.core.form.tex.TeXParser;
import org.matheclipse.core.interfaces.IExpr;

/**
 * The symbolic half of answer equivalence: Symja ({@code matheclipse-core}) parses both answers' LaTeX and decides
 * whether their difference simplifies to zero, or whether their ratio is a constant (equations, inequalities).
 *
 * <p>Symja keeps one evaluator per thread and a pathological input ({@code 10^{10^{10}}}, a huge factorial) can
 * compute for a very long time, so every check runs on this checker's own worker thread under a time limit. A check
 * that overruns is answered "unknown" ({@code null}), its evaluation is asked to stop (Symja's stop request, and an
 * interrupt), its worker is abandoned (a daemon thread) and a fresh one takes the next check, so a grader never hangs
 * a run. Integers are capped at a million bits. Checks are serialised on the worker.
 */
public final class SymjaChecker {
    /** Relative tolerance of a numeric comparison (Qwen2.5-Math's grader uses the same 1e-4). */
    public static final double RELATIVE_TOLERANCE = 1e-4;
    private static final double[][] PROBES = {{0.37, 1.13, 2.71, 0.59}, {1.71, 0.23, 0.83, 1.37}, {2.29, 1.61, 0.41, 3.07}};

    private static volatile SymjaChecker shared;

    static {
        // No answer needs an integer of more than a million bits (about 315,000 digits); without a cap Symja tries to
        // compute 10^10^10^10 in full. Over the cap it gives up at once and the check is "not shown equal".
        org.matheclipse.core.basic.Config.MAX_BIT_LENGTH = 1 << 20;
    }

    /** How long loading Symja on a fresh worker may take (about a second on an idle machine; much more on a busy one). */
    private static final Duration LOAD_LIMIT = Duration.ofMinutes(5);

    private final Duration limit;
    private ExecutorService worker;
    private Future<?> loaded;
    private final java.util.concurrent.atomic.AtomicReference<ExprEvaluator> current = new java.util.concurrent.atomic.AtomicReference<>();
    private final ThreadLocal<ExprEvaluator> evaluator = ThreadLocal.withInitial(() -> {
        F.initSymbols();
        ExprEvaluator ev = new ExprEvaluator();
        // Symja prints its messages ("Plus: null.") to stdout, which r1j grade uses for results
        ev.getEvalEngine().setQuietMode(true);
        ev.getEvalEngine().setOutPrintStream(new java.io.PrintStream(java.io.OutputStream.nullOutputStream()));
        ev.getEvalEngine().setErrorPrintStream(new java.io.PrintStream(java.io.OutputStream.nullOutputStream()));
        return ev;
    });

    /** A checker whose every check may take at most {@code limit} (the first one also loads Symja, about a second). */
    public SymjaChecker(Duration limit) {
        if (limit.isNegative() || limit.isZero()) {
            throw new IllegalArgumentException("time limit %s must be positive".formatted(limit));
        }
        this.limit = limit;
        startWorker();
    }

    /** One checker for the process, 10 s per check (the first includes Symja's start-up). */
    public static SymjaChecker shared() {
        SymjaChecker s = shared;
        if (s == null) {
            synchronized (SymjaChecker.class) {
                s = shared;
                if (s == null) {
                    shared = s = new SymjaChecker(Duration.ofSeconds(10));
                }
            }
        }
        return s;
    }

    /**
     * Whether two LaTeX expressions have the same value: numerically within {@link #RELATIVE_TOLERANCE} when both are
     * numbers, else when their difference simplifies to zero or vanishes at several probe points. {@code null} when
     * Symja cannot parse one of them or the check ran out of time.
     */
    public Boolean sameValue(String texA, String texB) {
        return run(ev -> {
            IExpr a = parse(texA), b = parse(texB);
            if (a == null || b == null) {
                return null;
            }
            IExpr diff = ev.eval(F.Subtract(a, b));
            Double d = number(ev, diff);
            Double va = number(ev, a), vb = number(ev, b);
            if (d != null && va != null && vb != null) {
                return Math.abs(d) <= RELATIVE_TOLERANCE * Math.max(1, Math.max(Math.abs(va), Math.abs(vb)));
            }
            if (va != null || vb != null) {
                return false; // a number against an expression with free symbols
            }
            IExpr simplified = ev.eval(F.Simplify(diff));
            if (simplified.isZero()) {
                return true;
            }
            return vanishesAtProbes(ev, diff);
        });
    }

    /**
     * Whether {@code texA / texB} is a constant (nonzero; positive when {@code positive}): two equations
     * {@code a = 0}, {@code b = 0} with the same solutions, or two inequalities {@code a > 0}, {@code b > 0}.
     * {@code null} when unknown.
     */
    public Boolean constantRatio(String texA, String texB, boolean positive) {
        return run(ev -> {
            IExpr a = parse(texA), b = parse(texB);
            if (a == null || b == null) {
                return null;
            }
            IExpr ratio = ev.eval(F.Together(F.Simplify(F.Divide(a, b))));
            Double r = number(ev, ratio);
            if (r == null || r == 0 || r.isNaN() || r.isInfinite()) {
                return false;
            }
            return !positive || r > 0;
        });
    }

    /** The numeric value of a LaTeX expression, or {@code null} (free symbols, unparsable, out of time). */
    public Double value(String tex) {
        return run(ev -> {
            IExpr a = parse(tex);
            return a == null ? null : number(ev, a);
        });
    }

    private <T> T run(Function<ExprEvaluator, T> check) {
        Future<T> f;
        Future<?> ready;
        synchronized (this) {
            ready = loaded;
            f = worker.submit(() -> check.apply(evaluator.get()));
        }
        try {
            // loading Symja is not part of a check's time: wait for it apart, under its own generous limit
            ready.get(LOAD_LIMIT.toNanos(), TimeUnit.NANOSECONDS);
            return f.get(limit.toNanos(), TimeUnit.NANOSECONDS);
        } catch (TimeoutException e) {
            f.cancel(true);
            synchronized (this) {
                ExprEvaluator stuck = current.getAndSet(null);
                if (stuck != null) {
                    stuck.getEvalEngine().stopRequest(); // Symja's evaluation loop checks this flag and gives up
                }
                worker.shutdownNow(); // abandon the stuck thread; the next check gets a fresh one
                startWorker();
            }
            return null;
        } catch (ExecutionException e) {
            return null; // Symja threw (syntax it cannot read, an overflow): not a verdict either way
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
    }

    /** A fresh worker thread whose first task loads Symja and its evaluator. Called with this locked. */
    private void startWorker() {
        worker = Executors.newSingleThreadExecutor(r -> Thread.ofPlatform().name("r1j-symja").daemon(true).unstarted(r));
        loaded = worker.submit(() -> current.set(evaluator.get()));
    }

    private static IExpr parse(String tex) {
        try {
            IExpr e = new TeXParser().parse(tex);
            return e == null || e.isAST(F.Null) ? null : e;
        } catch (RuntimeException | StackOverflowError e) {
            return null;
        }
    }

    private static Double number(ExprEvaluator ev, IExpr e) {
        IExpr n = ev.eval(F.N(e));
        if (n.isReal()) {
            return n.evalf();
        }
        if (n.isNumber() && n.im().isZero()) {
            return n.re().evalf();
        }
        return null;
    }

    private static Boolean vanishesAtProbes(ExprEvaluator ev, IExpr diff) {
        IExpr vars = ev.eval(F.Variables(diff));
        if (!vars.isList() || vars.argSize() == 0 || vars.argSize() > 4) {
            return false;
        }
        for (double[] point : PROBES) {
            IExpr rules = F.List();
            List<IExpr> rs = new java.util.ArrayList<>();
            for (int i = 1; i <= vars.argSize(); i++) {
                rs.add(F.Rule(vars.getAt(i), F.num(point[i - 1])));
            }
            rules = F.List(rs.toArray(new IExpr[0]));
            Double d = number(ev, ev.eval(F.ReplaceAll(diff, rules)));
            if (d == null || Math.abs(d) > 1e-8) {
                return false;
            }
        }
        return true;
    }
}
