package dev.laurel.plugins.jsonfile;

import dev.laurel.api.ConfigException;
import dev.laurel.api.PluginConfig;
import dev.laurel.api.PluginContext;
import dev.laurel.api.Setting;
import dev.laurel.api.internal.SettingSyntax;
import dev.laurel.api.Sink;
import dev.laurel.api.SinkFactory;
import dev.laurel.api.internal.OutputFiles;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.attribute.GroupPrincipal;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.UserPrincipalNotFoundException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/**
 * {@code type: json-file}: appends one JSON line per event to a file, or writes them to stdout.
 *
 * <pre>
 * sinks:
 *   - type: json-file
 *     file: /var/log/laurel/audit.log    # or "-" for stdout
 *     size: 5000000                      # rotate at 5 MB (or 8MiB): audit.log.1 ... audit.log.5
 *     generations: 5
 *     mode: "0640"
 *     group: adm                         # so that a log shipper in group adm can read it
 *     line-prefix: "@cee: "
 *     fsync: never                       # never | always | an interval such as 1s
 *     buffer-size: 16MiB                 # bytes held while the file cannot be written
 *     on-full: block                     # then: block (wait) | drop (count)
 * </pre>
 * SIGHUP makes laurel reopen the file (after logrotate moved it away).
 */
public final class JsonFileSinkFactory implements SinkFactory {
    static final Setting<String> FILE = Setting.string("file",
                    "Where to append the events, one JSON line each; \"-\" for standard output")
            .required()
            .check(s -> !s.isBlank(), "must name a file, or \"-\" for standard output");
    static final Setting<Long> SIZE = Setting.byteSize("size",
                    "Rotate the file once it has this many bytes (at the end of a line); 0 = never")
            .withDefault(0L);
    static final Setting<Long> GENERATIONS = Setting.integer("generations",
                    "How many rotated files to keep: FILE.1 (newest) ... FILE.N")
            .withDefault(5L)
            .check(n -> n >= 1 && n <= 1000, "must be between 1 and 1000");
    static final Setting<String> MODE = Setting.string("mode",
                    "The permissions of a file laurel creates, in octal (exactly, not less the umask)")
            .withDefault("0640")
            .check(JsonFileSinkFactory::isOctalMode, "must be an octal mode such as \"0640\"");
    static final Setting<String> GROUP = Setting.string("group",
                    "The group of a file laurel creates (where permitted), e.g. a log shipper's")
            .check(s -> !s.isBlank(), "must name a group");
    static final Setting<String> LINE_PREFIX = Setting.string("line-prefix",
                    "Written before each event's JSON, e.g. \"@cee: \"")
            .withDefault("");
    static final Setting<Long> BUFFER_SIZE = Setting.byteSize("buffer-size",
                    "Bytes of events held in memory while the file cannot be written (disk full, "
                            + "directory gone), written once it can")
            .withDefault(16L * 1024 * 1024)
            .check(n -> n >= 1024, "must be at least 1024")
            .check(n -> n <= 1L << 30, "must be at most 1073741824 (1 GiB)");
    static final Setting<String> ON_FULL = Setting.choice("on-full",
                    "When buffer-size bytes are held: block (wait for the file, holding up auditd) "
                            + "or drop (the event, counted as a sink error)", "block", "drop")
            .withDefault("block");
    static final Setting<String> FSYNC = Setting.string("fsync",
                    "When to force the file to disk: never, always (every event) or an interval such as 1s")
            .withDefault("never")
            .check(s -> fsyncMillis(s) != null, "must be never, always or an interval such as 250ms, 1s, 5m");

    @Override
    public String type() {
        return "json-file";
    }

    @Override
    public String description() {
        return "Writes each event as one line of JSON to a file (rotated, reopened on SIGHUP) or to standard output";
    }

    @Override
    public List<Setting<?>> settings() {
        return List.of(FILE, SIZE, GENERATIONS, MODE, GROUP, LINE_PREFIX, FSYNC, BUFFER_SIZE, ON_FULL);
    }

    @Override
    public Sink create(PluginConfig config, PluginContext context) throws ConfigException {
        String file = config.get(FILE);
        byte[] prefix = config.get(LINE_PREFIX).getBytes(StandardCharsets.UTF_8);
        if (file.equals(JsonFileSink.STDOUT)) {
            List<String> fileOnly = new ArrayList<>();
            for (Setting<?> s : List.of(SIZE, GENERATIONS, MODE, GROUP, FSYNC, BUFFER_SIZE, ON_FULL)) {
                if (config.isSet(s)) {
                    fileOnly.add(s.name());
                }
            }
            if (!fileOnly.isEmpty()) {
                throw new ConfigException(fileOnly.get(0), "applies to files only, not to standard output (file: \"-\")");
            }
            return JsonFileSink.stdout(prefix);
        }
        Path path = Path.of(file);
        GroupPrincipal group = null;
        if (config.get(GROUP) != null) {
            try {
                group = path.getFileSystem().getUserPrincipalLookupService()
                        .lookupPrincipalByGroupName(config.get(GROUP));
            } catch (UserPrincipalNotFoundException e) {
                throw new ConfigException("group", "no group named \"" + config.get(GROUP) + "\" on this system");
            } catch (IOException | UnsupportedOperationException e) {
                throw new ConfigException("group", "cannot look up groups here: " + e);
            }
        }
        JsonFileSink.Options options = new JsonFileSink.Options(config.get(SIZE), config.get(GENERATIONS).intValue(),
                permissions(config.get(MODE)), group, prefix, fsyncMillis(config.get(FSYNC)),
                config.get(BUFFER_SIZE).intValue(),
                JsonFileSink.OnFull.valueOf(config.get(ON_FULL).toUpperCase(java.util.Locale.ROOT)));
        OutputFiles files = new OutputFiles(context.user());
        if (context.dryRun()) {
            // Whether it would open, without creating it (or anything else).
            List<String> problems = files.appendProblems(path);
            if (!problems.isEmpty()) {
                throw new ConfigException("file", "cannot open " + path + " for appending: "
                        + String.join("; and ", problems));
            }
            return JsonFileSink.unopened(path, options, files, context.clock(), context.logger());
        }
        try {
            return JsonFileSink.append(path, options, files, context.clock(), context.logger());
        } catch (IOException e) {
            throw new ConfigException("file", "cannot open " + path + " for appending: " + reason(e));
        }
    }

    static boolean isOctalMode(String s) {
        if (s.length() < 3 || s.length() > 4 || (s.length() == 4 && s.charAt(0) != '0')) {
            return false;
        }
        for (int i = 0; i < s.length(); i++) {
            if (s.charAt(i) < '0' || s.charAt(i) > '7') {
                return false;
            }
        }
        return true;
    }

    /** {@code 0640} as permissions; owner, group, others in the order of {@link PosixFilePermission}. */
    static Set<PosixFilePermission> permissions(String octal) {
        int bits = Integer.parseInt(octal, 8);
        Set<PosixFilePermission> set = EnumSet.noneOf(PosixFilePermission.class);
        PosixFilePermission[] all = PosixFilePermission.values();   // OWNER_READ ... OTHERS_EXECUTE
        for (int i = 0; i < 9; i++) {
            if ((bits & (0400 >> i)) != 0) {
                set.add(all[i]);
            }
        }
        return set;
    }

    /** never = -1, always = 0, an interval in milliseconds; null if none of these. */
    static Long fsyncMillis(String text) {
        if (text.equals("never")) {
            return JsonFileSink.FSYNC_NEVER;
        }
        if (text.equals("always")) {
            return JsonFileSink.FSYNC_ALWAYS;
        }
        Duration interval = SettingSyntax.duration(text);
        return interval != null && !interval.isZero() ? interval.toMillis() : null;
    }

    private static String reason(IOException e) {
        if (e instanceof java.nio.file.NoSuchFileException) {
            return "its directory does not exist";
        }
        if (e instanceof java.nio.file.AccessDeniedException) {
            return "permission denied";
        }
        return e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    }
}
