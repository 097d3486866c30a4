package r1j.train.task;

/**
 * Rule-based rewards as in DeepSeek-R1: accuracy (the content of the last {@code \boxed{…}} after {@code </think>}
 * answers the problem) and format (the completion reasons inside {@code <think>…</think>}, then boxes an answer).
 * The completion is the assistant text after the prompt's opening {@code <think>\n}.
 */
public final class Verifier {
    private Verifier() {}

    /** The content of the last {@code \boxed{...}} (nested braces allowed), or null. */
    public static String lastBoxed(String text) {
        int at = text.lastIndexOf("\\boxed{");
        if (at < 0) {
            return null;
        }
        int depth = 0;
        for (int i = at + 7; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '{') {
                depth++;
            } else if (c == '}') {
                if (depth == 0) {
                    return text.substring(at + 7, i);
                }
                depth--;
            }
        }
        return null;
    }

    /** The answer part: what follows {@code </think>}, or null when the reasoning never closed. */
    public static String answerPart(String completion) {
        int end = completion.indexOf("</think>");
        return end < 0 ? null : completion.substring(end + "</think>".length());
    }

    /** 1 when the answer part boxes a correct answer. */
    public static boolean correct(Problem p, String completion) {
        String answer = answerPart(completion);
        return answer != null && p.answeredBy(answer);
    }

    /** True for: reasoning, exactly one {@code </think>}, no second {@code <think>}, then a boxed answer. */
    public static boolean wellFormed(String completion) {
        int end = completion.indexOf("</think>");
        if (end <= 0 || completion.indexOf("</think>", end + 1) >= 0 || completion.contains("<think>")) {
            return false;
        }
        return lastBoxed(completion.substring(end)) != null;
    }

    /**
     * The format check for this problem's kind of answer: {@link #wellFormed(String)} for a boxed one; for a plain
     * reply ({@link OffTopic}) reasoning, exactly one {@code </think>}, no second {@code <think>}, and no box.
     */
    public static boolean wellFormed(Problem p, String completion) {
        if (p.boxes()) {
            return wellFormed(completion);
        }
        int end = completion.indexOf("</think>");
        return end > 0 && completion.indexOf("</think>", end + 1) < 0 && !completion.contains("<think>")
                && lastBoxed(completion) == null && !completion.substring(end + 8).isBlank();
    }

    /** R1's reward: accuracy 1 + format 0.5 (format alone is worth less than being right). */
    public static double reward(Problem p, String completion) {
        return (correct(p, completion) ? 1.0 : 0.0) + (wellFormed(p, completion) ? 0.5 : 0.0);
    }
}
