package r1j.cli.store;

import java.util.Locale;

/** Byte counts for people: decimal units (kB, MB, GB) as download sites and {@code ollama list} show them. */
public final class ByteSizes {

    private static final String[] UNITS = {"kB", "MB", "GB", "TB"};

    private ByteSizes() {
    }

    /** @return e.g. {@code "512 B"}, {@code "4.7 GB"}, {@code "986.5 MB"} */
    public static String human(long bytes) {
        if (bytes < 1000) {
            return bytes + " B";
        }
        double value = bytes;
        int unit = -1;
        while (value >= 999.95 && unit < UNITS.length - 1) {
            value /= 1000;
            unit++;
        }
        return String.format(Locale.ROOT, "%.1f %s", value, UNITS[unit]);
    }
}
