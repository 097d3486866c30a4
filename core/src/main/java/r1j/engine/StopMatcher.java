package r1j.engine;

import java.util.List;

/**
 * Finds stop strings in streamed answer text. Text that might be the start of a stop string is held back until the
 * next piece decides, so a caller never sees part of a stop string, even one split across tokens
 * ({@code "EN"} + {@code "D"} for stop {@code "END"}). One instance per sequence; not thread-safe.
 */
final class StopMatcher {

    private final List<String> stops;
    private final StringBuilder pending = new StringBuilder();
    private boolean stopped;

    StopMatcher(List<String> stops) {
        for (String s : stops) {
            if (s.isEmpty()) {
                throw new IllegalArgumentException("a stop string must not be empty");
            }
        }
        this.stops = List.copyOf(stops);
    }

    /** Whether a stop string has been found; later text is ignored. */
    boolean stopped() {
        return stopped;
    }

    /**
     * Adds a piece of answer text and returns the text that is now safe to emit ("" when everything is held back).
     * After a stop string is found, returns the text before it and {@link #stopped()} turns true.
     */
    String accept(String text) {
        if (stopped) {
            return "";
        }
        if (stops.isEmpty()) {
            return text;
        }
        pending.append(text);
        int at = firstStop();
        if (at >= 0) {
            stopped = true;
            String out = pending.substring(0, at);
            pending.setLength(0);
            return out;
        }
        int keep = longestStopPrefixSuffix();
        String out = pending.substring(0, pending.length() - keep);
        pending.delete(0, pending.length() - keep);
        return out;
    }

    /** The held-back text, at the end of the sequence (it turned out not to be a stop string). */
    String flush() {
        String out = stopped ? "" : pending.toString();
        pending.setLength(0);
        return out;
    }

    /** Earliest index where any stop string occurs in the pending text, or -1. */
    private int firstStop() {
        int best = -1;
        for (String s : stops) {
            int i = pending.indexOf(s);
            if (i >= 0 && (best < 0 || i < best)) {
                best = i;
            }
        }
        return best;
    }

    /** Length of the longest suffix of the pending text that is a proper prefix of some stop string. */
    private int longestStopPrefixSuffix() {
        int n = pending.length();
        int best = 0;
        for (String s : stops) {
            for (int len = Math.min(s.length() - 1, n); len > best; len--) {
                if (regionMatches(n - len, s, len)) {
                    best = len;
                    break;
                }
            }
        }
        return best;
    }

    private boolean regionMatches(int from, String s, int len) {
        for (int i = 0; i < len; i++) {
            if (pending.charAt(from + i) != s.charAt(i)) {
                return false;
            }
        }
        return true;
    }
}
