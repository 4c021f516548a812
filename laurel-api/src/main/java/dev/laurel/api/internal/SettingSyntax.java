package dev.laurel.api.internal;

import java.time.Duration;

/**
 * How setting values are written in a config: the one parser (and printer) of whole numbers,
 * durations and byte sizes, used by the engine's config loader for every
 * {@link dev.laurel.api.Setting} and by plugins whose options mix words and durations
 * (e.g. json-file's {@code fsync: never | always | 1s}).
 */
public final class SettingSyntax {
    private static final String[] SIZE_UNITS = {"KiB", "MiB", "GiB", "TiB"};
    /** Twelve digits of hours still fit a Duration; more is a typo, not a wish. */
    private static final int MAX_DURATION_DIGITS = 12;

    private SettingSyntax() {
    }

    /**
     * Decimal (with YAML's optional {@code _} separators, an optional sign) or {@code 0x}
     * hexadecimal; {@code null} if neither.
     */
    public static Long integer(String text) {
        if (text == null || text.isEmpty()) {
            return null;
        }
        String digits = text.replace("_", "");
        int radix = 10;
        boolean negative = false;
        int start = 0;
        if (digits.startsWith("-") || digits.startsWith("+")) {
            negative = digits.charAt(0) == '-';
            start = 1;
        }
        if (digits.startsWith("0x", start) || digits.startsWith("0X", start)) {
            radix = 16;
            start += 2;
        }
        if (start >= digits.length() || Character.digit(digits.charAt(start), radix) < 0) {
            return null;
        }
        try {
            return Long.parseLong((negative ? "-" : "") + digits.substring(start), radix);
        } catch (NumberFormatException e) {
            return null;
        }
    }

    /** {@code 250ms}, {@code 3s}, {@code 5m}, {@code 1h} or {@code 0}; {@code null} for anything else. */
    public static Duration duration(String text) {
        if (text == null) {
            return null;
        }
        if (text.equals("0")) {
            return Duration.ZERO;
        }
        int digits = leadingDigits(text);
        if (digits == 0 || digits > MAX_DURATION_DIGITS) {
            return null;
        }
        long n = Long.parseLong(text.substring(0, digits));
        return switch (text.substring(digits)) {
            case "ms" -> Duration.ofMillis(n);
            case "s" -> Duration.ofSeconds(n);
            case "m" -> Duration.ofMinutes(n);
            case "h" -> Duration.ofHours(n);
            default -> null;
        };
    }

    /**
     * A number of bytes: a whole number as {@link #integer} reads it ({@code 16777216},
     * {@code 16_777_216}) or digits with a binary unit ({@code 64KiB}, {@code 16MiB}, {@code 1GiB},
     * {@code 1TiB}); {@code null} for anything else, a negative number or one past {@link Long#MAX_VALUE}.
     */
    public static Long byteSize(String text) {
        if (text == null) {
            return null;
        }
        for (int i = 0; i < SIZE_UNITS.length; i++) {
            if (text.endsWith(SIZE_UNITS[i])) {
                String number = text.substring(0, text.length() - SIZE_UNITS[i].length());
                if (number.isEmpty() || leadingDigits(number) != number.length() || number.length() > 18) {
                    return null;
                }
                try {
                    return Math.multiplyExact(Long.parseLong(number), 1L << (10 * (i + 1)));
                } catch (ArithmeticException e) {
                    return null;
                }
            }
        }
        Long n = integer(text);
        return n == null || n < 0 ? null : n;
    }

    /** A duration as {@link #duration} reads it, in the largest unit that is exact: {@code 3s}, {@code 100ms}. */
    public static String format(Duration d) {
        long ms = d.toMillis();
        if (ms == 0) {
            return "0";
        }
        if (ms % 3_600_000 == 0) {
            return ms / 3_600_000 + "h";
        }
        if (ms % 60_000 == 0) {
            return ms / 60_000 + "m";
        }
        if (ms % 1000 == 0) {
            return ms / 1000 + "s";
        }
        return ms + "ms";
    }

    /** A byte size as {@link #byteSize} reads it, in the largest unit that is exact: {@code 16MiB}, {@code 1000}. */
    public static String formatByteSize(long bytes) {
        for (int i = SIZE_UNITS.length - 1; i >= 0; i--) {
            long unit = 1L << (10 * (i + 1));
            if (bytes != 0 && bytes % unit == 0) {
                return bytes / unit + SIZE_UNITS[i];
            }
        }
        return Long.toString(bytes);
    }

    private static int leadingDigits(String text) {
        int digits = 0;
        while (digits < text.length() && text.charAt(digits) >= '0' && text.charAt(digits) <= '9') {
            digits++;
        }
        return digits;
    }
}
