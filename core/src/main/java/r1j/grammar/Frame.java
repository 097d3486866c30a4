package r1j.grammar;

import java.util.List;
import r1j.grammar.GrammarNode.AnyJsonNode;
import r1j.grammar.GrammarNode.AnyOfNode;
import r1j.grammar.GrammarNode.ArrayNode;
import r1j.grammar.GrammarNode.LiteralsNode;
import r1j.grammar.GrammarNode.NumberNode;
import r1j.grammar.GrammarNode.ObjectNode;
import r1j.grammar.GrammarNode.RefNode;
import r1j.grammar.GrammarNode.StringNode;

/**
 * Where the matcher is inside one value: the top of a {@link Stack} of open values. Frames are immutable records;
 * feeding a byte emits zero (rejected), one, or several (an {@code anyOf} still undecided) successor stacks, so a
 * state can be shared by every token that starts with the same bytes.
 *
 * <p>Finishing a value pops its frame: the parent frame was already left in its "after the value" phase when the
 * child was pushed. A number (or an enum value that is a prefix of another) only knows it has ended when the next
 * byte is not part of it; it then pops and hands that byte to its parent.
 */
sealed interface Frame {

    /** Feeds byte {@code b} (0–255) to {@code self} (whose top is this frame); adds the successor stacks to {@code out}. */
    void feed(int b, Stack self, List<Stack> out);

    /** Whether the value could end right here (then, at the root, the whole output is complete). */
    boolean canClose();

    /** An immutable stack of open values; {@code parent} is {@code null} at the root value. */
    record Stack(Frame top, Stack parent) {
        Stack replace(Frame f) {
            return new Stack(f, parent);
        }
    }

    /** The stack after the root value has ended: accepts nothing more. */
    Stack DONE = new Stack(Done.INSTANCE, null);

    int MAX_INT_DIGITS = 20;   // bounds, so that a model cannot write digits forever (a long has 19 digits,
    int MAX_FRAC_DIGITS = 20;  // a double prints at most 17 significant ones)
    int MAX_EXP_DIGITS = 3;

    static void pop(Stack self, List<Stack> out) {
        out.add(self.parent() == null ? DONE : self.parent());
    }

    static void popThenFeed(Stack self, int b, List<Stack> out) {
        Stack parent = self.parent();
        if (parent != null) {
            parent.top().feed(b, parent, out);
        }
    }

    /** Starts a value of {@code node} with its first byte {@code b}, pushed on {@code parent}. */
    static void start(GrammarNode node, int b, Stack parent, List<Stack> out) {
        switch (node) {
            case ObjectNode o -> {
                if (b == '{') {
                    out.add(new Stack(new ObjectFrame(o, 0, ObjectFrame.OPEN, 0, 0L), parent));
                }
            }
            case ArrayNode a -> {
                if (b == '[') {
                    out.add(new Stack(new ArrayFrame(a, 0, ArrayFrame.OPEN), parent));
                }
            }
            case StringNode s -> {
                if (b == '"') {
                    out.add(new Stack(new StringFrame(s.minLength, s.maxLength, 0, StringFrame.NORMAL), parent));
                }
            }
            case NumberNode n -> NumberFrame.start(n.integer, b, parent, out);
            case LiteralsNode l -> {
                LiteralFrame f = new LiteralFrame(l, 0, l.literals.length, 0);
                f.feed(b, new Stack(f, parent), out);
            }
            case AnyOfNode a -> {
                for (GrammarNode alt : a.alternatives) {
                    start(alt, b, parent, out);
                }
            }
            case AnyJsonNode j -> startAny(j, b, parent, out);
            case RefNode r -> start(r.target, b, parent, out);
        }
    }

    private static void startAny(AnyJsonNode j, int b, Stack parent, List<Stack> out) {
        if (b == '{' && j.depth > 0) {
            out.add(new Stack(new FreeFrame(true, j.depth - 1, FreeFrame.OPEN), parent));
            return;
        }
        if (j.objectOnly) {
            return;
        }
        if (b == '[' && j.depth > 0) {
            out.add(new Stack(new FreeFrame(false, j.depth - 1, FreeFrame.OPEN), parent));
        } else if (b == '"') {
            out.add(new Stack(new StringFrame(0, StringNode.UNBOUNDED, 0, StringFrame.NORMAL), parent));
        } else {
            NumberFrame.start(false, b, parent, out);
            start(SchemaCompiler.SCALAR_LITERALS, b, parent, out);
        }
    }

    /** Expects the first byte of a value of {@code node}. */
    record ExpectValue(GrammarNode node) implements Frame {
        @Override
        public void feed(int b, Stack self, List<Stack> out) {
            start(node, b, self.parent(), out);
        }

        @Override
        public boolean canClose() {
            return false;
        }
    }

    /** The root value has ended. */
    enum Done implements Frame {
        INSTANCE;

        @Override
        public void feed(int b, Stack self, List<Stack> out) {
        }

        @Override
        public boolean canClose() {
            return true;
        }
    }

    /**
     * Inside an object of a schema: {@code next} is the first property that may still come (properties appear in
     * schema order); while reading a key, {@code alive} has a bit per property whose key still matches the
     * {@code keyPos} bytes read.
     */
    record ObjectFrame(ObjectNode node, int next, int phase, int keyPos, long alive) implements Frame {
        static final int OPEN = 0, KEY = 1, COLON = 2, AFTER_VALUE = 3, AFTER_COMMA = 4;

        @Override
        public void feed(int b, Stack self, List<Stack> out) {
            switch (phase) {
                case OPEN, AFTER_COMMA -> {
                    long c = candidates();
                    if (b == '"' && c != 0) {
                        out.add(self.replace(new ObjectFrame(node, next, KEY, 0, c)));
                    } else if (b == '}' && phase == OPEN && canEnd()) {
                        pop(self, out);
                    }
                }
                case KEY -> readKey(b, self, out);
                case COLON -> {
                    if (b == ':') {
                        Stack after = self.replace(new ObjectFrame(node, next + 1, AFTER_VALUE, 0, 0L));
                        out.add(new Stack(new ExpectValue(node.properties.get(next).value()), after));
                    }
                }
                case AFTER_VALUE -> {
                    if (b == ',' && candidates() != 0) {
                        out.add(self.replace(new ObjectFrame(node, next, AFTER_COMMA, 0, 0L)));
                    } else if (b == '}' && canEnd()) {
                        pop(self, out);
                    }
                }
                default -> throw new AssertionError(phase);
            }
        }

        private void readKey(int b, Stack self, List<Stack> out) {
            long still = 0;
            for (long m = alive; m != 0; m &= m - 1) {
                int j = Long.numberOfTrailingZeros(m);
                byte[] key = node.properties.get(j).key();
                if (keyPos < key.length && (key[keyPos] & 0xFF) == b) {
                    if (keyPos + 1 == key.length) { // the closing quote: this key is complete and unique
                        out.add(self.replace(new ObjectFrame(node, j, COLON, 0, 0L)));
                        return;
                    }
                    still |= 1L << j;
                }
            }
            if (still != 0) {
                out.add(self.replace(new ObjectFrame(node, next, KEY, keyPos + 1, still)));
            }
        }

        /** Properties that may come next: from {@code next} up to and including the first required one. */
        private long candidates() {
            long c = 0;
            for (int j = next; j < node.properties.size(); j++) {
                c |= 1L << j;
                if (node.properties.get(j).required()) {
                    break;
                }
            }
            return c;
        }

        private boolean canEnd() {
            for (int j = next; j < node.properties.size(); j++) {
                if (node.properties.get(j).required()) {
                    return false;
                }
            }
            return true;
        }

        @Override
        public boolean canClose() {
            return false;
        }
    }

    /** Inside an array of a schema, {@code count} items begun. */
    record ArrayFrame(ArrayNode node, int count, int phase) implements Frame {
        static final int OPEN = 0, AFTER_VALUE = 1, AFTER_COMMA = 2;

        @Override
        public void feed(int b, Stack self, List<Stack> out) {
            switch (phase) {
                case OPEN -> {
                    if (b == ']' && node.minItems == 0) {
                        pop(self, out);
                    } else if (node.maxItems > 0) {
                        start(node.item, b, self.replace(new ArrayFrame(node, 1, AFTER_VALUE)), out);
                    }
                }
                case AFTER_VALUE -> {
                    if (b == ',' && count < node.maxItems) {
                        out.add(self.replace(new ArrayFrame(node, count, AFTER_COMMA)));
                    } else if (b == ']' && count >= node.minItems) {
                        pop(self, out);
                    }
                }
                case AFTER_COMMA -> start(node.item, b, self.replace(new ArrayFrame(node, count + 1, AFTER_VALUE)), out);
                default -> throw new AssertionError(phase);
            }
        }

        @Override
        public boolean canClose() {
            return false;
        }
    }

    /** Inside a free-form object or array ({@link AnyJsonNode}) whose values may nest {@code depth} more levels. */
    record FreeFrame(boolean object, int depth, int phase) implements Frame {
        static final int OPEN = 0, COLON = 1, AFTER_VALUE = 2, AFTER_COMMA = 3;

        @Override
        public void feed(int b, Stack self, List<Stack> out) {
            int close = object ? '}' : ']';
            switch (phase) {
                case OPEN, AFTER_COMMA -> {
                    if (b == close && phase == OPEN) {
                        pop(self, out);
                    } else if (object && b == '"') {
                        Stack parent = self.replace(new FreeFrame(true, depth, COLON));
                        out.add(new Stack(new StringFrame(0, StringNode.UNBOUNDED, 0, StringFrame.NORMAL), parent));
                    } else if (!object) {
                        start(SchemaCompiler.anyValue(depth), b, self.replace(new FreeFrame(false, depth, AFTER_VALUE)), out);
                    }
                }
                case COLON -> {
                    if (b == ':') {
                        Stack after = self.replace(new FreeFrame(true, depth, AFTER_VALUE));
                        out.add(new Stack(new ExpectValue(SchemaCompiler.anyValue(depth)), after));
                    }
                }
                case AFTER_VALUE -> {
                    if (b == ',') {
                        out.add(self.replace(new FreeFrame(object, depth, AFTER_COMMA)));
                    } else if (b == close) {
                        pop(self, out);
                    }
                }
                default -> throw new AssertionError(phase);
            }
        }

        @Override
        public boolean canClose() {
            return false;
        }
    }

    /**
     * Inside a string, after the opening quote: {@code length} characters so far (an escape or a multi-byte UTF-8
     * character counts once); {@code state} is {@link #NORMAL}, {@link #ESCAPE} after a backslash, or how many hex
     * digits of a {@code \}{@code u} escape or UTF-8 continuation bytes are still due.
     */
    record StringFrame(int minLength, int maxLength, int length, int state) implements Frame {
        static final int NORMAL = 0, ESCAPE = 1;
        static final int HEX = 10;   // HEX + k: k hex digits due
        static final int CONT = 20;  // CONT + k: k continuation bytes due
        static final int SURROGATE = 30; // after "\\ud": a surrogate half if the next digit is 8-f
        static final int HIGH = 40;      // HIGH + k: k hex digits of a high surrogate due
        static final int LOW = 50;       // LOW + i: i characters of the "\\udc" that must follow a high surrogate read

        @Override
        public void feed(int b, Stack self, List<Stack> out) {
            if (state == NORMAL) {
                if (b == '"') {
                    if (length >= minLength) {
                        pop(self, out);
                    }
                    return;
                }
                if (length >= maxLength) {
                    return; // only the closing quote fits (an escape opened here could never finish)
                }
                if (b == '\\') {
                    out.add(self.replace(new StringFrame(minLength, maxLength, length, ESCAPE)));
                    return;
                }
                int next;
                if (b < 0x20) {
                    return;
                } else if (b < 0x80) {
                    next = NORMAL;
                } else if (b >= 0xC2 && b <= 0xDF) {
                    next = CONT + 1;
                } else if (b >= 0xE0 && b <= 0xEF) {
                    next = CONT + 2;
                } else if (b >= 0xF0 && b <= 0xF4) {
                    next = CONT + 3;
                } else {
                    return; // a continuation byte without a lead, or a byte UTF-8 never uses
                }
                counted(next, out, self);
            } else if (state == ESCAPE) {
                if (b == '"' || b == '\\' || b == '/' || b == 'b' || b == 'f' || b == 'n' || b == 'r' || b == 't') {
                    counted(NORMAL, out, self);
                } else if (b == 'u') {
                    out.add(self.replace(new StringFrame(minLength, maxLength, length, HEX + 4)));
                }
            } else if (state == HEX + 4) {
                if (b == 'd' || b == 'D') {
                    out.add(self.replace(new StringFrame(minLength, maxLength, length, SURROGATE)));
                } else if (isHex(b)) {
                    counted(HEX + 3, out, self);
                }
            } else if (state == SURROGATE) {
                // A high surrogate escape (D800-DBFF) must be followed by the escape of a low one (DC00-DFFF):
                // the pair is one character; a lone half is refused (not Unicode).
                if ((b >= '8' && b <= '9') || (b >= 'a' && b <= 'b') || (b >= 'A' && b <= 'B')) {
                    counted(HIGH + 2, out, self);
                } else if (b >= '0' && b <= '7') {
                    counted(HEX + 2, out, self);
                }
            } else if (state == HIGH + 2 || state == HIGH + 1) {
                if (isHex(b)) {
                    out.add(self.replace(new StringFrame(minLength, maxLength, length, state == HIGH + 2 ? HIGH + 1 : LOW)));
                }
            } else if (state >= LOW && state < LOW + 4) {
                int k = state - LOW;
                boolean ok = switch (k) {
                    case 0 -> b == '\\';
                    case 1 -> b == 'u';
                    case 2 -> b == 'd' || b == 'D';
                    default -> (b >= 'c' && b <= 'f') || (b >= 'C' && b <= 'F');
                };
                if (ok) {
                    out.add(self.replace(new StringFrame(minLength, maxLength, length, k == 3 ? HEX + 2 : state + 1)));
                }
            } else if (state > HEX && state < HEX + 4) {
                if (isHex(b)) {
                    int left = state - HEX - 1;
                    out.add(self.replace(new StringFrame(minLength, maxLength, length, left == 0 ? NORMAL : HEX + left)));
                }
            } else if (b >= 0x80 && b <= 0xBF) {
                int left = state - CONT - 1;
                out.add(self.replace(new StringFrame(minLength, maxLength, length, left == 0 ? NORMAL : CONT + left)));
            }
        }

        /** One more character, if {@code maxLength} has room, going on in {@code next}. */
        private void counted(int next, List<Stack> out, Stack self) {
            if (length < maxLength) {
                out.add(self.replace(new StringFrame(minLength, maxLength, length + 1, next)));
            }
        }

        private static boolean isHex(int b) {
            return (b >= '0' && b <= '9') || (b >= 'a' && b <= 'f') || (b >= 'A' && b <= 'F');
        }

        /**
         * Whether, with {@code due} continuation bytes due, any {@code chars} more plain characters may follow
         * without reaching {@code maxLength}.
         */
        boolean acceptsPlainRun(int due, int chars) {
            int here = state == NORMAL ? 0 : state > CONT && state <= CONT + 3 ? state - CONT : -1;
            return here == due && maxLength - length >= chars;
        }

        /** UTF-8 continuation bytes due (0–3) while reading plain content, or −1 inside an escape. */
        int continuationDue() {
            return state == NORMAL ? 0 : state > CONT && state <= CONT + 3 ? state - CONT : -1;
        }

        @Override
        public boolean canClose() {
            return false;
        }
    }

    /** Inside a number (JSON's grammar; {@code integer}: no fraction or exponent), {@code digits} in this part. */
    record NumberFrame(boolean integer, int phase, int digits) implements Frame {
        static final int MINUS = 0, ZERO = 1, INT = 2, DOT = 3, FRAC = 4, E = 5, E_SIGN = 6, EXP = 7;

        static void start(boolean integer, int b, Stack parent, List<Stack> out) {
            if (b == '-') {
                out.add(new Stack(new NumberFrame(integer, MINUS, 0), parent));
            } else if (b == '0') {
                out.add(new Stack(new NumberFrame(integer, ZERO, 1), parent));
            } else if (b >= '1' && b <= '9') {
                out.add(new Stack(new NumberFrame(integer, INT, 1), parent));
            }
        }

        @Override
        public void feed(int b, Stack self, List<Stack> out) {
            boolean digit = b >= '0' && b <= '9';
            switch (phase) {
                case MINUS -> {
                    if (b == '0') {
                        go(self, ZERO, 1, out);
                    } else if (digit) {
                        go(self, INT, 1, out);
                    }
                }
                case ZERO, INT -> {
                    if (digit && phase == INT && digits < MAX_INT_DIGITS) {
                        go(self, INT, digits + 1, out);
                    } else if (b == '.' && !integer) {
                        go(self, DOT, 0, out);
                    } else if ((b == 'e' || b == 'E') && !integer) {
                        go(self, E, 0, out);
                    } else {
                        popThenFeed(self, b, out);
                    }
                }
                case DOT -> {
                    if (digit) {
                        go(self, FRAC, 1, out);
                    }
                }
                case FRAC -> {
                    if (digit && digits < MAX_FRAC_DIGITS) {
                        go(self, FRAC, digits + 1, out);
                    } else if (b == 'e' || b == 'E') {
                        go(self, E, 0, out);
                    } else {
                        popThenFeed(self, b, out);
                    }
                }
                case E -> {
                    if (b == '+' || b == '-') {
                        go(self, E_SIGN, 0, out);
                    } else if (digit) {
                        go(self, EXP, 1, out);
                    }
                }
                case E_SIGN -> {
                    if (digit) {
                        go(self, EXP, 1, out);
                    }
                }
                case EXP -> {
                    if (digit && digits < MAX_EXP_DIGITS) {
                        go(self, EXP, digits + 1, out);
                    } else {
                        popThenFeed(self, b, out);
                    }
                }
                default -> throw new AssertionError(phase);
            }
        }

        private void go(Stack self, int phase, int digits, List<Stack> out) {
            out.add(self.replace(new NumberFrame(integer, phase, digits)));
        }

        @Override
        public boolean canClose() {
            return phase == ZERO || phase == INT || phase == FRAC || phase == EXP;
        }
    }

    /** Inside one of a fixed set of values: {@code literals[lo, hi)} all start with the {@code pos} bytes read. */
    record LiteralFrame(LiteralsNode node, int lo, int hi, int pos) implements Frame {
        @Override
        public void feed(int b, Stack self, List<Stack> out) {
            byte[][] lits = node.literals;
            if (canClose()) { // a complete value that may also be the prefix of a longer one (enum [1, 12])
                popThenFeed(self, b, out);
            }
            int from = lo;
            while (from < hi && (lits[from].length <= pos || (lits[from][pos] & 0xFF) < b)) {
                from++;
            }
            int to = from;
            while (to < hi && lits[to].length > pos && (lits[to][pos] & 0xFF) == b) {
                to++;
            }
            if (to > from) {
                out.add(self.replace(new LiteralFrame(node, from, to, pos + 1)));
            }
        }

        @Override
        public boolean canClose() {
            return node.literals[lo].length == pos;
        }
    }
}
