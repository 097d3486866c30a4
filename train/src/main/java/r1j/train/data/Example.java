package r1j.train.data;

/**
 * One tokenised training sequence: {@code ids} and, per position, the next token to learn or -1 (prompt positions:
 * only the assistant's reasoning and answer are learned).
 */
public record Example(int[] ids, int[] targets) {
    public Example {
        if (ids.length != targets.length) {
            throw new IllegalArgumentException("ids and targets differ in length");
        }
    }

    public int length() { return ids.length; }
}
