package dev.laurel.api.internal;

/**
 * A cursor over the {@code key=value} pairs inside a user-space record's {@code msg='...'}
 * (PAM, shadow-utils: {@code op=PAM:session_open acct="alice" exe="/usr/sbin/sshd" res=success}):
 * the one reading of such a body that the formats and the sigma enricher share. A value is bare
 * (up to the next space) or double-quoted (up to the next {@code "}, or the end if unclosed); a
 * word without {@code =} is skipped. What an empty or {@code ?} value means is the caller's.
 *
 * <pre>{@code
 * MessageFields m = new MessageFields(msg, 0, msg.length);
 * while (m.next()) {
 *     if (m.keyIs("acct")) { ... msg[m.valueStart(), m.valueEnd()) ... }
 * }
 * }</pre>
 */
public final class MessageFields {
    private final byte[] b;
    private final int end;
    private int at;
    private int keyStart;
    private int keyEnd;
    private int valueStart;
    private int valueEnd;
    private boolean quoted;

    /** A cursor before the first pair of {@code bytes[offset, offset + length)}. */
    public MessageFields(byte[] bytes, int offset, int length) {
        this.b = bytes;
        this.at = offset;
        this.end = offset + length;
    }

    /** The first pair whose key is {@code key}, or null. */
    public static MessageFields find(byte[] bytes, int offset, int length, String key) {
        MessageFields m = new MessageFields(bytes, offset, length);
        while (m.next()) {
            if (m.keyIs(key)) {
                return m;
            }
        }
        return null;
    }

    /** Moves to the next {@code key=value}; false when there is none. */
    public boolean next() {
        int i = at;
        while (i < end) {
            while (i < end && b[i] == ' ') {
                i++;
            }
            int k = i;
            while (i < end && b[i] != '=' && b[i] != ' ') {
                i++;
            }
            if (i >= end || b[i] != '=') {
                continue;
            }
            keyStart = k;
            keyEnd = i;
            i++;
            quoted = i < end && b[i] == '"';
            if (quoted) {
                valueStart = i + 1;
                int close = valueStart;
                while (close < end && b[close] != '"') {
                    close++;
                }
                valueEnd = close;
                at = close + 1;
            } else {
                valueStart = i;
                while (i < end && b[i] != ' ') {
                    i++;
                }
                valueEnd = i;
                at = i;
            }
            return true;
        }
        at = end;
        return false;
    }

    /** Whether the current pair's key is {@code key} (ASCII). */
    public boolean keyIs(String key) {
        if (keyEnd - keyStart != key.length()) {
            return false;
        }
        for (int k = 0; k < key.length(); k++) {
            if (b[keyStart + k] != key.charAt(k)) {
                return false;
            }
        }
        return true;
    }

    public int keyStart() {
        return keyStart;
    }

    public int keyEnd() {
        return keyEnd;
    }

    /** Where the current value starts, after its opening quote if it has one. */
    public int valueStart() {
        return valueStart;
    }

    /** Where the current value ends, before its closing quote if it has one. */
    public int valueEnd() {
        return valueEnd;
    }

    /** Whether the current value was double-quoted. */
    public boolean quoted() {
        return quoted;
    }

    /** Whether the current value is empty or {@code ?}, auditd's "no value". */
    public boolean isNone() {
        int n = valueEnd - valueStart;
        return n == 0 || n == 1 && b[valueStart] == '?';
    }
}
