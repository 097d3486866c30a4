package r1j.train.recipe;

/** Where the recipe reports what it is doing; the CLI draws progress bars, tests collect or ignore. */
public interface Progress {
    /** A step of a stage finished; {@code metrics} is a short human-readable summary. */
    void step(String stage, int step, int total, String metrics);

    /** A line worth showing (stage start, evaluation result, file written). */
    void info(String line);

    Progress SILENT = new Progress() {
        @Override
        public void step(String stage, int step, int total, String metrics) {}

        @Override
        public void info(String line) {}
    };
}
