package r1j.grammar;

import java.util.List;

/**
 * One value position of a compiled schema: what JSON may appear there. Nodes are immutable and compared by identity
 * (the matcher's frames point at them), so a schema compiles to a graph that {@code $ref} may make cyclic.
 */
sealed interface GrammarNode {

    /** An object whose keys are {@code properties} in this order, each optional unless {@code required}. */
    final class ObjectNode implements GrammarNode {
        final List<Property> properties;

        ObjectNode(List<Property> properties) {
            this.properties = List.copyOf(properties);
        }
    }

    /**
     * One property of an {@link ObjectNode}.
     *
     * @param key the JSON-escaped name followed by its closing quote, as UTF-8 (so no key is a prefix of another)
     */
    record Property(String name, byte[] key, GrammarNode value, boolean required) {
    }

    /** An array of {@code item}s, between {@code minItems} and {@code maxItems} of them. */
    final class ArrayNode implements GrammarNode {
        final GrammarNode item;
        final int minItems;
        final int maxItems;

        ArrayNode(GrammarNode item, int minItems, int maxItems) {
            this.item = item;
            this.minItems = minItems;
            this.maxItems = maxItems;
        }
    }

    /** A string of {@code minLength} to {@code maxLength} characters (code points; an escape is one). */
    final class StringNode implements GrammarNode {
        static final int UNBOUNDED = Integer.MAX_VALUE;
        final int minLength;
        final int maxLength;

        StringNode(int minLength, int maxLength) {
            this.minLength = minLength;
            this.maxLength = maxLength;
        }
    }

    /** A JSON number; {@code integer} allows neither fraction nor exponent. */
    final class NumberNode implements GrammarNode {
        final boolean integer;

        NumberNode(boolean integer) {
            this.integer = integer;
        }
    }

    /**
     * One of a fixed set of values (enum, const, {@code true}/{@code false}/{@code null}): their compact JSON
     * encodings, sorted by unsigned bytes so the ones sharing a prefix form a contiguous range.
     */
    final class LiteralsNode implements GrammarNode {
        final byte[][] literals;

        LiteralsNode(byte[][] literals) {
            this.literals = literals;
        }
    }

    /** Any of the alternatives ({@code anyOf}, {@code oneOf}, a list of types). */
    final class AnyOfNode implements GrammarNode {
        final List<GrammarNode> alternatives;

        AnyOfNode(List<GrammarNode> alternatives) {
            this.alternatives = List.copyOf(alternatives);
        }
    }

    /**
     * Any JSON value ({@code objectOnly}: any object), nested at most {@code depth} more levels; free-form keys and
     * values. {@code {"type": "json_object"}} is {@code new AnyJsonNode(true, MAX_DEPTH)}.
     */
    final class AnyJsonNode implements GrammarNode {
        static final int MAX_DEPTH = 8;
        final boolean objectOnly;
        final int depth;

        AnyJsonNode(boolean objectOnly, int depth) {
            this.objectOnly = objectOnly;
            this.depth = depth;
        }
    }

    /** A {@code $ref}: resolved after the whole schema is compiled, so references may be recursive. */
    final class RefNode implements GrammarNode {
        final String ref;
        GrammarNode target;

        RefNode(String ref) {
            this.ref = ref;
        }
    }
}
