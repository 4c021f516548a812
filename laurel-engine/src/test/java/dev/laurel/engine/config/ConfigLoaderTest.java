package dev.laurel.engine.config;

import dev.laurel.api.AuditEvent;
import dev.laurel.api.EventId;
import dev.laurel.api.Format;
import dev.laurel.api.Value;
import dev.laurel.engine.json.LaurelFormat;
import dev.laurel.engine.pipeline.Pipeline;
import dev.laurel.engine.plugin.PluginRegistry;
import dev.laurel.engine.testkit.Accounts;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

class ConfigLoaderTest {
    private static PluginRegistry registry;

    @TempDir
    Path dir;

    @BeforeAll
    static void discover() throws Exception {
        registry = PluginRegistry.discover(null);
    }

    @BeforeEach
    void forget() {
        ChainRecorder.clear();
    }

    private Path write(String yaml) throws IOException {
        Path file = dir.resolve("laurel.yaml");
        Files.writeString(file, yaml, StandardCharsets.UTF_8);
        return file;
    }

    private LaurelConfig load(String yaml) throws Exception {
        return new ConfigLoader(registry).load(write(yaml));
    }

    /** Every error as printed, with the temp directory cut from the file name. */
    private List<String> errors(String yaml) throws IOException {
        Path file = write(yaml);
        ConfigErrors e = catchThrowableOfType(ConfigErrors.class, () -> new ConfigLoader(registry).load(file));
        assertThat(e).as("expected config errors").isNotNull();
        assertThat(e.getMessage()).isEqualTo(String.join("\n", e.errors().stream().map(ConfigError::toString).toList()));
        return e.errors().stream().map(err -> err.toString().replace(dir + "/", "")).toList();
    }

    @Test
    void theAccountIsReadThroughTheYamlParseHoweverTheKeyIsSpelled() throws Exception {
        for (String spelling : List.of("user: nobody", "\"user\": nobody", "'user' : 'nobody'", "user :  nobody",
                "user:\n  nobody", "\"\\x75ser\": nobody", "{user: nobody, sinks: []}", "? user\n: nobody",
                "# user: root\nuser: nobody # not root")) {
            assertThat(ConfigFile.account(write(spelling + "\n"))).as(spelling).isEqualTo("nobody");
        }
        assertThat(ConfigFile.account(write("sinks: []\n# user: nobody\n"))).isNull();
        assertThat(ConfigFile.account(write(""))).isNull();
    }

    @Test
    void userNoneKeepsTheStartingAccountAsTheSettingSays() throws Exception {
        // "none: keep the starting account" (the setting's help), as proc-root: none and state: none
        assertThat(ConfigFile.account(write("user: none\nsinks: []\n"))).isNull();
        assertThat(ConfigFile.account(write("user: ~\nsinks: []\n"))).isNull();
        assertThat(load("user: none\nsinks: []\n").user()).isNull();
    }

    @Test
    void anAccountNameACommandLineCouldSplitIsAProblemAtItsPlace() throws IOException {
        Path file = write("sinks: []\nuser: \"nobody --reuid=0\"\n");
        ConfigErrors e = catchThrowableOfType(ConfigErrors.class, () -> ConfigFile.account(file));

        assertThat(e.errors()).singleElement().hasToString(file
                + ":2:7: user: \"nobody --reuid=0\" is not an account name (letters, digits, '_', '.', '-')");
        assertThat(errors("sinks: []\nuser: \"a b\"\n"))
                .containsExactly("laurel.yaml:2:7: user: \"a b\" is not an account name (letters, digits, '_', '.', '-')");
    }

    @Test
    void aFileLargerThanAConfigCanBeIsRefusedBeforeItIsRead() throws IOException {
        Path file = write("sinks: []\n" + ("#" + "x".repeat(1023) + "\n").repeat(3 * 1024 + 1));

        assertThat(errors(Files.readString(file))).singleElement().asString()
                .startsWith("laurel.yaml:0:0: the file is 3149835 bytes; a config is at most 3 MiB (3145728 bytes)");
        ConfigErrors e = catchThrowableOfType(ConfigErrors.class, () -> ConfigFile.account(file));
        assertThat(e.errors()).singleElement().asString().contains("a config is at most 3 MiB");
    }

    @Test
    void aControlCharacterIsAProblemAtItsLineAndColumn() throws IOException {
        // after a comment long enough to span SnakeYAML's read buffers, CRLF lines and a non-ASCII name
        String head = "# " + "\u00e9".repeat(3000) + "\r\nsinks:\r\n  - type: json-";
        assertThat(errors(head + "\u0001file\r\n")).containsExactly(
                "laurel.yaml:3:16: invalid YAML: the character U+0001 is not allowed in YAML (control characters"
                        + " other than tab and line breaks are not); remove it");
    }

    @Test
    void aFileThatIsNotUtf8IsAProblemAtItsFirstBadByte() throws IOException {
        Path file = dir.resolve("laurel.yaml");
        // a comment saved as Latin-1 on the third line: "caf\u00e9"
        Files.write(file, "sinks:\n  - type: json-file\n    # caf\u00e9 logs\n".getBytes(StandardCharsets.ISO_8859_1));
        ConfigErrors e = catchThrowableOfType(ConfigErrors.class, () -> new ConfigLoader(registry).load(file));

        assertThat(e.errors()).singleElement().hasToString(file + ":3:10: the file is not UTF-8 from the byte 0xE9"
                + " here; save it as UTF-8 (a Latin-1 editor or pasted text can leave such bytes, often in a comment)");
        ConfigErrors account = catchThrowableOfType(ConfigErrors.class, () -> ConfigFile.account(file));
        assertThat(account.errors()).singleElement().asString().startsWith(file + ":3:10: the file is not UTF-8");
    }

    @Test
    void whereSnakeYamlItselfSlipsTheFileIsInvalidYamlAtThePlaceItWasReading() throws IOException {
        // SnakeYAML 2.5 throws NumberFormatException for a backslash-x escape cut short by the end of the file
        assertThat(errors("sinks: \"\\x")).singleElement().asString()
                .startsWith("laurel.yaml:1:11: invalid YAML: the YAML reader stopped here (java.lang.NumberFormatException")
                .endsWith("look for an unfinished quote or escape sequence (\\x, \\u, \\U) at or before this place");
        // and its nesting limit carries no mark of its own
        assertThat(errors("sinks: " + "[".repeat(60) + "]".repeat(60) + "\n"))
                .containsExactly("laurel.yaml:1:128: invalid YAML: Nesting Depth exceeded max 50");
    }

    @Test
    void reportsYamlSyntaxErrorAtItsMark() throws IOException {
        assertThat(errors("input: \"-\"\nsinks: [a, b\nuser: x\n")).containsExactly(
                "laurel.yaml:3:5: invalid YAML: expected ',' or ']', but got :"
                        + " (while parsing a flow sequence started at line 2, column 8)");
    }

    @Test
    void reportsTabIndentationAsYamlError() throws IOException {
        assertThat(errors("limits:\n\tpending-events: 3\n")).containsExactly(
                "laurel.yaml:2:1: invalid YAML: found character '\\t(TAB)' that cannot start any token."
                        + " (Do not use \\t(TAB) for indentation) (while scanning for the next token)");
    }

    @Test
    void reportsUnknownTopLevelKeyWithTheKnownOnes() throws IOException {
        assertThat(errors("inputs: \"-\"\n")).containsExactly(
                "laurel.yaml:1:1: unknown key \"inputs\"; valid keys are: input, user, state, proc-root,"
                        + " limits, diagnostics, enrichers, sinks; did you mean \"input\"?");
    }

    @Test
    void reportsUnknownKeyInASection() throws IOException {
        assertThat(errors("limits:\n  pending-event: 5\n")).containsExactly(
                "laurel.yaml:2:3: unknown key \"pending-event\" in limits; valid keys in limits are: pending-events,"
                        + " pending-bytes, processes, event-time-wait, wall-clock-wait, flush-interval, read-window, state-interval, state-max-age;"
                        + " did you mean \"pending-events\"?");
    }

    @Test
    void readsTheProcRootAndTheProcessBound(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("laurel.yaml");
        Files.writeString(file, "proc-root: /srv/fake-proc\nlimits:\n  processes: 5000\n");
        try (LaurelConfig config = new ConfigLoader(PluginRegistry.discover(null)).load(file)) {
            assertThat(config.procRoot()).isEqualTo(Path.of("/srv/fake-proc"));
            assertThat(config.processesLimit()).isEqualTo(5000);
        }
        Files.writeString(file, "proc-root: none\n");
        try (LaurelConfig config = new ConfigLoader(PluginRegistry.discover(null)).load(file)) {
            assertThat(config.procRoot()).isNull();
            assertThat(config.processesLimit()).isEqualTo(100_000);
        }
    }

    @Test
    void givesPluginsTheTopLevelProcRootThroughTheirContext() throws Exception {
        try (LaurelConfig config = load("proc-root: /srv/fake-proc\nenrichers:\n  - type: test-tag\n    tag: x\n")) {
            TestTagFactory.Tagger tagger = (TestTagFactory.Tagger) config.enrichers().get(0);
            assertThat(tagger.context().procRoot()).contains(Path.of("/srv/fake-proc"));
        }
        try (LaurelConfig config = load("enrichers:\n  - type: test-tag\n    tag: x\n")) {
            TestTagFactory.Tagger tagger = (TestTagFactory.Tagger) config.enrichers().get(0);
            assertThat(tagger.context().procRoot()).contains(Path.of("/proc"));
        }
        try (LaurelConfig config = load("proc-root: none\nenrichers:\n  - type: test-tag\n    tag: x\n")) {
            TestTagFactory.Tagger tagger = (TestTagFactory.Tagger) config.enrichers().get(0);
            assertThat(tagger.context().procRoot()).isEmpty();
        }
    }

    @Test
    void refusesProcRootOnAChainEntryNamingTheTopLevelKey() throws IOException {
        assertThat(errors("enrichers:\n  - type: test-tag\n    tag: x\n    proc-root: /srv/proc\n")).containsExactly(
                "laurel.yaml:4:5: proc-root is set once, at the top of the file, for laurel and every plugin;"
                        + " move \"proc-root: /srv/proc\" there (above enrichers:) and remove it from this entry");
    }

    @Test
    void reportsATooSmallProcessBound() throws IOException {
        assertThat(errors("limits:\n  processes: 3\n")).containsExactly(
                "laurel.yaml:2:14: limits.processes: must be at least 16 (got 3)");
    }

    @Test
    void reportsDuplicateKey() throws IOException {
        assertThat(errors("user: a\nuser: b\n")).containsExactly(
                "laurel.yaml:2:1: duplicate key \"user\" (first at line 1, column 1); remove one of them");
    }

    @Test
    void reportsUnknownTypeListingTheAvailableOnes() throws IOException {
        assertThat(errors("enrichers:\n  - type: test-tga\n")).containsExactly(
                "laurel.yaml:2:11: unknown enricher type \"test-tga\"; available enrichers: test-boom,"
                        + " test-needs-tag, test-tag; did you mean \"test-tag\"?");
    }

    @Test
    void reportsUnknownTypeWithoutSuggestionWhenNothingIsClose() throws IOException {
        assertThat(errors("sinks:\n  - type: elasticsearch\n")).containsExactly(
                "laurel.yaml:2:11: unknown sink type \"elasticsearch\"; available sinks: test-sink");
    }

    @Test
    void reportsTwoEntriesOfAnUnknownTypeOnlyAsUnknown() throws IOException {
        assertThat(errors("sinks:\n  - type: nope\n  - type: nope\n")).containsExactly(
                "laurel.yaml:2:11: unknown sink type \"nope\"; available sinks: test-sink",
                "laurel.yaml:3:11: unknown sink type \"nope\"; available sinks: test-sink");
    }

    @Test
    void saysWhenASinkIsUsedAsEnricher() throws IOException {
        assertThat(errors("enrichers:\n  - type: test-sink\n")).containsExactly(
                "laurel.yaml:2:11: test-sink is a sink, not an enricher; move this entry under sinks:");
    }

    @Test
    void saysWhenAnEnricherIsUsedAsSink() throws IOException {
        assertThat(errors("sinks:\n  - type: test-tag\n    tag: x\n")).containsExactly(
                "laurel.yaml:2:11: test-tag is an enricher, not a sink; move this entry under enrichers:");
    }

    @Test
    void reportsEntryWithoutType() throws IOException {
        assertThat(errors("sinks:\n  - file: x\n")).containsExactly(
                "laurel.yaml:2:5: this sink has no type; add \"type: NAME\" (available sinks: test-sink)");
    }

    @Test
    void reportsEntryWrittenAsPlainName() throws IOException {
        assertThat(errors("sinks:\n  - test-sink\n")).containsExactly(
                "laurel.yaml:2:5: expected an entry such as \"- type: NAME\", found \"test-sink\";"
                        + " write \"- type: test-sink\"");
    }

    @Test
    void reportsUnknownOptionSuggestingTheClosest() throws IOException {
        assertThat(errors("enrichers:\n  - type: test-tag\n    tag: x\n    cuont: 3\n")).containsExactly(
                "laurel.yaml:4:5: unknown option \"cuont\" for test-tag; valid options are: tag, count, enabled,"
                        + " tags, labels, mode, delay; did you mean \"count\"?");
    }

    @Test
    void reportsUnknownOptionOfPluginWithoutOptions() throws IOException {
        assertThat(errors("enrichers:\n  - type: test-tag\n    tag: x\n  - type: test-needs-tag\n    level: 3\n"))
                .containsExactly("laurel.yaml:5:5: unknown option \"level\"; test-needs-tag takes no options"
                        + " besides type and id");
    }

    @Test
    void reportsWrongValueTypesSayingWhatWasExpectedAndFound() throws IOException {
        assertThat(errors("""
                enrichers:
                  - type: test-tag
                    tag: [a, b]
                    count: ten
                    enabled: yes
                    tags: {a: b}
                    labels: [x]
                    mode: 3.5
                """)).containsExactly(
                "laurel.yaml:3:10: tag: expected text, found a list",
                "laurel.yaml:4:12: count: expected a whole number, found \"ten\"",
                "laurel.yaml:5:14: enabled: expected true or false, found \"yes\"",
                "laurel.yaml:6:11: tags: expected a list of text, found a mapping",
                "laurel.yaml:7:13: labels: expected a mapping of names to text, found a list",
                "laurel.yaml:8:11: mode: \"3.5\" is not one of strict, lenient");
    }

    @Test
    void reportsWrongTypeInsideListAndMapping() throws IOException {
        assertThat(errors("""
                enrichers:
                  - type: test-tag
                    tag: x
                    tags: [a, [b]]
                    labels: {k: [v]}
                """)).containsExactly(
                "laurel.yaml:4:15: tags: expected text as item 2, found a list",
                "laurel.yaml:5:17: labels: expected text as the value of \"k\", found a list");
    }

    @Test
    void reportsEmptyValueAsNothing() throws IOException {
        assertThat(errors("enrichers:\n  - type: test-tag\n    tag:\n")).containsExactly(
                "laurel.yaml:3:9: tag: expected text, found nothing");
    }

    @Test
    void reportsMissingRequiredOptionAtTheEntrysType() throws IOException {
        assertThat(errors("enrichers:\n  - type: test-tag\n    count: 2\n")).containsExactly(
                "laurel.yaml:2:5: missing required option \"tag\" for test-tag (The tag to add)");
    }

    @Test
    void reportsChoiceNotAmongTheChoices() throws IOException {
        assertThat(errors("enrichers:\n  - type: test-tag\n    tag: x\n    mode: strikt\n")).containsExactly(
                "laurel.yaml:4:11: mode: \"strikt\" is not one of strict, lenient; did you mean \"strict\"?");
    }

    @Test
    void reportsFailedCheckWithTheValue() throws IOException {
        assertThat(errors("enrichers:\n  - type: test-tag\n    tag: x\n    count: -3\n")).containsExactly(
                "laurel.yaml:4:12: count: must be positive (got -3)");
    }

    @Test
    void reportsBadDurationsAndLimits() throws IOException {
        assertThat(errors("""
                limits:
                  pending-events: 0
                  event-time-wait: 3 seconds
                  wall-clock-wait: 5
                  flush-interval: 0ms
                  read-window: 81ms
                diagnostics:
                  status-report-period: 1d
                """)).containsExactly(
                "laurel.yaml:2:19: limits.pending-events: must be at least 1 (got 0)",
                "laurel.yaml:3:20: limits.event-time-wait: expected a duration such as 250ms, 3s, 5m or 1h,"
                        + " found \"3 seconds\"",
                "laurel.yaml:4:20: limits.wall-clock-wait: expected a duration such as 250ms, 3s, 5m or 1h,"
                        + " found \"5\"",
                "laurel.yaml:5:19: limits.flush-interval: must be longer than 0 (got 0ms)",
                "laurel.yaml:6:16: limits.read-window: must be at most 80ms, as a record waits up to this long"
                        + " before it is read (got 81ms)",
                "laurel.yaml:8:25: diagnostics.status-report-period: expected a duration such as 250ms, 3s, 5m"
                        + " or 1h, found \"1d\"");
    }

    @Test
    void readsTheStateIntervalAndMaxAge() throws Exception {
        try (LaurelConfig config = load("state: /var/lib/laurel\nlimits:\n  state-interval: 0\n  state-max-age: 30m\n")) {
            assertThat(config.stateInterval()).isEqualTo(Duration.ZERO);
            assertThat(config.stateMaxAge()).isEqualTo(Duration.ofMinutes(30));
        }
    }

    @Test
    void reportsBadStateDurations() throws IOException {
        assertThat(errors("""
                limits:
                  state-interval: often
                  state-max-age: 0s
                """)).containsExactly(
                "laurel.yaml:2:19: limits.state-interval: expected a duration such as 250ms, 3s, 5m or 1h,"
                        + " found \"often\"",
                "laurel.yaml:3:18: limits.state-max-age: must be longer than 0 (got 0s)");
    }

    private Path directory(String name, String mode) throws IOException {
        Path d = Files.createDirectory(dir.resolve(name));
        Files.setPosixFilePermissions(d, PosixFilePermissions.fromString(mode));
        return d;
    }

    @Test
    void refusesAStateDirectoryOthersMayWrite() throws IOException {
        Path state = directory("state", "rwxrwxrwx");
        assertThat(errors("state: " + state + "\n")).containsExactly("laurel.yaml:1:8: state: refusing the state "
                + "directory, as laurel would restore what another account wrote there: state: group or others "
                + "may write the directory (mode 0777); another account could make laurel write through a link it "
                + "puts there; chmod go-w state");
    }

    @Test
    void refusesAStateFileOfAnotherAccount() throws IOException {
        assumeTrue(Accounts.isRoot(), "giving a file to nobody needs root");
        Path state = directory("state", "rwx------");
        Path file = Files.writeString(state.resolve("laurel.state"), "forged");
        Files.setOwner(file, Accounts.nobody());
        assertThat(errors("state: " + state + "\n")).singleElement().satisfies(e -> assertThat(e)
                .startsWith("laurel.yaml:1:8: state: refusing the state directory, as laurel would restore what "
                        + "another account wrote there: state/laurel.state: is owned by nobody (uid ")
                .endsWith("chown root state/laurel.state"));
    }

    @Test
    void refusesAParseErrorLogInADirectoryOthersMayWrite() throws IOException {
        Path logs = directory("logs", "rwxrwxrwx");
        Path log = logs.resolve("parse-errors.log");
        assertThat(errors("diagnostics:\n  parse-error-log: " + log + "\n")).containsExactly("laurel.yaml:2:20: "
                + "diagnostics.parse-error-log: cannot open logs/parse-errors.log for appending: logs: group or others "
                + "may write the directory (mode 0777); another account could make laurel write through a link it "
                + "puts there; chmod go-w logs");
    }

    @Test
    void aDryRunReportsAParseErrorLogItCouldNotCreateAndCreatesNone() throws Exception {
        Path log = dir.resolve("missing/parse-errors.log");
        Path ok = dir.resolve("parse-errors.log");
        Path file = write("diagnostics:\n  parse-error-log: " + log + "\n");
        ConfigErrors e = catchThrowableOfType(ConfigErrors.class,
                () -> new ConfigLoader(registry, null, true).load(file));
        assertThat(e.errors()).map(ConfigError::toString).containsExactly(file + ":2:20: diagnostics.parse-error-log: "
                + "cannot open " + log + " for appending: its directory does not exist");

        new ConfigLoader(registry, null, true).load(write("diagnostics:\n  parse-error-log: " + ok + "\n")).close();
        assertThat(ok).doesNotExist();
    }

    @Test
    void reportsBadDiagnosticsAndInput() throws IOException {
        assertThat(errors("""
                input: "unix:"
                diagnostics:
                  log: syslgo
                  log-level: verbose
                  parse-error-log: [a]
                """)).containsExactly(
                "laurel.yaml:1:8: input: \"unix:\" needs the socket's path, e.g. unix:/var/run/laurel.sock",
                "laurel.yaml:3:8: diagnostics.log: \"syslgo\" is not one of auto, stderr, syslog;"
                        + " did you mean \"syslog\"?",
                "laurel.yaml:4:14: diagnostics.log-level: \"verbose\" is not one of error, warn, info, debug, trace",
                "laurel.yaml:5:20: diagnostics.parse-error-log: expected a file path or none, found a list");
    }

    @Test
    void reportsRequiredPluginThatComesLater() throws IOException {
        assertThat(errors("""
                enrichers:
                  - type: test-needs-tag
                  - type: test-tag
                    tag: x
                """)).containsExactly(
                "laurel.yaml:2:5: test-needs-tag (enricher 1) requires test-tag before it, but test-tag is"
                        + " enricher 2 at line 3, column 5; move test-tag above test-needs-tag");
    }

    @Test
    void reportsRequiredPluginThatIsMissing() throws IOException {
        assertThat(errors("enrichers:\n  - type: test-needs-tag\n")).containsExactly(
                "laurel.yaml:2:5: test-needs-tag (enricher 1) requires test-tag before it, but there is no"
                        + " test-tag entry; add \"- type: test-tag\" above it");
    }

    @Test
    void reportsDuplicateDefaultId() throws IOException {
        assertThat(errors("""
                enrichers:
                  - type: test-tag
                    tag: a
                  - type: test-tag
                    tag: b
                """)).containsExactly(
                "laurel.yaml:4:5: id \"test-tag\" is already used by enricher 1 at line 2, column 5; an entry's id"
                        + " defaults to its type, so give one of them a distinct \"id:\"");
    }

    @Test
    void reportsDuplicateExplicitIdAcrossEnrichersAndSinks() throws IOException {
        assertThat(errors("""
                enrichers:
                  - type: test-tag
                    id: main
                    tag: a
                sinks:
                  - type: test-sink
                    id: main
                """)).containsExactly(
                "laurel.yaml:7:9: duplicate id \"main\": enricher 1 at line 3, column 9 already has it;"
                        + " ids must be unique in the file");
    }

    @Test
    void acceptsTheSameTypeTwiceWithDistinctIds() throws Exception {
        try (LaurelConfig config = load("""
                enrichers:
                  - type: test-tag
                    tag: a
                  - type: test-tag
                    id: second
                    tag: b
                """)) {
            assertThat(config.enricherIds()).containsExactly("test-tag", "second");
        }
    }

    @Test
    void placesConfigExceptionFromCreateAtTheNamedOption() throws IOException {
        assertThat(errors("sinks:\n  - type: test-sink\n    min: 5\n    max: 3\n")).containsExactly(
                "laurel.yaml:3:10: min: must not be greater than max (3)");
    }

    @Test
    void placesConfigExceptionAboutAnUnsetOptionAtTheType() throws IOException {
        assertThat(errors("sinks:\n  - type: test-sink\n    max: -1\n")).containsExactly(
                "laurel.yaml:2:5: min: must not be greater than max (-1)");
    }

    @Test
    void namesThePluginClassWhenCreateFails() throws IOException {
        assertThat(errors("enrichers:\n  - type: test-boom\n")).containsExactly(
                "laurel.yaml:2:5: test-boom: dev.laurel.engine.config.TestBoomFactory.create failed:"
                        + " java.lang.IllegalStateException: boom; this is a bug in the plugin, report it to its authors");
    }

    @Test
    void reportsEveryProblemOfAFileTogetherInFileOrder() throws IOException {
        List<String> errors = errors("""
                input: "-"
                limits:
                  flush-interval: soon
                enrichers:
                  - type: test-needs-tag
                  - type: test-tag
                    tag: x
                    count: 0
                  - type: hex-decodr
                sinks:
                  - type: test-sink
                    min: 9
                    max: 1
                  - type: test-sink
                    colour: blue
                outputs: []
                """);
        assertThat(errors).containsExactly(
                "laurel.yaml:3:19: limits.flush-interval: expected a duration such as 250ms, 3s, 5m or 1h,"
                        + " found \"soon\"",
                "laurel.yaml:5:5: test-needs-tag (enricher 1) requires test-tag before it, but test-tag is"
                        + " enricher 2 at line 6, column 5; move test-tag above test-needs-tag",
                "laurel.yaml:8:12: count: must be positive (got 0)",
                "laurel.yaml:9:11: unknown enricher type \"hex-decodr\"; available enrichers: test-boom,"
                        + " test-needs-tag, test-tag",
                "laurel.yaml:12:10: min: must not be greater than max (1)",
                "laurel.yaml:14:5: id \"test-sink\" is already used by sink 1 at line 11, column 5; an entry's id"
                        + " defaults to its type, so give one of them a distinct \"id:\"",
                "laurel.yaml:15:5: unknown option \"colour\" for test-sink; valid options are: file, min, max,"
                        + " fail-on-close, header",
                "laurel.yaml:16:1: unknown key \"outputs\"; valid keys are: input, user, state, proc-root, limits,"
                        + " diagnostics, enrichers, sinks");
    }

    @Test
    void closesWhatWasCreatedWhenOtherEntriesFail() throws IOException {
        errors("""
                enrichers:
                  - type: test-tag
                    tag: a
                  - type: test-needs-tag
                sinks:
                  - type: test-sink
                    id: good
                  - type: test-sink
                    id: bad
                    min: 2
                    max: 1
                  - type: test-sink
                    id: unknown-option
                    nope: 1
                """);
        assertThat(ChainRecorder.events()).containsExactly(
                "create test-tag", "create test-needs-tag", "create good",
                "close good", "close test-needs-tag", "close test-tag");
    }

    @Test
    void reportsMissingFile() {
        Path missing = dir.resolve("nope.yaml");
        ConfigErrors e = catchThrowableOfType(ConfigErrors.class, () -> new ConfigLoader(registry).load(missing));
        assertThat(e.getMessage()).isEqualTo(missing + ":0:0: cannot read the config file: no such file");
        assertThat(ConfigErrors.EXIT_STATUS).isEqualTo(78);
    }

    @Test
    void reportsARootThatIsNotAMapping() throws IOException {
        assertThat(errors("- type: test-sink\n")).containsExactly(
                "laurel.yaml:1:1: expected a mapping of settings such as \"input:\" and \"sinks:\", found a list");
    }

    @Test
    void emptyFileGivesTheDefaults() throws Exception {
        try (LaurelConfig config = load("# nothing yet\n")) {
            assertThat(config.source()).isEqualTo(dir.resolve("laurel.yaml"));
            assertThat(config.input()).isEqualTo("-");
            assertThat(config.user()).isNull();
            assertThat(config.stateDirectory()).isNull();
            assertThat(config.pendingEventsLimit()).isEqualTo(10_000);
            assertThat(config.eventTimeWait()).isEqualTo(Duration.ofSeconds(3));
            assertThat(config.wallClockWait()).isEqualTo(Duration.ofSeconds(5));
            assertThat(config.flushInterval()).isEqualTo(Duration.ofMillis(100));
            assertThat(config.readWindow()).isEqualTo(Duration.ofMillis(40));
            assertThat(config.log()).isEqualTo("auto");
            assertThat(config.logLevel()).isEqualTo("info");
            assertThat(config.parseErrorLog()).isNull();
            assertThat(config.statusReportPeriod()).isEqualTo(Duration.ZERO);
            assertThat(config.stateInterval()).isEqualTo(Duration.ofMinutes(1));
            assertThat(config.stateMaxAge()).isEqualTo(Duration.ofHours(1));
            assertThat(config.enrichers()).isEmpty();
            assertThat(config.sinks()).isEmpty();
        }
    }

    @Test
    void readsAndChecksTheByteLimits() throws Exception {
        try (LaurelConfig config = load("limits:\n  pending-bytes: 1048576\ndiagnostics:\n  parse-error-log-size: 65536\n")) {
            assertThat(config.pendingBytesLimit()).isEqualTo(1 << 20);
            assertThat(config.parseErrorLogSize()).isEqualTo(65536);
        }
        try (LaurelConfig config = load("input: \"-\"\n")) {
            assertThat(config.pendingBytesLimit()).isEqualTo(16 << 20);
            assertThat(config.parseErrorLogSize()).isEqualTo(10 << 20);
        }
        assertThat(errors("limits:\n  pending-bytes: 10\ndiagnostics:\n  parse-error-log-size: 0\n")).containsExactly(
                "laurel.yaml:2:18: limits.pending-bytes: must be at least 65536 (got 10)",
                "laurel.yaml:4:25: diagnostics.parse-error-log-size: must be at least 4096 (got 0)");
    }

    @Test
    void readsByteSizesWithBinaryUnits() throws Exception {
        try (LaurelConfig config = load("limits:\n  pending-bytes: 32MiB\ndiagnostics:\n  parse-error-log-size: 64KiB\n")) {
            assertThat(config.pendingBytesLimit()).isEqualTo(32L << 20);
            assertThat(config.parseErrorLogSize()).isEqualTo(64L << 10);
        }
    }

    @Test
    void reportsAByteSizeInAnUnknownUnitWithTheFormsThatWork() throws IOException {
        assertThat(errors("limits:\n  pending-bytes: 16MB\n")).containsExactly(
                "laurel.yaml:2:18: limits.pending-bytes: expected a byte size such as 65536, 64KiB or 16MiB,"
                        + " found \"16MB\"");
    }

    @Test
    void reportsAnEngineSettingAndAPluginOptionOfOneTypeWithOneMessage() throws IOException {
        assertThat(errors("""
                limits:
                  flush-interval: soon
                enrichers:
                  - type: test-tag
                    tag: x
                    delay: soon
                """)).containsExactly(
                "laurel.yaml:2:19: limits.flush-interval: expected a duration such as 250ms, 3s, 5m or 1h,"
                        + " found \"soon\"",
                "laurel.yaml:6:12: delay: expected a duration such as 250ms, 3s, 5m or 1h, found \"soon\"");
    }

    @Test
    void readsTheMarkerAndRefusesOneThatWouldBreakALogLine() throws Exception {
        try (LaurelConfig config = load("diagnostics:\n  marker: web-7 laurel\n")) {
            assertThat(config.marker()).isEqualTo("web-7 laurel");
        }
        try (LaurelConfig config = load("input: \"-\"\n")) {
            assertThat(config.marker()).isNull();
        }
        try (LaurelConfig config = load("diagnostics:\n  marker: none\n")) {
            assertThat(config.marker()).isNull();
        }
        assertThat(errors("diagnostics:\n  marker: \"two\\nlines\"\n")).containsExactly(
                "laurel.yaml:2:11: diagnostics.marker: expected a one-line text (written to laurel's log at start "
                        + "and with each status report), found \"two\\nlines\"");
    }

    @Test
    void readsAValidConfigWithTheChainInFileOrder() throws Exception {
        try (LaurelConfig config = load("""
                input: unix:/var/run/laurel.sock
                user: _laurel
                state: /var/lib/laurel
                limits:
                  pending-events: 500
                  event-time-wait: 250ms
                  wall-clock-wait: 2m
                  flush-interval: 1h
                diagnostics:
                  log: stderr
                  log-level: debug
                  parse-error-log: /var/log/laurel/parse-errors.log
                  status-report-period: 5m
                enrichers:
                  - type: test-tag
                    id: first
                    tag: one
                    count: 0x10
                    enabled: false
                    tags: solo
                    labels: {env: prod, team: sec}
                    mode: lenient
                  - type: test-needs-tag
                  - type: test-tag
                    tag: two
                    tags: [a, b]
                sinks:
                  - type: test-sink
                    file: /tmp/out.jsonl
                    min: 1
                  - type: test-sink
                    id: second-sink
                """)) {
            assertThat(config.input()).isEqualTo("unix:/var/run/laurel.sock");
            assertThat(config.user()).isEqualTo("_laurel");
            assertThat(config.stateDirectory()).isEqualTo(Path.of("/var/lib/laurel"));
            assertThat(config.pendingEventsLimit()).isEqualTo(500);
            assertThat(config.eventTimeWait()).isEqualTo(Duration.ofMillis(250));
            assertThat(config.wallClockWait()).isEqualTo(Duration.ofMinutes(2));
            assertThat(config.flushInterval()).isEqualTo(Duration.ofHours(1));
            assertThat(config.log()).isEqualTo("stderr");
            assertThat(config.logLevel()).isEqualTo("debug");
            assertThat(config.parseErrorLog()).isEqualTo(Path.of("/var/log/laurel/parse-errors.log"));
            assertThat(config.statusReportPeriod()).isEqualTo(Duration.ofMinutes(5));

            assertThat(config.enricherIds()).containsExactly("first", "test-needs-tag", "test-tag");
            assertThat(config.sinkIds()).containsExactly("test-sink", "second-sink");
            assertThat(ChainRecorder.events()).containsExactly("create first", "create test-needs-tag",
                    "create test-tag", "create test-sink", "create second-sink");

            TestTagFactory.Tagger first = (TestTagFactory.Tagger) config.enrichers().get(0);
            assertThat(first.tag()).isEqualTo("one");
            assertThat(first.count()).isEqualTo(16L);
            assertThat(first.enabled()).isFalse();
            assertThat(first.tags()).containsExactly("solo");
            assertThat(first.labels()).containsExactly(Map.entry("env", "prod"), Map.entry("team", "sec"));
            assertThat(first.mode()).isEqualTo("lenient");
            assertThat(first.context().logger().getName()).isEqualTo("laurel.plugin.first");

            TestTagFactory.Tagger third = (TestTagFactory.Tagger) config.enrichers().get(2);
            assertThat(third.tag()).isEqualTo("two");
            assertThat(third.count()).isEqualTo(1L);
            assertThat(third.enabled()).isTrue();
            assertThat(third.tags()).containsExactly("a", "b");
            assertThat(third.labels()).isEmpty();
            assertThat(third.mode()).isEqualTo("strict");

            TestSinkFactory.Recorder sink = (TestSinkFactory.Recorder) config.sinks().get(0);
            assertThat(sink.file()).isEqualTo("/tmp/out.jsonl");
            assertThat(sink.min()).isEqualTo(1L);
            assertThat(sink.max()).isEqualTo(10L);
            TestSinkFactory.Recorder second = (TestSinkFactory.Recorder) config.sinks().get(1);
            assertThat(second.file()).isEqualTo("-");

            AuditEvent event = new AuditEvent(new EventId(1, 2, 3), null);
            config.enrichers().forEach(e -> e.enrich(event));
            assertThat(event.extra("TAG")).isEqualTo(Value.text("two"));
        }
    }

    @Test
    void closesSinksThenEnrichersInReverseOrderEvenWhenOneFails() throws Exception {
        LaurelConfig config = load("""
                enrichers:
                  - type: test-tag
                    id: e1
                    tag: a
                  - type: test-tag
                    id: e2
                    tag: b
                sinks:
                  - type: test-sink
                    id: s1
                  - type: test-sink
                    id: s2
                    fail-on-close: true
                  - type: test-sink
                    id: s3
                """);
        ChainRecorder.clear();
        config.close();
        assertThat(ChainRecorder.events()).containsExactly("close s3", "close s2", "close s1", "close e2", "close e1");
        config.close();
        assertThat(ChainRecorder.events()).as("closing twice closes once").hasSize(5);
    }

    @Test
    void readsEachSinksRouteBesideTypeAndIdKeptByDefault() throws Exception {
        try (LaurelConfig config = load("""
                sinks:
                  - type: test-sink
                    id: main
                  - type: test-sink
                    id: filtered-log
                    events: filtered
                  - type: test-sink
                    id: everything
                    events: all
                    file: /x
                """)) {
            assertThat(config.sinkIds()).containsExactly("main", "filtered-log", "everything");
            assertThat(config.sinkRoutes()).containsExactly(Pipeline.Route.KEPT, Pipeline.Route.FILTERED,
                    Pipeline.Route.ALL);
        }
    }

    @Test
    void reportsAnUnknownRouteLikeAnyChoiceAndEventsOnAnEnricherAsAnOption() throws IOException {
        assertThat(errors("""
                enrichers:
                  - type: test-tag
                    tag: x
                    events: all
                sinks:
                  - type: test-sink
                    events: filterd
                """)).containsExactly(
                "laurel.yaml:4:5: unknown option \"events\" for test-tag; valid options are: tag, count, enabled, tags, labels, mode, delay",
                "laurel.yaml:7:13: events: \"filterd\" is not one of kept, filtered, all;"
                        + " did you mean \"filtered\"?");
    }

    // A sink entry's format: a name or a mapping with options, checked like a plugin entry.

    @Test
    void theLaurelFormatIsBuiltInBesideTheOthers() {
        assertThat(registry.formats()).containsKeys("laurel", "test-format");
        assertThat(registry.origin("laurel")).isEqualTo(PluginRegistry.BUILT_IN);
    }

    @Test
    void aSinkWithoutFormatWritesTheLaurelFormat() throws Exception {
        try (LaurelConfig config = new ConfigLoader(registry).load(write("sinks:\n  - type: test-sink\n"))) {
            assertThat(config.sinkFormats()).containsExactly((Format) null);
            assertThat(config.chain().formats()).containsExactly((Format) null);
        }
        try (LaurelConfig config = new ConfigLoader(registry).load(write("sinks:\n  - type: test-sink\n    format: laurel\n"))) {
            assertThat(config.sinkFormats()).containsExactly(LaurelFormat.INSTANCE);
        }
    }

    @Test
    void sinksWithTheSameFormatAndOptionsShareOneFormatCreatedOnce() throws Exception {
        String yaml = """
                sinks:
                  - type: test-sink
                    id: a
                    format: test-format
                  - type: test-sink
                    id: b
                    format: {type: test-format}
                  - type: test-sink
                    id: c
                    format:
                      type: test-format
                      label: other
                  - type: test-sink
                    id: d
                """;
        try (LaurelConfig config = new ConfigLoader(registry).load(write(yaml))) {
            List<Format> formats = config.sinkFormats();
            assertThat(formats).hasSize(4);
            assertThat(formats.get(0)).isSameAs(formats.get(1)).isEqualTo(new TestFormatFactory.Labeled("none"));
            assertThat(formats.get(2)).isEqualTo(new TestFormatFactory.Labeled("other"));
            assertThat(formats.get(3)).isNull();
        }
        assertThat(ChainRecorder.events()).containsExactly("create format none", "create format other",
                "create a", "create b", "create c", "create d",
                "close d", "close c", "close b", "close a", "close format other", "close format none");
    }

    @Test
    void anUnknownFormatIsReportedAtItsPlaceWithTheClosestName() throws IOException {
        assertThat(errors("sinks:\n  - type: test-sink\n    format: test-formt\n")).containsExactly(
                "laurel.yaml:3:13: unknown format \"test-formt\"; available formats: laurel, test-format;"
                        + " did you mean \"test-format\"?");
        assertThat(errors("sinks:\n  - type: test-sink\n    format:\n      type: lauerl\n")).containsExactly(
                "laurel.yaml:4:13: unknown format \"lauerl\"; available formats: laurel, test-format;"
                        + " did you mean \"laurel\"?");
    }

    @Test
    void aFormatsOptionsAreCheckedLikeAPluginsOptions() throws IOException {
        assertThat(errors("""
                sinks:
                  - type: test-sink
                    format: {type: test-format, lable: x}
                  - type: test-sink
                    id: two
                    format: {type: test-format, label: bad}
                  - type: test-sink
                    id: three
                    format: {label: x}
                """)).containsExactly(
                "laurel.yaml:3:33: unknown option \"lable\" for test-format; valid options are: label;"
                        + " did you mean \"label\"?",
                "laurel.yaml:6:40: label: must not be bad",
                "laurel.yaml:9:13: format: has no type; write \"format: NAME\" or add \"type: NAME\" under it"
                        + " (available formats: laurel, test-format)");
    }

    @Test
    void formatIsAnOptionOfSinksOnly() throws IOException {
        assertThat(errors("enrichers:\n  - type: test-tag\n    tag: x\n    format: laurel\nsinks: []\n")).singleElement()
                .asString().startsWith("laurel.yaml:4:5: unknown option \"format\" for test-tag");
    }

    @Test
    void aFormatValueOneOfTheSinksOwnOptionsTakesSaysWhereToWriteIt() throws IOException {
        assertThat(errors("sinks:\n  - type: test-sink\n    format: rfc5424\n")).containsExactly(
                "laurel.yaml:3:13: unknown format \"rfc5424\"; available formats: laurel, test-format;"
                        + " format: is the output format of every sink; for test-sink's header write"
                        + " \"header: rfc5424\"");
    }
}
