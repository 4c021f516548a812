package dev.laurel.plugins.kafka;

import dev.laurel.api.ConfigException;
import dev.laurel.api.PluginConfig;
import dev.laurel.api.PluginContext;
import dev.laurel.api.Setting;
import dev.laurel.api.Sink;
import dev.laurel.api.SinkFactory;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * {@code type: kafka}: sends each event's JSON line as one record to a Kafka topic, for fleets
 * whose audit events flow through Kafka to a SIEM, a data lake or a detection job.
 *
 * <pre>
 * sinks:
 *   - type: kafka
 *     id: fleet
 *     bootstrap-servers: kafka1:9092,kafka2:9092
 *     topic: audit
 *     key: process            # none | host | event-id | process
 * </pre>
 *
 * See {@code docs/plugins/kafka.md} for every option.
 */
public final class KafkaSinkFactory implements SinkFactory {

    static final Setting<String> BOOTSTRAP_SERVERS = Setting.string("bootstrap-servers",
                    "HOST:PORT of one or more brokers, separated by commas")
            .required()
            .check(s -> !s.isBlank(), "must name at least one HOST:PORT");
    static final Setting<String> TOPIC = Setting.string("topic", "The topic every event goes to")
            .required()
            .check(KafkaSinkFactory::validTopic,
                    "must be 1 to 249 characters of ASCII letters, digits, '.', '_' and '-'");
    static final Setting<String> KEY = Setting.choice("key",
            "Each record's key, which chooses its partition: none (spread evenly), host (the "
                    + "event's node or this machine's name), event-id, or process (host, pid and "
                    + "the id of the process's last execve: one process's events stay in one "
                    + "partition, in order)", "none", "host", "event-id", "process")
            .withDefault("process");
    static final Setting<String> CLIENT_ID = Setting.string("client-id",
            "The client id the brokers see, for quotas and their logs; default laurel-HOSTNAME");
    static final Setting<String> ACKS = Setting.choice("acks",
            "Which brokers confirm a record: all (every in-sync replica), 1 (the leader) or 0 "
                    + "(none; events can be lost unnoticed)", "all", "1", "0").withDefault("all");
    static final Setting<Boolean> IDEMPOTENCE = Setting.bool("idempotence",
            "The producer numbers its records so that a retry never writes one twice; needs acks: all")
            .withDefault(true);
    static final Setting<String> COMPRESSION = Setting.choice("compression",
            "How batches are compressed", "none", "gzip", "snappy", "lz4", "zstd")
            .withDefault("zstd");
    // 100 ms rather than 20: at a steady rate the producer's I/O thread wakes, sends and is
    // answered once per batch, its costliest work under C1 (docs/plugins/kafka.md, Cost)
    static final Setting<Duration> LINGER = Setting.duration("linger",
                    "How long the producer waits to fill a batch")
            .withDefault(Duration.ofMillis(100))
            .check(d -> d.toMillis() <= Integer.MAX_VALUE, "must be under 24 days");
    static final Setting<Long> BATCH_SIZE = Setting.byteSize("batch-size",
                    "The largest batch per partition, before compression")
            .withDefault(256L * 1024)
            .check(n -> n > 0 && n <= Integer.MAX_VALUE, "must be 1 to 2GiB");
    static final Setting<Long> MAX_MESSAGE_BYTES = Setting.byteSize("max-message-bytes",
                    "The longest event; keep it under the topic's max.message.bytes (1048588 by default)")
            .withDefault(1_000_000L)
            .check(n -> n >= 1024 && n <= 64L << 20, "must be 1KiB to 64MiB");
    static final Setting<String> OVERSIZE = Setting.choice("oversize",
            "What to do with a longer event: truncate it or drop it; both are counted and logged",
            "truncate", "drop").withDefault("truncate");
    static final Setting<Long> BUFFER_EVENTS = Setting.integer("buffer-events",
                    "How many events laurel holds, beyond what the producer holds (8MiB compressed), while "
                            + "the brokers are slow or away; each takes its JSON line's size of "
                            + "laurel's heap (128MiB)")
            .withDefault(10_000L)
            .check(n -> n > 0 && n <= 10_000_000, "must be 1 to 10000000");
    static final Setting<String> ON_FULL = Setting.choice("on-full",
            "When the buffer is full: block (the chain waits, back-pressure to auditd) or drop "
                    + "the event (counted and logged)", "block", "drop").withDefault("block");
    static final Setting<Duration> CLOSE_TIMEOUT = Setting.duration("close-timeout",
                    "How long closing waits for buffered events to be acknowledged")
            .withDefault(Duration.ofSeconds(5));
    static final Setting<Boolean> TLS = Setting.bool("tls", "Connect to the brokers with TLS")
            .withDefault(false);
    static final Setting<String> CA_FILE = Setting.string("ca-file",
            "tls: PEM certificates to trust; default: the JVM's trusted authorities");
    static final Setting<String> CLIENT_CERTIFICATE = Setting.string("client-certificate",
            "tls: the client certificate chain (PEM, with client-key) or a PKCS#12 file (.p12, .pfx)");
    static final Setting<String> CLIENT_KEY = Setting.string("client-key",
            "tls: the client key, PEM PKCS#8 unencrypted (BEGIN PRIVATE KEY)");
    static final Setting<String> CLIENT_PASSWORD_FILE = Setting.string("client-certificate-password-file",
            "tls: a file holding the PKCS#12 file's password, readable only by laurel's user");
    static final Setting<Boolean> VERIFY_HOSTNAME = Setting.bool("verify-hostname",
            "tls: check that each broker's certificate names the broker").withDefault(true);
    static final Setting<String> SASL_MECHANISM = Setting.choice("sasl-mechanism",
            "How laurel authenticates: none, plain, scram-sha-256 or scram-sha-512",
            "none", "plain", "scram-sha-256", "scram-sha-512").withDefault("none");
    static final Setting<String> USERNAME = Setting.string("username", "sasl: the user name");
    static final Setting<String> PASSWORD = Setting.string("password",
            "sasl: the password; prefer password-file, which keeps it out of the config");
    static final Setting<String> PASSWORD_FILE = Setting.string("password-file",
            "sasl: a file holding the password (one line), readable only by laurel's user");
    static final Setting<Map<String, String>> PRODUCER = Setting.stringMap("producer",
            "Other Kafka producer options, passed through as written (such as request.timeout.ms)");

    /**
     * Producer options the sink sets itself, from its own settings or because its delivery
     * guarantees depend on them; {@code producer:} may not set them.
     */
    static final Map<String, String> OWN_OPTIONS = ownOptions();

    private static Map<String, String> ownOptions() {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("bootstrap.servers", "bootstrap-servers");
        m.put("client.id", "client-id");
        m.put("acks", "acks");
        m.put("enable.idempotence", "idempotence");
        m.put("compression.type", "compression");
        m.put("linger.ms", "linger");
        m.put("batch.size", "batch-size");
        m.put("max.request.size", "max-message-bytes");
        m.put("key.serializer", null);
        m.put("value.serializer", null);
        m.put("delivery.timeout.ms", null);
        m.put("max.block.ms", null);
        m.put("security.protocol", "tls and sasl-mechanism");
        m.put("sasl.mechanism", "sasl-mechanism");
        m.put("sasl.jaas.config", "username and password-file");
        m.put("ssl.truststore.type", "ca-file");
        m.put("ssl.truststore.location", "ca-file");
        m.put("ssl.keystore.type", "client-certificate");
        m.put("ssl.keystore.location", "client-certificate");
        m.put("ssl.keystore.password", "client-certificate-password-file");
        m.put("ssl.keystore.key", "client-key");
        m.put("ssl.keystore.certificate.chain", "client-certificate");
        m.put("ssl.endpoint.identification.algorithm", "verify-hostname");
        return java.util.Collections.unmodifiableMap(m);
    }

    @Override
    public String type() {
        return "kafka";
    }

    @Override
    public String description() {
        return "Sends each event's JSON line as a record to a Kafka topic";
    }

    @Override
    public List<Setting<?>> settings() {
        return List.of(BOOTSTRAP_SERVERS, TOPIC, KEY, CLIENT_ID, ACKS, IDEMPOTENCE, COMPRESSION,
                LINGER, BATCH_SIZE, MAX_MESSAGE_BYTES, OVERSIZE, BUFFER_EVENTS, ON_FULL,
                CLOSE_TIMEOUT, TLS, CA_FILE, CLIENT_CERTIFICATE, CLIENT_KEY, CLIENT_PASSWORD_FILE,
                VERIFY_HOSTNAME, SASL_MECHANISM, USERNAME, PASSWORD, PASSWORD_FILE, PRODUCER);
    }

    @Override
    public Sink create(PluginConfig config, PluginContext context) throws ConfigException {
        List<ConfigException.Problem> problems = new ArrayList<>();
        boolean tls = config.get(TLS);
        String mechanism = config.get(SASL_MECHANISM);
        boolean sasl = !mechanism.equals("none");
        if (config.get(IDEMPOTENCE) && !config.get(ACKS).equals("all")) {
            problems.add(new ConfigException.Problem("idempotence",
                    "needs acks: all; set idempotence: false to use acks: " + config.get(ACKS)));
        }
        for (Setting<?> s : List.of(CA_FILE, CLIENT_CERTIFICATE, CLIENT_KEY, CLIENT_PASSWORD_FILE, VERIFY_HOSTNAME)) {
            if (!tls && config.isSet(s)) {
                problems.add(new ConfigException.Problem(s.name(), "applies with tls: true only"));
            }
        }
        for (Setting<?> s : List.of(USERNAME, PASSWORD, PASSWORD_FILE)) {
            if (!sasl && config.isSet(s)) {
                problems.add(new ConfigException.Problem(s.name(),
                        "applies with sasl-mechanism plain, scram-sha-256 or scram-sha-512 only"));
            }
        }
        if (sasl && config.get(USERNAME) == null) {
            problems.add(new ConfigException.Problem("username", "is required with sasl-mechanism " + mechanism));
        }
        if (sasl && (config.get(PASSWORD) == null) == (config.get(PASSWORD_FILE) == null)) {
            problems.add(new ConfigException.Problem("password-file",
                    "give either password-file or password with sasl-mechanism " + mechanism));
        }
        if (config.get(CLIENT_KEY) != null && config.get(CLIENT_CERTIFICATE) == null) {
            problems.add(new ConfigException.Problem("client-key",
                    "needs client-certificate (the PEM chain that goes with the key)"));
        }
        String cert = config.get(CLIENT_CERTIFICATE);
        boolean pkcs12 = cert != null && isPkcs12(cert);
        if (cert != null && !pkcs12 && config.get(CLIENT_KEY) == null) {
            problems.add(new ConfigException.Problem("client-certificate",
                    "a PEM certificate needs client-key; or give a PKCS#12 file (.p12 or .pfx)"));
        }
        if (config.isSet(CLIENT_PASSWORD_FILE) && !pkcs12) {
            problems.add(new ConfigException.Problem("client-certificate-password-file",
                    "applies to a PKCS#12 client-certificate (.p12 or .pfx) only"));
        }
        for (Setting<String> s : List.of(CA_FILE, CLIENT_CERTIFICATE, CLIENT_KEY)) {
            String file = config.get(s);
            if (file != null && !Files.isReadable(Path.of(file))) {
                problems.add(new ConfigException.Problem(s.name(), "cannot read " + file));
            }
        }
        String password = config.get(PASSWORD);
        if (sasl && config.get(PASSWORD_FILE) != null) {
            password = readSecret(config.get(PASSWORD_FILE), PASSWORD_FILE.name(), context, problems);
        }
        String keystorePassword = config.get(CLIENT_PASSWORD_FILE) == null ? null
                : readSecret(config.get(CLIENT_PASSWORD_FILE), CLIENT_PASSWORD_FILE.name(), context, problems);
        Map<String, String> extra = config.get(PRODUCER) == null ? Map.of() : config.get(PRODUCER);
        for (String k : extra.keySet()) {
            if (OWN_OPTIONS.containsKey(k)) {
                String ours = OWN_OPTIONS.get(k);
                problems.add(new ConfigException.Problem("producer", k + " is set by the kafka sink itself; "
                        + (ours == null ? "remove it (the sink's delivery guarantees depend on it)"
                        : "use the sink's " + ours + " instead")));
            }
        }
        if (!problems.isEmpty()) {
            throw new ConfigException(problems);
        }

        Map<String, Object> props = new LinkedHashMap<>(extra);
        props.put("bootstrap.servers", config.get(BOOTSTRAP_SERVERS));
        String clientId = config.get(CLIENT_ID) != null ? config.get(CLIENT_ID) : "laurel-" + KafkaSink.machineName();
        props.put("client.id", clientId);
        props.put("acks", config.get(ACKS));
        props.put("enable.idempotence", config.get(IDEMPOTENCE).toString());
        props.put("compression.type", config.get(COMPRESSION));
        props.put("linger.ms", Long.toString(config.get(LINGER).toMillis()));
        props.put("batch.size", Long.toString(config.get(BATCH_SIZE)));
        // room for the key and the record's own overhead beside the largest event
        props.put("max.request.size", Long.toString(Math.max(1 << 20, config.get(MAX_MESSAGE_BYTES) + 4096)));
        props.put("key.serializer", "org.apache.kafka.common.serialization.ByteArraySerializer");
        props.put("value.serializer", "org.apache.kafka.common.serialization.ByteArraySerializer");
        // Events are never given up while laurel runs: the producer retries until the brokers
        // are back, in order (idempotence), and close-timeout bounds the wait at the end.
        props.put("delivery.timeout.ms", Integer.toString(Integer.MAX_VALUE));
        tuneProducer(props, config.get(COMPRESSION));
        // send() waits this long for metadata or room in the producer's memory before the
        // sender thread looks again (at closing, and to log that the brokers are away)
        props.put("max.block.ms", "2000");
        props.put("security.protocol", (sasl ? "SASL_" : "") + (tls ? "SSL" : "PLAINTEXT"));
        if (sasl) {
            props.put("sasl.mechanism", mechanism.toUpperCase(Locale.ROOT));
            String module = mechanism.equals("plain")
                    ? "org.apache.kafka.common.security.plain.PlainLoginModule"
                    : "org.apache.kafka.common.security.scram.ScramLoginModule";
            props.put("sasl.jaas.config", new SecretText(module + " required username=\""
                    + jaasQuote(config.get(USERNAME)) + "\" password=\"" + jaasQuote(password) + "\";"));
        }
        if (tls) {
            if (config.get(CA_FILE) != null) {
                props.put("ssl.truststore.type", "PEM");
                props.put("ssl.truststore.location", config.get(CA_FILE));
            }
            if (cert != null && pkcs12) {
                props.put("ssl.keystore.type", "PKCS12");
                props.put("ssl.keystore.location", cert);
                if (keystorePassword != null) {
                    props.put("ssl.keystore.password", new SecretText(keystorePassword));
                }
            } else if (cert != null) {
                props.put("ssl.keystore.type", "PEM");
                try {
                    props.put("ssl.keystore.certificate.chain", Files.readString(Path.of(cert), StandardCharsets.US_ASCII));
                    props.put("ssl.keystore.key", new SecretText(
                            Files.readString(Path.of(config.get(CLIENT_KEY)), StandardCharsets.US_ASCII)));
                } catch (IOException e) {
                    throw new ConfigException("client-certificate", "cannot read: " + e.getMessage());
                }
            }
            props.put("ssl.endpoint.identification.algorithm", config.get(VERIFY_HOSTNAME) ? "https" : "");
        }
        if (sasl && !tls && mechanism.equals("plain")) {
            context.logger().log(System.Logger.Level.WARNING, "kafka sink {0}: sasl-mechanism plain "
                    + "without tls sends the password in clear text; set tls: true", config.id());
        }
        KafkaSink.Options options = new KafkaSink.Options(config.id(), config.get(TOPIC),
                KafkaSink.KeyMode.valueOf(config.get(KEY).toUpperCase(Locale.ROOT).replace('-', '_')),
                (int) (long) config.get(BUFFER_EVENTS), config.get(ON_FULL).equals("drop"),
                (int) (long) config.get(MAX_MESSAGE_BYTES), config.get(OVERSIZE).equals("truncate"),
                config.get(CLOSE_TIMEOUT), config.get(CA_FILE) != null ? "ca-file " + config.get(CA_FILE)
                        : "the JVM's trusted authorities");
        if (context.dryRun()) {
            return new KafkaSink.NotStarted();
        }
        return new KafkaSink(options, props, context);
    }

    /**
     * The producer options the sink chooses unless {@code producer:} gives them (figures in
     * docs/plugins/kafka.md#cost).
     */
    static void tuneProducer(Map<String, Object> props, String compression) {
        // The producer's memory for compressed batches: a quarter of Kafka's 32 MiB default, as
        // the sink lets at most buffer-events wait for an answer (about 10 MB of JSON, some
        // hundreds of KB compressed) and laurel's heap is 128 MiB; room for 32 open batches.
        props.putIfAbsent("buffer.memory", Integer.toString(8 << 20));
        if (compression.equals("zstd")) {
            // zstd-jni makes a compression context for every batch; at Kafka's level 3 (a 2 MiB
            // window) some runs of the 200-copy corpus took 130,000-140,000 page faults and
            // 0.2 s more system time, at level 1 at most 73,000: 3.98 against 4.25 CPU-s, 111
            // against 117 MiB peak RSS (medians of 6 alternating runs), for batches 7 % larger
            // (the capture in 256 KiB chunks: 26.6 times smaller instead of 28.5).
            props.putIfAbsent("compression.zstd.level", "1");
        }
    }

    private static boolean isPkcs12(String file) {
        String f = file.toLowerCase(Locale.ROOT);
        return f.endsWith(".p12") || f.endsWith(".pfx");
    }

    /**
     * Reads a password from a file that only laurel's user may read: the owner must be that user
     * (or root) and the group and others must have no access, re-checked at every start.
     */
    static String readSecret(String file, String setting, PluginContext context,
                             List<ConfigException.Problem> problems) {
        Path path = Path.of(file);
        try {
            PosixFileAttributes a = Files.readAttributes(path, PosixFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
            if (a.isSymbolicLink() || !a.isRegularFile()) {
                problems.add(new ConfigException.Problem(setting, file + " is not a regular file (a link "
                        + "is refused); give the file itself"));
                return null;
            }
            String owner = a.owner().getName();
            String user = context.user() != null ? context.user() : System.getProperty("user.name");
            if (!owner.equals(user) && !owner.equals("root")) {
                problems.add(new ConfigException.Problem(setting, file + " belongs to " + owner
                        + ", not to laurel's user " + user + "; chown " + user + " " + file));
                return null;
            }
            Set<PosixFilePermission> perms = a.permissions();
            for (PosixFilePermission p : perms) {
                if (p.name().startsWith("GROUP") || p.name().startsWith("OTHERS")) {
                    problems.add(new ConfigException.Problem(setting, file + " can be read or changed by "
                            + "other users (mode " + PosixFilePermissions.toString(perms) + "); chmod 600 " + file));
                    return null;
                }
            }
            String text = Files.readString(path, StandardCharsets.UTF_8);
            int end = text.indexOf('\n');
            String secret = end < 0 ? text : text.substring(0, end);
            if (secret.endsWith("\r")) {
                secret = secret.substring(0, secret.length() - 1);
            }
            if (secret.isEmpty()) {
                problems.add(new ConfigException.Problem(setting, file + " is empty; put the password on its first line"));
            }
            return secret;
        } catch (IOException e) {
            problems.add(new ConfigException.Problem(setting, "cannot read " + file + ": " + e.getMessage()));
            return null;
        }
    }

    private static String jaasQuote(String s) {
        return s.replace("\\", "\\\\").replace("\"", "\\\"");
    }

    /** Kafka's rule for topic names. */
    static boolean validTopic(String t) {
        if (t.isEmpty() || t.length() > 249 || t.equals(".") || t.equals("..")) {
            return false;
        }
        for (int i = 0; i < t.length(); i++) {
            char c = t.charAt(i);
            if (!(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9'
                    || c == '.' || c == '_' || c == '-')) {
                return false;
            }
        }
        return true;
    }

    /**
     * A secret in the producer's options: its {@code toString} hides it, so that no log line or
     * printed map shows it; the sink turns it into Kafka's own {@code Password} type.
     */
    record SecretText(String value) {
        @Override
        public String toString() {
            return "[hidden]";
        }
    }
}
