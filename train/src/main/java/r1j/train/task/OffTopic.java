package r1j.train.task;

import java.util.List;
import java.util.random.RandomGenerator;

/**
 * A message that is not an arithmetic question ({@code Hello}, {@code What is the capital of Peru?}, {@code What is
 * 12 / 4?}): the tiny model cannot answer it, so the right reply is a short, honest one in the R1 format that says
 * what it can do. It has no boxed answer; it is answered when the reply after {@code </think>} is {@link #REPLY}.
 *
 * @param text the message as typed
 */
public record OffTopic(String text) implements Problem {

    /** The reasoning: what kind of question this is. */
    public static final String THOUGHT = "This is not an addition, subtraction or multiplication of whole numbers.\n";

    /** The answer after {@code </think>}. */
    public static final String REPLY = "I am a tiny model that can only add, subtract and multiply whole numbers, "
            + "for example \"What is 12 + 7?\". Please ask me one of those.";

    public OffTopic {
        if (text == null || text.isBlank()) {
            throw new IllegalArgumentException("an off-topic message needs text");
        }
    }

    private static final List<String> FIXED = List.of("hi", "Hi", "hello", "Hello!", "Hey there", "hey", "Good morning",
            "Hi, how are you?", "How are you?", "Who are you?", "What can you do?", "What is your name?", "Are you an AI?",
            "help", "Help me", "Thanks!", "thank you", "ok", "Why is the sky blue?", "Tell me a joke.", "What time is it?",
            "What year is it?", "How old are you?", "Can you code?", "Write me a story.", "bye", "?", "What?", "test",
            "Explain quantum physics.", "What is love?", "Do you like music?", "asdf", "Good night", "yo");
    private static final List<String> NOUNS = List.of("cats", "the moon", "Paris", "coffee", "rain", "a robot", "music",
            "the ocean", "dogs", "winter", "friendship", "Java", "trees", "the weather", "chess", "a dragon", "history",
            "football", "bread", "mountains", "my homework", "a birthday", "stars", "the internet", "pizza", "books");
    private static final List<String> PLACES = List.of("France", "Peru", "Japan", "Kenya", "Canada", "Italy", "Chile",
            "Norway", "Egypt", "India", "Brazil", "Spain", "Mexico", "Ghana", "Poland", "Vietnam");
    private static final List<String> TEMPLATES = List.of("What is the capital of %p?", "Where is %p?",
            "Tell me about %n.", "Write a poem about %n.", "Tell me a joke about %n.", "What do you think of %n?",
            "Explain %n to me.", "Why do people like %n?", "Can you help me with %n?", "I love %n.", "Describe %n.",
            "What is %n?", "How do I learn about %n?", "Translate \"%n\" into French.", "Is %n good?",
            "Give me three facts about %p.", "what's the weather in %p", "Summarize the history of %p.");

    /** A random non-arithmetic message: a fixed small-talk line, a templated question, or a division or power. */
    public static OffTopic generate(RandomGenerator rnd) {
        return switch (rnd.nextInt(5)) {
            case 0 -> new OffTopic(FIXED.get(rnd.nextInt(FIXED.size())));
            case 1 -> { // operations the model does not do: it should say so, not guess
                int x = 1 + rnd.nextInt(999), y = 1 + rnd.nextInt(99);
                String[] forms = {"What is %d / %d?", "%d/%d", "What is %d divided by %d?", "What is %d to the power of %d?",
                        "What is the square root of %d?", "Is %d a prime number?"};
                String f = forms[rnd.nextInt(forms.length)];
                yield new OffTopic(f.formatted(x, y)); // a one-number form ignores y
            }
            default -> {
                String t = TEMPLATES.get(rnd.nextInt(TEMPLATES.size()));
                yield new OffTopic(t.replace("%n", NOUNS.get(rnd.nextInt(NOUNS.size())))
                        .replace("%p", PLACES.get(rnd.nextInt(PLACES.size()))));
            }
        };
    }

    @Override
    public String key() { return "offtopic:" + text; }

    @Override
    public String family() { return "offtopic"; }

    @Override
    public String question(RandomGenerator rnd) { return rnd.nextInt(5) == 0 ? text + "\n" : text; }

    @Override
    public String question() { return text; }

    @Override
    public String trace() { return THOUGHT; }

    @Override
    public String answer() { return REPLY; }

    /** Never: an off-topic message has no boxed answer. */
    @Override
    public boolean accepts(String boxed) { return false; }

    @Override
    public boolean answeredBy(String answerPart) { return answerPart.strip().equals(REPLY); }

    @Override
    public boolean boxes() { return false; }
}
