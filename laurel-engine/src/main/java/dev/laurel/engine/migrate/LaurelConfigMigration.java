package dev.laurel.engine.migrate;

import dev.laurel.engine.config.LaurelConfig;
import org.tomlj.Toml;
import org.tomlj.TomlParseError;
import org.tomlj.TomlParseResult;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Turns a LAUREL config ({@code /etc/laurel/config.toml}) into the equivalent laurel YAML:
 * LAUREL's fixed pipeline becomes an explicit chain of enrichers and sinks.
 *
 * <p>Options the file leaves out take LAUREL 0.5.1's defaults (Debian's LAUREL, the reference
 * this project is compared with); the options LAUREL 0.6 to 0.8.2 added are read too
 * ({@code read-groups}, {@code file = "| PROGRAM"} and {@code "unix:PATH"}, {@code exe-hash*},
 * {@code spawned-by}, {@code ppid-verbose}, {@code uid-groups}, {@code prefix}), and those that
 * later versions turn on by default ({@code enrich.systemd}, {@code enrich.user-groups},
 * {@code enrich.spawned-by}) are only migrated when the file sets them. An option laurel cannot express is left out with a
 * {@link MigrationNotice.Kind#NO_EQUIVALENT} notice and a YAML comment; never silently.
 */
public final class LaurelConfigMigration {
    /** LAUREL's rotation size and generations when the file has no {@code [auditlog]} at all. */
    static final long LAUREL_LOG_SIZE = 10L * 1024 * 1024;
    static final long LAUREL_LOG_GENERATIONS = 5;
    private static final List<String> LAUREL_EXECVE_ENV = List.of("LD_PRELOAD", "LD_LIBRARY_PATH");
    private static final String STATE_FILE_NAME = "laurel.state";
    /** LAUREL 0.8's defaults for exe-hash-size-limit and exe-hash-cache-entries. */
    static final long LAUREL_EXE_HASH_SIZE_LIMIT = 10_000_000;
    static final long LAUREL_EXE_HASH_CACHE = 1024;
    /** The exe-hash plugin's largest cache-size. */
    private static final long EXE_HASH_MAX_CACHE = 1_000_000;

    private LaurelConfigMigration() {
    }

    /** Migrates a file; {@code source} in messages is the path as given. */
    public static Migration migrate(Path file) throws IOException, LaurelConfigException {
        byte[] bytes = Files.readAllBytes(file);
        String text;
        try {
            text = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes)).toString();
        } catch (CharacterCodingException e) {
            throw new LaurelConfigException(file.toString(), List.of(new LaurelConfigException.Problem(
                    firstBadLine(bytes), 0, "not UTF-8 text; TOML files are UTF-8")));
        }
        return migrate(text, file.toString());
    }

    /** The 1-based line of the first byte that is not part of valid UTF-8. */
    private static int firstBadLine(byte[] bytes) {
        int line = 1;
        int start = 0;
        for (int i = 0; i <= bytes.length; i++) {
            if (i == bytes.length || bytes[i] == '\n') {
                try {
                    StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                            .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes, start, i - start));
                } catch (CharacterCodingException e) {
                    return line;
                }
                line++;
                start = i + 1;
            }
        }
        return 0;
    }

    /**
     * The keys LAUREL 0.5.1 does not read and LAUREL 0.6 to 0.8.2 do: a file that sets one is
     * written for a later LAUREL, and its output layout is LAUREL 0.8's.
     */
    private static final List<String> LATER_KEYS = List.of("input", "marker", "state", "filterlog",
            "auditlog.read-groups", "auditlog.read-other", "translate.drop-raw",
            "enrich.container_info", "enrich.systemd", "enrich.user-groups", "enrich.uid-groups",
            "enrich.ppid-verbose", "enrich.spawned-by", "enrich.prefix", "enrich.exe-hash",
            "enrich.exe-hash-size-limit", "enrich.exe-hash-cache-entries",
            "label-process.label-argv", "label-process.unlabel-argv", "label-process.label-argv-count",
            "label-process.label-argv-bytes", "filter.filter-null-keys", "filter.filter-sockaddr",
            "filter.filter-raw-lines", "filter.filter-action", "filter.keep-first-per-process");

    /**
     * Why a file is read as a LAUREL 0.8 config (the first key LAUREL 0.5.1 does not know, or an
     * auditlog file LAUREL 0.7+ reads as a program or socket), or {@code null} for a 0.5.1 one.
     */
    static String laterLaurelKey(TomlParseResult toml) {
        for (String key : LATER_KEYS) {
            if (toml.contains(List.of(key.split("\\.")))) {
                return key;
            }
        }
        String file = toml.contains(List.of("auditlog", "file")) && toml.isString(List.of("auditlog", "file"))
                ? toml.getString(List.of("auditlog", "file")) : null;
        return file != null && (file.startsWith("|") || file.startsWith("unix:")) ? "auditlog.file" : null;
    }

    /** Migrates TOML text; {@code source} names it in the YAML header and in problems. */
    public static Migration migrate(String toml, String source) throws LaurelConfigException {
        return new Run(source).migrate(toml);
    }

    /** One enricher or sink of the chain being built. */
    private static final class ChainEntry {
        final String type;
        final String comment;
        final Map<String, Object> options = new LinkedHashMap<>();
        final List<String> notes = new ArrayList<>();

        ChainEntry(String type, String comment) {
            this.type = type;
            this.comment = comment;
        }

        ChainEntry with(String option, Object value) {
            options.put(option, value);
            return this;
        }
    }

    /** One migration. */
    private static final class Run {
        private final String source;
        private final List<LaurelConfigException.Problem> problems = new ArrayList<>();
        private final List<MigrationNotice> notices = new ArrayList<>();

        private final Map<String, Object> top = new LinkedHashMap<>();
        private final Map<String, Object> diagnostics = new LinkedHashMap<>();
        private final Map<String, Object> limits = new LinkedHashMap<>();
        private final List<String> topNotes = new ArrayList<>();
        private final List<ChainEntry> enrichers = new ArrayList<>();
        private final List<String> enricherNotes = new ArrayList<>();
        private final List<ChainEntry> sinks = new ArrayList<>();
        private final List<String> sinkNotes = new ArrayList<>();
        private Path directory = Path.of(".");
        /** LAUREL 0.8's output layout, for a file written for LAUREL 0.6 or later. */
        private boolean laurel08;
        private String laurel08Because;

        Run(String source) {
            this.source = source;
        }

        Migration migrate(String toml) throws LaurelConfigException {
            TomlParseResult parsed;
            try {
                parsed = Toml.parse(toml);
            } catch (RuntimeException | AssertionError e) {
                // tomlj reports bad input as errors, but with assertions on (tests) a few invalid
                // escapes trip an assert first; either way the file is not TOML.
                problems.add(new LaurelConfigException.Problem(0, 0, "invalid TOML: " + e));
                throw new LaurelConfigException(source, problems);
            }
            if (parsed.hasErrors()) {
                for (TomlParseError e : parsed.errors()) {
                    problems.add(new LaurelConfigException.Problem(e.position().line(), e.position().column(),
                            "invalid TOML: " + e.getMessage()));
                }
                throw new LaurelConfigException(source, problems);
            }
            laurel08Because = laterLaurelKey(parsed);
            laurel08 = laurel08Because != null;
            TomlSection root = new TomlSection(parsed, "", 1, problems);
            readMain(root);
            TomlSection auditlog = root.section("auditlog");
            TomlSection filterlog = root.section("filterlog");
            readDebug(root.section("debug"));
            readState(root.section("state"));
            ChainEntry hex = new ChainEntry("hex-decoder", "LAUREL always decodes hex-encoded values");
            enrichers.add(laurel08 ? hex.with("style", "laurel-0.8") : hex);
            readTransform(root.section("transform"));
            readTranslate(root.section("translate"));
            readEnrich(root.section("enrich"));
            readLabels(root.section("label-process"));
            boolean logFiltered = readFilter(root.section("filter"));
            readLog(auditlog, "auditlog", "audit.log", false);
            if (logFiltered) {
                readLog(filterlog, "filterlog", "filtered.log", true);
            } else if (filterlog != null) {
                differs(filterlog, null, "LAUREL writes the filter log only with filter.filter-action = \"log\";"
                        + " left out, as LAUREL ignores it", sinkNotes);
            }
            unknown(root, topNotes);
            if (!problems.isEmpty()) {
                problems.sort((a, b) -> a.line() != b.line() ? Integer.compare(a.line(), b.line())
                        : Integer.compare(a.column(), b.column()));
                throw new LaurelConfigException(source, problems);
            }
            notices.sort((a, b) -> Integer.compare(a.line(), b.line()));
            return new Migration(render(), notices);
        }

        // ---- notices ----

        private void noEquivalent(TomlSection s, String key, String message, List<String> where) {
            notice(MigrationNotice.Kind.NO_EQUIVALENT, s, key, message, where);
        }

        private void differs(TomlSection s, String key, String message, List<String> where) {
            notice(MigrationNotice.Kind.DIFFERS, s, key, message, where);
        }

        private void notice(MigrationNotice.Kind kind, TomlSection s, String key, String message, List<String> where) {
            String option = key == null ? "[" + s.option("").replaceAll("\\.$", "") + "]" : s.option(key);
            MigrationNotice n = new MigrationNotice(kind, key == null ? s.line() : s.line(key), option, message);
            notices.add(n);
            where.add(n.comment());
        }

        /** Every key of {@code s} that nothing read: LAUREL ignores unknown keys, and so does the YAML. */
        private void unknown(TomlSection s, List<String> where) {
            for (String key : s.unread()) {
                String hint = switch (s.option(key)) {
                    case "translate.userdb" -> "LAUREL's man page says userdb, but LAUREL reads user-db and ignores"
                            + " userdb; left out, as LAUREL ignores it";
                    case "enrich.parent_info" -> "LAUREL reads parent-info and ignores parent_info;"
                            + " left out, as LAUREL ignores it";
                    case "auditlog.read-group", "filterlog.read-group" -> "LAUREL reads read-groups (a list) and"
                            + " ignores read-group; left out, as LAUREL ignores it";
                    default -> "not a LAUREL option (LAUREL ignores unknown keys); left out";
                };
                noEquivalent(s, key, hint, where);
            }
        }

        // ---- the main section ----

        private void readMain(TomlSection root) {
            String dir = root.string("directory");
            if (dir != null) {
                try {
                    directory = Path.of(dir);
                } catch (InvalidPathException e) {
                    root.problem("directory", "not a valid path: " + e.getReason());
                }
            }
            String input = root.string("input");
            if (input == null || input.equals("stdin")) {
                top.put("input", "-");
            } else if (input.startsWith("unix:") && input.length() > 5) {
                top.put("input", input);
            } else {
                root.problem("input", "expected \"stdin\" or \"unix:/path/to/socket\" (as LAUREL), found \"" + input + "\"");
            }
            String user = root.string("user");
            if (user != null) {
                top.put("user", user);
            }
            Long period = root.count("statusreport-period");
            if (period != null && period > 0) {
                diagnostics.put("status-report-period", period + "s");
            }
            String marker = root.string("marker");
            if (marker != null) {
                // LAUREL logs it at start and with every status report, as diagnostics.marker does
                if (!LaurelConfig.isMarkerText(marker)) {
                    noEquivalent(root, "marker", "laurel's diagnostics.marker takes one line of text"
                            + " (not empty, not \"none\")", topNotes);
                } else {
                    diagnostics.put("marker", marker);
                }
            }
        }

        /** A file name as LAUREL opens it: relative to {@code directory}, where LAUREL changes to. */
        private String resolve(String file) {
            try {
                return directory.resolve(file).normalize().toString();
            } catch (InvalidPathException e) {
                return file;
            }
        }

        // ---- [debug], [state] ----

        private void readDebug(TomlSection debug) {
            if (debug == null) {
                return;
            }
            for (String log : List.of("log", "inputlog")) {
                TomlSection s = debug.section(log);
                if (s != null) {
                    noEquivalent(debug, log, log.equals("log")
                            ? "laurel's own log goes to stderr or syslog (diagnostics.log), not to a file"
                            : "laurel keeps no copy of its input", topNotes);
                }
            }
            TomlSection parseErrors = debug.section("parse-error-log");
            if (parseErrors != null) {
                String file = parseErrors.string("file");
                if (file != null && !file.isEmpty()) {
                    diagnostics.put("parse-error-log", resolve(file));
                }
                for (String key : List.of("size", "generations", "read-users", "line-prefix")) {
                    if (parseErrors.has(key)) {
                        parseErrors.skip(key);
                        noEquivalent(parseErrors, key, "laurel's parse-error log is not rotated and has no"
                                + " such option", topNotes);
                    }
                }
                unknown(parseErrors, topNotes);
            }
            if (debug.has("dump-state-period")) {
                debug.count("dump-state-period");
                noEquivalent(debug, "dump-state-period", "laurel does not dump its state for debugging; its state"
                        + " file (state:) is written every limits.state-interval", topNotes);
            }
            unknown(debug, topNotes);
        }

        private void readState(TomlSection state) {
            if (state == null) {
                topNotes.add("no [state] section: like LAUREL 0.5.1, laurel keeps no state across restarts;"
                        + " \"state: /var/lib/laurel\" keeps the process table");
                return;
            }
            String file = state.string("file");
            if (file == null) {
                file = "state";
            }
            if (file.isEmpty()) {
                topNotes.add("state.file is empty: no state is kept across restarts");
            } else {
                Path path = Path.of(resolve(file));
                Path dir = path.getParent() == null ? Path.of(".") : path.getParent();
                top.put("state", dir.toString());
                if (!path.getFileName().toString().equals(STATE_FILE_NAME)) {
                    differs(state, state.has("file") ? "file" : null, "laurel keeps its state in "
                            + dir.resolve(STATE_FILE_NAME) + ", a name it chooses", topNotes);
                }
            }
            Long generations = state.count("generations");
            if (generations != null && generations > 0) {
                noEquivalent(state, "generations", "laurel keeps no old generations of its state file", topNotes);
            }
            Long maxAge = state.count("max-age");
            long age = maxAge == null ? 60 : maxAge;
            if (age == 0) {
                noEquivalent(state, "max-age", "laurel needs a positive age; its default (1h) is used", topNotes);
            } else if (!file.isEmpty()) {
                limits.put("state-max-age", age + "s");
            }
            Long period = state.count("write-state-period");
            if (period != null && !file.isEmpty()) {
                limits.put("state-interval", period + "s");
            }
            unknown(state, topNotes);
        }

        // ---- the chain ----

        private void readTransform(TomlSection transform) {
            if (transform == null) {
                return;
            }
            List<String> argv = transform.strings("execve-argv");
            List<String> shown = new ArrayList<>();
            if (argv != null) {
                for (String s : argv) {
                    if (!s.equals("array") && !s.equals("string")) {
                        transform.problem("execve-argv", "expected \"array\" and/or \"string\", found \"" + s + "\"");
                    }
                }
                // LAUREL keeps a set: the order in the file does not matter.
                for (String s : List.of("array", "string")) {
                    if (argv.contains(s)) {
                        shown.add(s);
                    }
                }
                if (argv.isEmpty()) {
                    noEquivalent(transform, "execve-argv", "an empty list (neither ARGV nor ARGV_STR) has no"
                            + " equivalent; laurel keeps the ARGV list", enricherNotes);
                }
            }
            if (shown.isEmpty()) {
                shown.add("array");
            }
            Long limit = transform.count("execve-argv-limit-bytes");
            if (limit != null && limit == 0) {
                noEquivalent(transform, "execve-argv-limit-bytes", "0 has no equivalent (laurel needs a positive"
                        + " limit); argument lists are not cut", enricherNotes);
                limit = null;
            }
            if (!shown.equals(List.of("array")) || limit != null) {
                ChainEntry e = new ChainEntry("execve-transform", "[transform]").with("execve-argv", shown);
                if (limit != null) {
                    e.with("execve-argv-limit-bytes", limit);
                }
                enrichers.add(e);
            }
            unknown(transform, enricherNotes);
        }

        private void readTranslate(TomlSection translate) {
            if (translate == null) {
                return;
            }
            boolean universal = Boolean.TRUE.equals(translate.bool("universal"));
            boolean userDb = Boolean.TRUE.equals(translate.bool("user-db"));
            boolean dropRaw = Boolean.TRUE.equals(translate.bool("drop-raw"));
            if (universal || userDb) {
                ChainEntry e = new ChainEntry("translate", "[translate]")
                        .with("universal", universal).with("user-db", userDb);
                if (universal && laurel08) {
                    e.with("uring-op", true);       // LAUREL 0.8 names io_uring operations too
                }
                if (universal) {
                    e.with("sockaddr", "object");   // LAUREL's own SADDR is an object
                    differs(translate, "universal", "laurel keeps SOCKADDR's raw saddr beside SADDR (LAUREL 0.5.1"
                            + " replaces it) and also translates a few addresses LAUREL leaves raw", e.notes);
                }
                if (dropRaw) {
                    e.with("drop-raw", true);
                }
                enrichers.add(e);
            } else if (dropRaw) {
                differs(translate, "drop-raw", "nothing is translated (universal and user-db are off), so there"
                        + " is nothing to drop; left out", enricherNotes);
            }
            unknown(translate, enricherNotes);
        }

        private void readEnrich(TomlSection enrich) {
            // An absent [enrich] means LAUREL's defaults, as does an absent key.
            TomlSection s = enrich;
            List<String> env = s == null ? null : s.strings("execve-env");
            if (env == null) {
                env = LAUREL_EXECVE_ENV;
            }
            if (!env.isEmpty()) {
                // A name ending in * is a prefix (LC_*) to laurel, as to LAUREL 0.8.0 and later.
                // LAUREL writes EXECVE.ENV: {} when /proc/PID/environ cannot be read (the process is gone)
                enrichers.add(new ChainEntry("execve-env", "[enrich] execve-env")
                        .with("variables", env).with("unreadable", "empty").with("report-errors", false));
            }
            if (flag(s, "script", true)) {
                // interpreters: [] leaves LAUREL's rule alone (a script is what PATH[0] names beside exe).
                enrichers.add(new ChainEntry("script", "[enrich] script")
                        .with("interpreters", List.of()).with("report-errors", false));
            }
            boolean containerInfo = flag(s, "container_info", false);
            boolean container = flag(s, "container", true);
            if (laurel08) {
                // LAUREL 0.8: container = true gives SYSCALL.PID.container, container_info = true the
                // top-level CONTAINER_INFO (deprecated there), each independently of the other
                if (container) {
                    enrichers.add(new ChainEntry("container", "[enrich] container: SYSCALL.PID.container")
                            .with("style", "laurel-0.8").with("report-errors", false));
                }
                if (containerInfo) {
                    enrichers.add(new ChainEntry("container", "[enrich] container_info: top-level CONTAINER_INFO")
                            .with("id", "container-info").with("report-errors", false));
                }
            } else if (container || containerInfo) {
                ChainEntry e = new ChainEntry("container", "[enrich] container: top-level CONTAINER_INFO, LAUREL"
                        + " 0.5.1's form").with("report-errors", false);
                enrichers.add(e);
                if (container && !containerInfo && s != null && s.has("container")) {
                    differs(s, "container", "laurel writes the top-level CONTAINER_INFO of LAUREL 0.5.1 (LAUREL 0.7+"
                            + " writes that with container_info = true); LAUREL 0.7+ writes SYSCALL.PID.container"
                            + " for container = true", e.notes);
                }
            }
            if (flag(s, "systemd", false) && laurel08) {
                enrichers.add(new ChainEntry("systemd", "[enrich] systemd: SYSCALL.PID.systemd_service")
                        .with("style", "laurel-0.8").with("report-errors", false));
            } else if (s != null && Boolean.TRUE.equals(s.bool("systemd"))) {
                enrichers.add(new ChainEntry("systemd", "[enrich] systemd").with("report-errors", false));
                differs(s, "systemd", "laurel writes the unit as SYSCALL.UNIT (and SYSCALL.USER_UNIT), not as"
                        + " LAUREL's SYSCALL.PID.systemd_service", enricherNotes);
            }
            readUserGroups(s);
            readExeHash(s);
            readPid(s);
            if (s != null) {
                if (s.has("prefix")) {
                    s.string("prefix");
                    noEquivalent(s, "prefix", "LAUREL 0.7+ puts this text in front of the names of the fields it"
                            + " adds; laurel has no such option: the fields it adds keep LAUREL's upper-case names",
                            enricherNotes);
                }
                unknown(s, enricherNotes);
            }
        }

        /** {@code user-groups}, which LAUREL 0.6 called {@code uid-groups}. */
        private void readUserGroups(TomlSection s) {
            boolean oldName = s != null && s.has("uid-groups");
            String groupsKey = oldName && !s.has("user-groups") ? "uid-groups" : "user-groups";
            if (oldName && groupsKey.equals("user-groups")) {
                s.bool("uid-groups");
                differs(s, "uid-groups", "LAUREL 0.6's name for user-groups; user-groups is set too, and laurel"
                        + " follows it", enricherNotes);
            }
            if (flag(s, groupsKey, false) && laurel08) {
                enrichers.add(new ChainEntry("user-groups", "[enrich] " + groupsKey + ": SYSCALL.UID_GROUPS")
                        .with("style", "laurel-0.8"));
            } else if (s != null && Boolean.TRUE.equals(s.bool(groupsKey))) {
                enrichers.add(new ChainEntry("user-groups", "[enrich] " + groupsKey).with("names", true)
                        .with("report-errors", false));
                differs(s, groupsKey, "laurel lists the process's supplementary groups (SYSCALL.GROUPS and"
                        + " SYSCALL.GROUP_NAMES, from /proc/PID/status), not the groups the user database gives"
                        + " for uid", enricherNotes);
            }
        }

        /** LAUREL 0.8's exe-hash, exe-hash-size-limit and exe-hash-cache-entries. */
        private void readExeHash(TomlSection s) {
            boolean hash = flag(s, "exe-hash", false);
            Long limit = s == null ? null : s.count("exe-hash-size-limit");
            Long cache = s == null ? null : s.count("exe-hash-cache-entries");
            if (!hash) {
                return;     // LAUREL ignores the size limit and cache size then, and so does the YAML
            }
            ChainEntry e = new ChainEntry("exe-hash", "[enrich] exe-hash");
            if (limit != null && limit == 0) {
                noEquivalent(s, "exe-hash-size-limit", "0 has no equivalent (laurel needs a positive limit);"
                        + " LAUREL's default, 10000000, is used", e.notes);
                limit = null;
            }
            e.with("max-size", limit == null ? LAUREL_EXE_HASH_SIZE_LIMIT : limit);
            if (cache != null && cache > EXE_HASH_MAX_CACHE) {
                noEquivalent(s, "exe-hash-cache-entries", "laurel caches at most " + EXE_HASH_MAX_CACHE
                        + " hashes", e.notes);
                cache = EXE_HASH_MAX_CACHE;
            }
            e.with("cache-size", cache == null ? LAUREL_EXE_HASH_CACHE : cache).with("report-errors", false);
            enrichers.add(e);
            if (laurel08) {
                // LAUREL 0.8 hashes what /proc/PID/exe opens, when it still names SYSCALL.exe
                e.with("style", "laurel-0.8").with("path-fallback", false);
                return;
            }
            differs(s, "exe-hash", "laurel writes the SHA-256 as SYSCALL.EXE_SHA256, not as LAUREL 0.8's"
                    + " SYSCALL.EXE_HASH", e.notes);
        }

        /** {@code pid}, {@code parent-info}, LAUREL 0.8's {@code ppid-verbose} and {@code spawned-by}. */
        private void readPid(TomlSection s) {
            boolean pid = flag(s, "pid", true);
            boolean parentInfo = flag(s, "parent-info", false);
            Boolean ppidVerbose = s == null ? null : s.bool("ppid-verbose");
            Boolean spawnedBy = s == null ? null : s.bool("spawned-by");
            if (laurel08) {
                readPid08(s, pid, parentInfo, ppidVerbose, spawnedBy);
                return;
            }
            if (pid || parentInfo) {
                String style = pid && parentInfo ? "both" : pid ? "laurel" : "parent-info";
                ChainEntry e = new ChainEntry("parent-info", pid ? "[enrich] pid: SYSCALL.PPID, SYSCALL.PID and"
                        + " OBJ_PID.OPID" + (parentInfo ? "; parent-info: PARENT_INFO" : "")
                        : "[enrich] parent-info: PARENT_INFO").with("style", style);
                if (pid) {
                    // LAUREL 0.5.1 writes no SPAWNED_BY (its default when the file does not say);
                    // LAUREL 0.8's spawned-by = true adds it.
                    e.with("spawned-by", Boolean.TRUE.equals(spawnedBy));
                    if (Boolean.TRUE.equals(spawnedBy)) {
                        differs(s, "spawned-by", "laurel's SYSCALL.SPAWNED_BY has its pid key once; LAUREL 0.8.2"
                                + " writes it twice (fixed upstream after 0.8.2)", e.notes);
                    }
                    if (Boolean.FALSE.equals(ppidVerbose)) {
                        differs(s, "ppid-verbose", "laurel's SYSCALL.PPID carries comm, exe and ppid beside"
                                + " EVENT_ID, as LAUREL 0.5.1's does (ppid-verbose = true); LAUREL 0.8 with"
                                + " ppid-verbose = false writes only EVENT_ID or START_TIME", e.notes);
                    }
                }
                enrichers.add(e);
            }
            if (!pid && Boolean.TRUE.equals(spawnedBy)) {
                noEquivalent(s, "spawned-by", "laurel writes SYSCALL.SPAWNED_BY together with SYSCALL.PPID"
                        + " (enrich.pid); left out, as pid = false", enricherNotes);
            }
        }

        /** LAUREL 0.8's pid enrichment: spawned-by on unless the file turns it off, ppid-verbose off. */
        private void readPid08(TomlSection s, boolean pid, boolean parentInfo, Boolean ppidVerbose, Boolean spawnedBy) {
            if (parentInfo) {
                noEquivalent(s, "parent-info", "LAUREL 0.6+ no longer reads parent-info (its PARENT_INFO is"
                        + " LAUREL 0.5.1's); left out, as LAUREL 0.8 ignores it", enricherNotes);
            }
            if (!pid) {
                if (Boolean.TRUE.equals(spawnedBy)) {
                    noEquivalent(s, "spawned-by", "laurel writes SYSCALL.SPAWNED_BY together with SYSCALL.PID"
                            + " (enrich.pid); left out, as pid = false", enricherNotes);
                }
                return;
            }
            enrichers.add(new ChainEntry("parent-info", "[enrich] pid: SYSCALL.PID, SYSCALL.PPID,"
                    + " SYSCALL.SPAWNED_BY and the *PID of other records, LAUREL 0.8's layout")
                    .with("style", "laurel-0.8")
                    .with("spawned-by", !Boolean.FALSE.equals(spawnedBy))
                    .with("ppid-verbose", Boolean.TRUE.equals(ppidVerbose)));
        }

        private static boolean flag(TomlSection s, String key, boolean dflt) {
            if (s == null) {
                return dflt;
            }
            Boolean b = s.bool(key);
            return b == null ? dflt : b;
        }

        private void readLabels(TomlSection labels) {
            if (labels == null) {
                return;
            }
            ChainEntry e = new ChainEntry("key-labeler", "[label-process]");
            putList(e, "label-keys", labels.strings("label-keys"));
            putList(e, "propagate-labels", labels.strings("propagate-labels"));
            for (String key : List.of("label-exe", "unlabel-exe", "label-argv", "unlabel-argv", "label-script",
                    "unlabel-script")) {
                Map<String, String> map = labels.stringMap(key);
                if (map != null && !map.isEmpty()) {
                    e.with(key, map);
                }
            }
            for (String key : List.of("label-argv-count", "label-argv-bytes")) {
                Long n = labels.count(key);
                if (n != null && n == 0) {
                    noEquivalent(labels, key, "0 has no equivalent (laurel needs a positive number); its"
                            + " default is used", enricherNotes);
                } else if (n != null) {
                    e.with(key, n);
                }
            }
            boolean labelsSomething = e.options.keySet().stream()
                    .anyMatch(k -> !k.equals("label-argv-count") && !k.equals("label-argv-bytes"));
            if (labelsSomething) {
                enrichers.add(e);
            }
            unknown(labels, enricherNotes);
        }

        private static void putList(ChainEntry e, String option, List<String> values) {
            if (values != null && !values.isEmpty()) {
                e.with(option, values);
            }
        }

        /** Reads [filter]; returns whether filtered events go to the filter log. */
        private boolean readFilter(TomlSection filter) {
            if (filter == null) {
                return false;
            }
            ChainEntry e = new ChainEntry("filter", "[filter]");
            putList(e, "keys", filter.strings("filter-keys"));
            if (Boolean.TRUE.equals(filter.bool("filter-null-keys"))) {
                e.with("no-key", true);
            }
            putList(e, "labels", filter.strings("filter-labels"));
            putList(e, "sockaddr", filter.strings("filter-sockaddr"));
            putList(e, "raw-lines", filter.strings("filter-raw-lines"));
            boolean rules = !e.options.isEmpty();
            Boolean keepFirst = filter.bool("keep-first-per-process");
            if (keepFirst != null && !keepFirst) {
                e.with("keep-first-per-process", false);
            }
            String action = filter.string("filter-action");
            boolean log = false;
            if (action != null) {
                switch (action) {
                    case "drop", "Drop" -> log = false;
                    case "log", "Log" -> log = true;
                    default -> filter.problem("filter-action", "expected \"drop\" or \"log\", found \"" + action + "\"");
                }
            }
            if (rules) {
                enrichers.add(e);
            }
            unknown(filter, enricherNotes);
            return log;
        }

        /**
         * [auditlog] or [filterlog] as a sink: a json-file sink for a file name or "-", a pipe sink
         * for "| PROGRAM" and a unix-socket sink for "unix:PATH" (LAUREL 0.7+).
         */
        private void readLog(TomlSection log, String name, String defaultFile, boolean filtered) {
            String file = log == null ? null : log.string("file");
            ChainEntry e;
            if (file != null && file.startsWith("|")) {
                e = streamSink(log, name, "pipe", file.substring(1).strip());
            } else if (file != null && file.startsWith("unix:")) {
                e = streamSink(log, name, "unix-socket", file.substring(5));
            } else {
                e = new ChainEntry("json-file", "[" + name + "]");
            }
            if (filtered) {
                e.with("id", "filtered").with("events", "filtered");
            }
            sinks.add(e);
            if (!e.type.equals("json-file")) {
                return;
            }
            if (log == null) {
                e.with("file", resolve(defaultFile)).with("size", LAUREL_LOG_SIZE)
                        .with("generations", LAUREL_LOG_GENERATIONS);
                return;
            }
            if (file == null || file.isEmpty()) {
                differs(log, null, "has no file; LAUREL 0.5.1 cannot start without one, laurel writes "
                        + defaultFile, e.notes);
                file = defaultFile;
            }
            boolean stdout = file.equals("-");
            e.with("file", stdout ? "-" : resolve(file));
            Long size = log.count("size");
            Long generations = log.count("generations");
            if (stdout) {
                for (String key : List.of("size", "generations", "read-groups", "read-other")) {
                    if (log.has(key)) {
                        differs(log, key, "ignored with file = \"-\" (standard output), as LAUREL does", e.notes);
                    }
                }
            } else {
                if (size != null && size > 0) {
                    e.with("size", size);
                }
                if (generations != null) {
                    if (generations == 0) {
                        noEquivalent(log, "generations", "0 has no equivalent: laurel keeps at least 1 rotated"
                                + " file", e.notes);
                        e.with("generations", 1L);
                    } else if (generations > 1000) {
                        noEquivalent(log, "generations", "laurel keeps at most 1000 rotated files", e.notes);
                        e.with("generations", 1000L);
                    } else {
                        e.with("generations", generations);
                    }
                }
            }
            List<String> users = log.strings("read-users");
            if (users != null && !users.isEmpty()) {
                noEquivalent(log, "read-users", "laurel sets no POSIX ACLs; give the readers a group and set it"
                        + " with group: (and mode:) on this sink", e.notes);
            }
            // LAUREL 0.7+ reads the list read-groups and grants each group read access by ACL.
            List<String> groups = log.strings("read-groups");
            if (groups != null && !groups.isEmpty() && !stdout) {
                e.with("group", groups.get(0));
                if (groups.size() > 1) {
                    noEquivalent(log, "read-groups", "laurel gives the file one group, " + groups.get(0)
                            + ", instead of POSIX ACLs; the other groups get no access", e.notes);
                } else {
                    differs(log, "read-groups", "the file's group is set instead of a POSIX ACL", e.notes);
                }
            }
            Boolean other = log.bool("read-other");
            if (Boolean.TRUE.equals(other) && !stdout) {
                e.with("mode", "0644");
            }
            readLinePrefix(log, e);
            unknown(log, e.notes);
        }

        /** A pipe or unix-socket sink for LAUREL's "| PROGRAM" or "unix:PATH" file. */
        private ChainEntry streamSink(TomlSection log, String name, String type, String target) {
            ChainEntry e = new ChainEntry(type, "[" + name + "] file = \"" + (type.equals("pipe") ? "| " : "unix:")
                    + target + "\"");
            if (target.isEmpty()) {
                log.problem("file", type.equals("pipe") ? "names no program after \"|\"; write \"| /path/to/program\""
                        : "names no socket after \"unix:\"; write \"unix:/path/to/socket\"");
                return e;
            }
            if (type.equals("pipe")) {
                List<String> argv = List.of(target.split("\\s+"));
                e.with("command", argv);
                if (argv.size() > 1) {
                    differs(log, "file", "laurel splits the text after \"|\" at spaces into a program and its"
                            + " arguments and runs it without a shell; LAUREL runs the whole text as the program's"
                            + " name", e.notes);
                }
            } else {
                e.with("path", target);
            }
            // LAUREL ignores the file options for a program or a socket; laurel's sinks have none.
            for (String key : List.of("size", "generations", "read-users", "read-groups", "read-other")) {
                if (log.has(key)) {
                    log.skip(key);
                    differs(log, key, "ignored for a " + (type.equals("pipe") ? "program" : "socket")
                            + ", as LAUREL does", e.notes);
                }
            }
            readLinePrefix(log, e);
            unknown(log, e.notes);
            return e;
        }

        private static void readLinePrefix(TomlSection log, ChainEntry e) {
            String prefix = log.string("line-prefix");
            if (prefix != null && !prefix.isEmpty()) {
                e.with("line-prefix", prefix);
            }
        }

        // ---- output ----

        private String render() {
            YamlText y = new YamlText();
            y.comment(0, "laurel configuration migrated from the LAUREL config " + source + " by"
                    + " \"laurel migrate-config\".\n"
                    + "Options the file leaves out take LAUREL 0.5.1's defaults; enrich.systemd and"
                    + " enrich.user-groups\n"
                    + "(on by default in later LAUREL versions) are added only when the file turns them on.\n"
                    + "\"NOT MIGRATED\" comments name options laurel has no equivalent for.");
            y.comment(0, laurel08 ? "Output layout: LAUREL 0.8's (the file sets " + laurel08Because
                    + ", which LAUREL 0.5.1 does not read)."
                    : "Output layout: LAUREL 0.5.1's (the file sets no option LAUREL 0.6 or later added).");
            if (!directory.equals(Path.of("."))) {
                y.comment(0, "LAUREL's directory, " + directory + ", is put in front of its relative file names.");
            }
            for (Map.Entry<String, Object> e : top.entrySet()) {
                y.entry(0, e.getKey(), e.getValue(), null);
            }
            section(y, "diagnostics", diagnostics);
            section(y, "limits", limits);
            for (String note : topNotes) {
                y.comment(0, note);
            }
            y.blank();
            y.entry(0, "enrichers", null, "run in this order");
            chain(y, enrichers, enricherNotes);
            y.blank();
            y.entry(0, "sinks", null, null);
            chain(y, sinks, sinkNotes);
            return y.toString();
        }

        private static void section(YamlText y, String name, Map<String, Object> values) {
            if (values.isEmpty()) {
                return;
            }
            y.entry(0, name, null, null);
            for (Map.Entry<String, Object> e : values.entrySet()) {
                y.entry(2, e.getKey(), e.getValue(), null);
            }
        }

        private static void chain(YamlText y, List<ChainEntry> entries, List<String> notes) {
            for (ChainEntry e : entries) {
                y.item(2, "type", e.type, e.comment);
                for (Map.Entry<String, Object> o : e.options.entrySet()) {
                    y.entry(4, o.getKey(), o.getValue(), null);
                }
                for (String note : e.notes) {
                    y.comment(4, note);
                }
            }
            for (String note : notes) {
                y.comment(2, note);
            }
        }
    }
}
