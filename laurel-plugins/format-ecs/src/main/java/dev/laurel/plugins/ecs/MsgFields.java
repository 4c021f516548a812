package dev.laurel.plugins.ecs;

import java.util.Arrays;

/**
 * The {@code key=value} pairs inside a user-space record's {@code msg} (PAM's
 * {@code op=PAM:session_open grantors=... acct="alice" exe="/usr/sbin/sshd" ... res=success}),
 * read for the few ECS fields they fill; the msg itself is kept whole under {@code auditd.}.
 *
 * <pre>{@code
 * MsgFields.get("op=x acct=\"alice\" res=success".getBytes(), "acct");   // "alice"
 * MsgFields.get(msg, "addr");                                          // null for addr=?
 * }</pre>
 */
final class MsgFields {
    private MsgFields() {
    }

    /** The value of {@code key} without its quotes, or null if absent, empty or {@code ?}. */
    static byte[] get(byte[] msg, String key) {
        if (msg == null) {
            return null;
        }
        int n = msg.length;
        int i = 0;
        while (i < n) {
            while (i < n && msg[i] == ' ') {
                i++;
            }
            int keyStart = i;
            while (i < n && msg[i] != '=' && msg[i] != ' ') {
                i++;
            }
            if (i >= n || msg[i] != '=') {
                continue;
            }
            boolean match = i - keyStart == key.length() && startsWith(msg, keyStart, key);
            i++;
            int valueStart;
            int valueEnd;
            if (i < n && msg[i] == '"') {
                valueStart = i + 1;
                int close = valueStart;
                while (close < n && msg[close] != '"') {
                    close++;
                }
                valueEnd = close;
                i = close + 1;
            } else {
                valueStart = i;
                while (i < n && msg[i] != ' ') {
                    i++;
                }
                valueEnd = i;
            }
            if (match) {
                boolean none = valueEnd == valueStart || valueEnd - valueStart == 1 && msg[valueStart] == '?';
                return none ? null : Arrays.copyOfRange(msg, valueStart, valueEnd);
            }
        }
        return null;
    }

    private static boolean startsWith(byte[] b, int at, String s) {
        for (int k = 0; k < s.length(); k++) {
            if (b[at + k] != s.charAt(k)) {
                return false;
            }
        }
        return true;
    }
}
