package r1j.train.data;

import java.util.List;
import java.util.random.RandomGenerator;

/**
 * System prompts as people set them. Training draws from a generator (a role, a style, a rule, or a run of ordinary
 * words) so the model learns to read past any system text; the held-out list is written apart and never drawn in
 * training, so a conversation with a system prompt is scored on prompts the model has not seen.
 */
public final class SystemPrompts {
    private SystemPrompts() {}

    private static final List<String> COMMON = List.of("You are a helpful assistant.", "You are a helpful assistant",
            "You are a math tutor.", "Answer briefly.", "Think step by step.", "You are a calculator.",
            "You are DeepSeek-R1.", "Be concise.", "You are a friendly AI.", "Show your work.", "Reply in English.",
            "You are an assistant that answers questions.", "Always double-check your answer.");
    private static final List<String> ROLE = List.of("a helpful", "a friendly", "a careful", "a concise", "an expert",
            "a patient", "a smart", "a precise", "a cheerful", "an honest", "a fast", "a kind");
    private static final List<String> WHO = List.of("assistant", "math tutor", "calculator", "teacher", "AI",
            "chatbot", "model", "helper", "arithmetic expert", "bot");
    private static final List<String> RULE = List.of("Answer briefly.", "Think step by step.", "Show your work.",
            "Be polite.", "Check your answers.", "Keep it short.", "Explain your reasoning.", "Use simple words.",
            "Never guess.", "Answer the user's question.", "Be accurate.", "Give the final answer in a box.");
    private static final List<String> WORDS = List.of("the", "user", "is", "a", "student", "please", "answer", "with",
            "care", "and", "help", "them", "learn", "numbers", "today", "you", "will", "be", "asked", "questions",
            "about", "math", "good", "work", "always", "reply", "in", "short", "form", "school", "class", "quiz");

    /** A training system prompt. */
    public static String train(RandomGenerator rnd) {
        return switch (rnd.nextInt(4)) {
            case 0 -> COMMON.get(rnd.nextInt(COMMON.size()));
            case 1 -> "You are " + ROLE.get(rnd.nextInt(ROLE.size())) + " " + WHO.get(rnd.nextInt(WHO.size())) + "."
                    + (rnd.nextBoolean() ? " " + RULE.get(rnd.nextInt(RULE.size())) : "");
            case 2 -> RULE.get(rnd.nextInt(RULE.size())) + (rnd.nextBoolean() ? " " + RULE.get(rnd.nextInt(RULE.size())) : "");
            default -> {
                StringBuilder s = new StringBuilder();
                int n = 2 + rnd.nextInt(14);
                for (int i = 0; i < n; i++) {
                    String w = WORDS.get(rnd.nextInt(WORDS.size()));
                    s.append(i == 0 ? Character.toUpperCase(w.charAt(0)) + w.substring(1) : " " + w);
                }
                yield s.append('.').toString();
            }
        };
    }

    /** Held-out system prompts: none of these is ever drawn by {@link #train}. */
    public static final List<String> HELD_OUT = List.of(
            "You are a careful assistant who solves arithmetic problems.",
            "You are Tiny, a small reasoning model. Keep answers short.",
            "Please act as a math teacher for a ten year old.",
            "You are a helpful, respectful and honest assistant.",
            "Respond to every question accurately.",
            "You are an AI assistant. The user will ask you to do some math.",
            "Solve the problem and put the final answer in a box.",
            "You are r1j, a reasoning assistant running on a laptop.");
}
