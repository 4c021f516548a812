package dev.laurel.plugins.syslog;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Locale;

/**
 * The syslog header put before each event's JSON: RFC 5424 or RFC 3164 (BSD). The header's
 * constant part (priority, hostname, app-name, procid) is rendered once; per event only the
 * timestamp, which is the event's own time (audit's {@code msg=audit(SECONDS.MILLIS:...)}).
 */
final class SyslogFormat {
    enum Kind { RFC5424, RFC3164 }

    private static final DateTimeFormatter RFC5424_TIME =
            DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSXXX", Locale.ROOT);
    private static final DateTimeFormatter RFC3164_TIME =
            DateTimeFormatter.ofPattern("MMM ppd HH:mm:ss", Locale.ROOT);

    private final Kind kind;
    private final byte[] priority;
    private final byte[] afterTime;
    private final byte[] prefix;
    private final ZoneId zone;

    /** {@code hostname} may be {@code null} with RFC 3164 only: the header then has none. */
    SyslogFormat(Kind kind, int facility, int severity, String hostname, String appName,
                 long pid, String messagePrefix, ZoneId zone) {
        this.kind = kind;
        this.zone = zone;
        this.priority = ("<" + (facility * 8 + severity) + ">" + (kind == Kind.RFC5424 ? "1 " : ""))
                .getBytes(StandardCharsets.US_ASCII);
        String rest = kind == Kind.RFC5424
                // HOSTNAME APP-NAME PROCID MSGID STRUCTURED-DATA, then MSG (no BOM: rsyslog
                // would keep it in the message)
                ? " " + hostname + " " + appName + " " + pid + " - - "
                // HOSTNAME TAG: MSG; without HOSTNAME as syslog(3) writes to /dev/log
                : (hostname == null ? " " : " " + hostname + " ") + appName + "[" + pid + "]: ";
        this.afterTime = rest.getBytes(StandardCharsets.UTF_8);
        this.prefix = messagePrefix.getBytes(StandardCharsets.UTF_8);
    }

    /** The whole message for one event: header, prefix, JSON. */
    byte[] message(long epochMillis, byte[] json) {
        byte[] time = timestamp(epochMillis);
        byte[] out = new byte[priority.length + time.length + afterTime.length + prefix.length + json.length];
        int at = 0;
        System.arraycopy(priority, 0, out, at, priority.length);
        at += priority.length;
        System.arraycopy(time, 0, out, at, time.length);
        at += time.length;
        System.arraycopy(afterTime, 0, out, at, afterTime.length);
        at += afterTime.length;
        System.arraycopy(prefix, 0, out, at, prefix.length);
        at += prefix.length;
        System.arraycopy(json, 0, out, at, json.length);
        return out;
    }

    /** Where the message (prefix and JSON) starts in what {@link #message} returns. */
    int headerLength(long epochMillis) {
        return priority.length + timestamp(epochMillis).length + afterTime.length;
    }

    private byte[] timestamp(long epochMillis) {
        ZonedDateTime t = Instant.ofEpochMilli(epochMillis).atZone(zone);
        return (kind == Kind.RFC5424 ? RFC5424_TIME : RFC3164_TIME).format(t)
                .getBytes(StandardCharsets.US_ASCII);
    }
}
