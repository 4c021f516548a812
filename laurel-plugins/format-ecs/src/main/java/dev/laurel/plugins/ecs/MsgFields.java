package dev.laurel.plugins.ecs;

import dev.laurel.api.internal.MessageFields;

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
        MessageFields m = msg == null ? null : MessageFields.find(msg, 0, msg.length, key);
        return m == null || m.isNone() ? null : Arrays.copyOfRange(msg, m.valueStart(), m.valueEnd());
    }
}
