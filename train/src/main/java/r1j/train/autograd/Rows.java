package r1j.train.autograd;

/**
 * Splits a loop over {@code n} independent rows among worker threads: {@code body.run(from, to)} for disjoint ranges
 * covering {@code [0, n)}. Implementations must return only when every range has run.
 */
@FunctionalInterface
public interface Rows {

    /** A body over the half-open row range {@code [from, to)}. */
    @FunctionalInterface
    interface Range {
        void run(int from, int to);
    }

    void forEach(int n, Range body);

    /** Runs everything on the calling thread (tests, tiny sizes). */
    Rows SERIAL = (n, body) -> body.run(0, n);
}
