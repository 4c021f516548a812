package dev.laurel.plugins.syslog;

import dev.laurel.api.ConfigException;
import dev.laurel.api.PluginConfig;
import dev.laurel.api.PluginContext;
import dev.laurel.api.Setting;
import dev.laurel.api.Sink;
import dev.laurel.api.SinkFactory;
import dev.laurel.api.internal.HostNames;

import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * {@code type: syslog}: sends each event's JSON line to a syslog receiver (rsyslog, syslog-ng,
 * journald's /dev/log) over UDP, TCP, TLS or a unix datagram socket, in RFC 5424 or RFC 3164.
 *
 * <pre>
 * sinks:
 *   - type: syslog
 *     transport: tcp          # udp | tcp | tls | unix
 *     host: 127.0.0.1
 *     port: 514
 *     header: rfc5424         # or rfc3164
 * </pre>
 *
 * See {@code docs/plugins/syslog.md} for every option.
 */
public final class SyslogSinkFactory implements SinkFactory {
    static final List<String> FACILITIES = List.of("kern", "user", "mail", "daemon", "auth",
            "syslog", "lpr", "news", "uucp", "cron", "authpriv", "ftp", "ntp", "security",
            "console", "solaris-cron", "local0", "local1", "local2", "local3", "local4", "local5",
            "local6", "local7");
    static final List<String> SEVERITIES = List.of("emerg", "alert", "crit", "err", "warning",
            "notice", "info", "debug");

    static final Setting<String> TRANSPORT = Setting.choice("transport",
            "How to reach the receiver: a unix datagram socket (path), udp, tcp or tls (host, port)",
            "unix", "udp", "tcp", "tls").withDefault("unix");
    static final Setting<String> PATH = Setting.string("path",
            "transport unix: the receiver's datagram socket").withDefault("/dev/log");
    static final Setting<String> HOST = Setting.string("host",
            "transport udp, tcp, tls: the receiver's name or address (required for them)");
    static final Setting<Long> PORT = Setting.integer("port",
                    "transport udp, tcp, tls: the receiver's port; default 514, 6514 for tls")
            .check(p -> p > 0 && p < 65536, "must be a port number, 1 to 65535");
    static final Setting<String> FORMAT = Setting.choice("header",
            "The syslog header: RFC 5424 (with year, time zone, milliseconds) or RFC 3164 (BSD)",
            "rfc5424", "rfc3164").withDefault("rfc5424");
    static final Setting<String> FRAMING = Setting.choice("framing",
            "transport tcp, tls: RFC 6587 octet counting (LENGTH SP MESSAGE) or a trailing LF",
            "octet-counting", "lf").withDefault("octet-counting");
    static final Setting<String> FACILITY = Setting.choice("facility",
            "The syslog facility", FACILITIES.toArray(String[]::new)).withDefault("authpriv");
    static final Setting<String> SEVERITY = Setting.choice("severity",
            "The syslog severity of every event", SEVERITIES.toArray(String[]::new))
            .withDefault("info");
    static final Setting<String> APP_NAME = Setting.string("app-name",
                    "APP-NAME (RFC 5424) or TAG (RFC 3164)")
            .withDefault("laurel")
            .check(s -> !s.isEmpty() && s.length() <= 48 && printableAscii(s),
                    "must be 1 to 48 printable ASCII characters without spaces");
    static final Setting<String> HOSTNAME = Setting.string("hostname",
                    "HOSTNAME in the header; default: this machine's name")
            .check(s -> !s.isEmpty() && s.length() <= 255 && printableAscii(s),
                    "must be 1 to 255 printable ASCII characters without spaces");
    static final Setting<String> MESSAGE_PREFIX = Setting.string("message-prefix",
            "Text put before the JSON in each message, such as \"@cee: \"").withDefault("");
    static final Setting<Long> MAX_MESSAGE_SIZE = Setting.integer("max-message-size",
                    "The largest message in bytes, header included; 0: the transport's own limit "
                            + "(udp 65507, unix the socket's send buffer, tcp and tls none)")
            .withDefault(0L)
            .check(n -> n == 0 || n >= 480, "must be 0 or at least 480 (RFC 5424's minimum)");
    static final Setting<String> OVERSIZE = Setting.choice("oversize",
            "What to do with a longer message: truncate it (as rsyslog does) or drop it; "
                    + "both are counted and logged", "truncate", "drop").withDefault("truncate");
    static final Setting<Long> BUFFER_EVENTS = Setting.integer("buffer-events",
                    "How many events to hold while the receiver is slow or away")
            .withDefault(10_000L)
            .check(n -> n > 0 && n <= 10_000_000, "must be 1 to 10000000");
    static final Setting<String> ON_FULL = Setting.choice("on-full",
            "When the buffer is full: block (the chain waits, back-pressure to auditd) or drop "
                    + "the event (counted and logged)", "block", "drop").withDefault("block");
    static final Setting<Long> RECONNECT_MAX_DELAY = Setting.integer("reconnect-max-delay",
                    "Milliseconds: the longest wait between reconnection attempts (they start at "
                            + "100 and double)")
            .withDefault(30_000L)
            .check(n -> n >= SyslogSink.INITIAL_DELAY_MS, "must be at least 100");
    static final Setting<Long> CLOSE_TIMEOUT = Setting.integer("close-timeout",
                    "Milliseconds: how long flush and close wait for buffered events to be sent")
            .withDefault(5_000L)
            .check(n -> n >= 0, "must not be negative");
    static final Setting<Long> REPLAY_BYTES = Setting.integer("replay-bytes",
                    "transport tcp, tls: how many bytes of the latest messages to send again after "
                            + "a connection broke mid-stream (at-least-once); 0: never")
            .withDefault(4L * 1024 * 1024)
            .check(n -> n >= 0, "must not be negative");
    static final Setting<String> CA_FILE = Setting.string("ca-file",
            "transport tls: PEM certificates to trust; default: the JVM's trusted authorities");
    static final Setting<String> CLIENT_CERTIFICATE = Setting.string("client-certificate",
            "transport tls: the client certificate chain (PEM, with client-key) or a PKCS#12 file");
    static final Setting<String> CLIENT_KEY = Setting.string("client-key",
            "transport tls: the client key, PEM PKCS#8 unencrypted (BEGIN PRIVATE KEY)");
    static final Setting<String> CLIENT_PASSWORD = Setting.string("client-certificate-password",
            "transport tls: the PKCS#12 file's password").withDefault("");
    static final Setting<Boolean> VERIFY_HOSTNAME = Setting.bool("verify-hostname",
            "transport tls: check that the server certificate names host").withDefault(true);

    @Override
    public String type() {
        return "syslog";
    }

    @Override
    public String description() {
        return "Sends each event's JSON line to a syslog receiver over UDP, TCP, TLS or /dev/log";
    }

    @Override
    public List<Setting<?>> settings() {
        return List.of(TRANSPORT, PATH, HOST, PORT, FORMAT, FRAMING, FACILITY, SEVERITY, APP_NAME,
                HOSTNAME, MESSAGE_PREFIX, MAX_MESSAGE_SIZE, OVERSIZE, BUFFER_EVENTS, ON_FULL,
                RECONNECT_MAX_DELAY, CLOSE_TIMEOUT, REPLAY_BYTES, CA_FILE, CLIENT_CERTIFICATE, CLIENT_KEY,
                CLIENT_PASSWORD, VERIFY_HOSTNAME);
    }

    @Override
    public Sink create(PluginConfig config, PluginContext context) throws ConfigException {
        List<ConfigException.Problem> problems = new ArrayList<>();
        String transport = config.get(TRANSPORT);
        boolean network = !transport.equals("unix");
        boolean tls = transport.equals("tls");
        if (network && config.get(HOST) == null) {
            problems.add(new ConfigException.Problem("host", "is required with transport " + transport));
        }
        for (Setting<?> s : List.of(HOST, PORT)) {
            if (!network && config.isSet(s)) {
                problems.add(new ConfigException.Problem(s.name(),
                        "applies to transport udp, tcp and tls only; transport unix uses path"));
            }
        }
        if (network && config.isSet(PATH)) {
            problems.add(new ConfigException.Problem("path", "applies to transport unix only"));
        }
        for (Setting<?> s : List.of(FRAMING, REPLAY_BYTES)) {
            if (config.isSet(s) && !(transport.equals("tcp") || tls)) {
                problems.add(new ConfigException.Problem(s.name(), "applies to transport tcp and tls only"));
            }
        }
        for (Setting<?> s : List.of(CA_FILE, CLIENT_CERTIFICATE, CLIENT_KEY, CLIENT_PASSWORD, VERIFY_HOSTNAME)) {
            if (!tls && config.isSet(s)) {
                problems.add(new ConfigException.Problem(s.name(), "applies to transport tls only"));
            }
        }
        if (config.get(CLIENT_KEY) != null && config.get(CLIENT_CERTIFICATE) == null) {
            problems.add(new ConfigException.Problem("client-key",
                    "needs client-certificate (the PEM chain that goes with the key)"));
        }
        for (Setting<String> s : List.of(CA_FILE, CLIENT_CERTIFICATE, CLIENT_KEY)) {
            String file = config.get(s);
            if (tls && file != null && !Files.isReadable(Path.of(file))) {
                problems.add(new ConfigException.Problem(s.name(), "cannot read " + file));
            }
        }
        if (!problems.isEmpty()) {
            throw new ConfigException(problems);
        }

        Transport.Opener opener;
        if (!network) {
            Path path = Path.of(config.get(PATH));
            opener = new Transport.Opener() {
                public Transport open() throws IOException {
                    return new UnixDatagramTransport(path);
                }

                public String describe() {
                    return "unix:" + path;
                }
            };
        } else {
            String host = config.get(HOST);
            int port = config.get(PORT) == null ? (tls ? 6514 : 514) : config.get(PORT).intValue();
            boolean octets = config.get(FRAMING).equals("octet-counting");
            opener = switch (transport) {
                case "udp" -> new Transport.Opener() {
                    public Transport open() throws IOException {
                        return new DatagramTransport(new InetSocketAddress(host, port));
                    }

                    public String describe() {
                        return "udp:" + host + ":" + port;
                    }
                };
                case "tcp" -> new Transport.Opener() {
                    public Transport open() throws IOException {
                        return new StreamTransport(connect(host, port), octets);
                    }

                    public String describe() {
                        return "tcp:" + host + ":" + port;
                    }
                };
                default -> tlsOpener(config, host, port, octets);
            };
        }
        SyslogFormat.Kind kind = config.get(FORMAT).equals("rfc3164")
                ? SyslogFormat.Kind.RFC3164 : SyslogFormat.Kind.RFC5424;
        // Local receivers (rsyslog's imuxsock, journald) expect syslog(3)'s RFC 3164 without a
        // HOSTNAME and take the name of the machine themselves.
        String hostname = config.get(HOSTNAME) != null ? config.get(HOSTNAME)
                : !network && kind == SyslogFormat.Kind.RFC3164 ? null : machineName();
        int facility = FACILITIES.indexOf(config.get(FACILITY));
        SyslogFormat format = new SyslogFormat(kind,
                facility, SEVERITIES.indexOf(config.get(SEVERITY)), hostname, config.get(APP_NAME),
                ProcessHandle.current().pid(), config.get(MESSAGE_PREFIX), ZoneId.systemDefault());
        return new SyslogSink(config.id(), context.logger(), format, opener,
                config.get(BUFFER_EVENTS).intValue(), config.get(ON_FULL).equals("drop"),
                (int) Math.min(Integer.MAX_VALUE, config.get(MAX_MESSAGE_SIZE)),
                config.get(OVERSIZE).equals("truncate"), config.get(RECONNECT_MAX_DELAY),
                config.get(CLOSE_TIMEOUT), network && !transport.equals("udp") ? config.get(REPLAY_BYTES) : 0);
    }

    private static Transport.Opener tlsOpener(PluginConfig config, String host, int port,
                                              boolean octets) throws ConfigException {
        String ca = config.get(CA_FILE);
        String cert = config.get(CLIENT_CERTIFICATE);
        String key = config.get(CLIENT_KEY);
        TlsContext files = new TlsContext(ca == null ? null : Path.of(ca),
                cert == null ? null : Path.of(cert), key == null ? null : Path.of(key),
                config.get(CLIENT_PASSWORD));
        boolean verify = config.get(VERIFY_HOSTNAME);
        SSLContext first;
        try {
            first = files.build();
        } catch (IOException e) {
            throw new ConfigException(cert != null ? "client-certificate" : "ca-file", e.getMessage());
        }
        return new Transport.Opener() {
            private volatile SSLContext context = first;

            public Transport open() throws IOException {
                Socket plain = connect(host, port);
                SSLSocket s;
                try {
                    s = (SSLSocket) context.getSocketFactory().createSocket(plain, host, port, true);
                } catch (IOException e) {
                    plain.close();
                    throw e;
                }
                try {
                    SSLParameters p = s.getSSLParameters();
                    if (verify) {
                        p.setEndpointIdentificationAlgorithm("HTTPS");
                    }
                    if (!Character.isDigit(host.charAt(0)) && host.indexOf(':') < 0) {
                        p.setServerNames(List.of(new SNIHostName(host)));
                    }
                    s.setSSLParameters(p);
                    s.startHandshake();
                    return new StreamTransport(s, octets);
                } catch (IOException e) {
                    s.close();
                    throw e;
                }
            }

            public void reload() throws IOException {
                context = files.build();
            }

            public String describe() {
                return "tls:" + host + ":" + port;
            }
        };
    }

    private static Socket connect(String host, int port) throws IOException {
        Socket s = new Socket();
        try {
            s.connect(new InetSocketAddress(host, port), 5_000);
            s.setTcpNoDelay(true);
            s.setKeepAlive(true);
            return s;
        } catch (IOException e) {
            s.close();
            throw e;
        }
    }

    /** The kernel's host name, without a DNS lookup; else Java's. */
    static String machineName() {
        try {
            String name = HostNames.kernel(Path.of("/proc"));
            if (name != null && printableAscii(name)) {
                return name;
            }
        } catch (IOException | RuntimeException e) {
            // not Linux: fall through
        }
        try {
            return InetAddress.getLocalHost().getHostName().toLowerCase(Locale.ROOT);
        } catch (IOException e) {
            return "-"; // RFC 5424's NILVALUE
        }
    }

    private static boolean printableAscii(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c <= ' ' || c > '~') {
                return false;
            }
        }
        return true;
    }
}
