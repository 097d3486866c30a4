package r1j.train.recipe;

import java.util.List;
import r1j.train.task.Tasks;

/**
 * The fixed held-out sets every model is scored on, as a person chats: the final question is always from the test
 * side of the split (never trained on), phrased one of the many ways people type it.
 * <ul>
 *   <li>{@code single}: one question, no system prompt; + − × with operands of 1 to 4 digits in any mix of lengths
 *       (× 1–3 digits by 1–2);</li>
 *   <li>{@code turn3}: the same kind of question as the third user turn, after two answered ones;</li>
 *   <li>{@code system}: a held-out system prompt (never seen in training), then one to three turns;</li>
 *   <li>{@code offtopic}: a message that is not arithmetic, to be answered with the honest plain reply;</li>
 *   <li>{@code sub-4}: 4-digit − 4-digit alone, the hardest arithmetic, where GRPO's gain is measured.</li>
 * </ul>
 */
public final class HeldOut {
    private HeldOut() {}

    /** The splits the shipped model must answer at least 90% of. */
    public static final List<String> TARGETS = List.of("single", "turn3", "system");

    /** The splits reported beside them. */
    public static final List<String> OTHERS = List.of("offtopic", "sub-4");

    /** The first {@code n} conversations of a split (same seed, same set, same phrasings). */
    public static List<Dialogues.Dialogue> split(String name, int n) {
        return switch (name) {
            case "single" -> Dialogues.heldOut(Tasks.testSet("mixed", 4, n, 1234), 0, false, 11);
            case "turn3" -> Dialogues.heldOut(Tasks.testSet("mixed", 4, n, 1235), 2, false, 12);
            case "system" -> Dialogues.heldOut(Tasks.testSet("mixed", 4, n, 1236), -1, true, 13);
            case "offtopic" -> Dialogues.heldOut(Tasks.testSet("offtopic", 1, n, 1237), -1, false, 14);
            case "sub-4" -> Dialogues.heldOut(Tasks.testSet("sub", 4, n, 1234), 0, false, 15);
            default -> throw new IllegalArgumentException("unknown held-out split '%s'; known: %s, %s".formatted(name,
                    String.join(", ", TARGETS), String.join(", ", OTHERS)));
        };
    }
}
