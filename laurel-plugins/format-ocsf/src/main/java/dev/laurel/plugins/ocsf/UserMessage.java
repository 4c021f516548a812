package dev.laurel.plugins.ocsf;

import dev.laurel.api.internal.MessageFields;

import java.nio.charset.StandardCharsets;

/**
 * The {@code key=value} pairs inside a user-space record's {@code msg='...'} (PAM and shadow-utils
 * write {@code op=PAM:session_open acct="alice" exe="/usr/sbin/sshd" hostname=? addr=10.0.0.1
 * terminal=ssh res=success}), read with {@link MessageFields}. A value is bare, double-quoted, or
 * hex (auditd's encoding of a value with spaces or quotes); {@code ?} is no value.
 */
final class UserMessage {
    private final byte[] b;
    private final int off;
    private final int end;
    /** Whether the value {@link #get} last returned was double-quoted. */
    private boolean quoted;

    UserMessage(byte[] bytes, int offset, int length) {
        this.b = bytes;
        this.off = offset;
        this.end = offset + length;
    }

    /** The value of {@code key} as text, or null if the message has no such key or its value is {@code ?}. */
    String get(String key) {
        MessageFields m = MessageFields.find(b, off, end - off, key);
        if (m == null) {
            return null;
        }
        quoted = m.quoted();
        if (!quoted && m.isNone()) {
            return null;
        }
        return new String(b, m.valueStart(), m.valueEnd() - m.valueStart(), StandardCharsets.UTF_8);
    }

    /** {@code acct}: quoted, or hex when it holds spaces or quotes. */
    String account() {
        String acct = get("acct");
        return acct == null || quoted ? acct : unhex(acct);
    }

    /** A bare value that is all hex digits, of even length, decoded; otherwise as it is. */
    static String unhex(String v) {
        int n = v.length();
        if (n == 0 || n % 2 != 0) {
            return v;
        }
        byte[] out = new byte[n / 2];
        for (int i = 0; i < n; i += 2) {
            int hi = Character.digit(v.charAt(i), 16);
            int lo = Character.digit(v.charAt(i + 1), 16);
            if (hi < 0 || lo < 0 || Character.isLowerCase(v.charAt(i)) || Character.isLowerCase(v.charAt(i + 1))) {
                return v;
            }
            out[i / 2] = (byte) (hi << 4 | lo);
        }
        return new String(out, StandardCharsets.UTF_8);
    }
}
