package dev.laurel.engine.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

class MainTest {

    record Result(int status, String out, String err) {
    }

    static Result laurel(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int status = Main.run(args, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        return new Result(status, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    @Test
    void printsItsVersionFromTheBuild() {
        Result r = laurel("--version");
        assertThat(r.status()).isZero();
        assertThat(r.out()).startsWith("laurel ").doesNotContain("${").doesNotContain("unknown");
        assertThat(r.out().lines().findFirst().orElseThrow()).matches("laurel \\d+\\.\\d+\\.\\d+.*");
    }

    @Test
    void helpNamesTheOptionsTheSubcommandAndTheExitStatuses() {
        Result r = laurel("--help");
        assertThat(r.status()).isZero();
        assertThat(r.out()).contains("--config=FILE", "/etc/laurel-java/laurel.yaml", "--dry-run", "--plugins=DIR",
                "plugins", "78", "64");
        assertThat(r.err()).isEmpty();
    }

    @Test
    void theDefaultConfigIsInLaurelsOwnDirectoryNotInDebianLaurels() {
        // /etc/laurel/ belongs to Debian's laurel package (config.toml), which laurel installs beside.
        assertThat(Main.DEFAULT_CONFIG).isEqualTo("/etc/laurel-java/laurel.yaml");
        assertThat(laurel("--help").out()).doesNotContain("/etc/laurel/laurel.yaml");
    }

    @Test
    void anUnknownOptionIsAUsageErrorOnStderr() {
        Result r = laurel("--no-such-option");
        assertThat(r.status()).isEqualTo(Main.USAGE);
        assertThat(r.out()).isEmpty();
        assertThat(r.err()).contains("Unknown option: '--no-such-option'");
    }

    @Test
    void thePluginsSubcommandHasItsOwnHelp() {
        Result r = laurel("plugins", "--help");
        assertThat(r.status()).isZero();
        assertThat(r.out()).contains("Usage: laurel plugins", "--plugins=DIR");
    }

    @TempDir
    Path dir;

    @Test
    void aBadConfigExits78WithEveryProblemOnStderrAsFileLineColumn() throws Exception {
        Path config = dir.resolve("laurel.yaml");
        Files.writeString(config, """
                limits:
                  flush-interval: 10 parsecs
                bogus: 1
                sinks:
                  - type: no-such-sink
                """);

        Result r = laurel("--config", config.toString(), "--dry-run");

        assertThat(r.status()).isEqualTo(78);
        assertThat(r.out()).isEmpty();
        assertThat(r.err().lines().toList()).hasSize(3)
                .allSatisfy(line -> assertThat(line).matches(Pattern.quote(config.toString()) + ":\\d+:\\d+: .+"))
                .anySatisfy(line -> assertThat(line).startsWith(config + ":3:1: "));
    }

    @Test
    void aMissingConfigFileExits78() {
        Result r = laurel("--config", dir.resolve("absent.yaml").toString(), "--dry-run");
        assertThat(r.status()).isEqualTo(78);
        assertThat(r.err()).startsWith(dir.resolve("absent.yaml").toString() + ":");
    }

    @Test
    void dryRunOfAValidConfigExits0WithoutReadingInput() throws Exception {
        Path config = dir.resolve("laurel.yaml");
        Files.writeString(config, "input: \"/nonexistent/never/read\"\n");

        Result r = laurel("--config", config.toString(), "--dry-run");

        assertThat(r.status()).as(r.err()).isZero();
        assertThat(r.out()).isEmpty();
        assertThat(r.err()).contains("is valid");
    }

    @Test
    void anInputThatCannotBeOpenedExits1() throws Exception {
        Path config = dir.resolve("laurel.yaml");
        Files.writeString(config, "input: \"unix:" + dir.resolve("no-socket") + "\"\n");

        Result r = laurel("--config", config.toString());

        assertThat(r.status()).isEqualTo(Main.FAILURE);
        assertThat(r.err()).contains("laurel: cannot read unix:" + dir.resolve("no-socket"));
    }
    @Test
    void aPlainRunIsRecognisedOnlyForTheCommandLinesAuditdUses() {
        assertThat(Main.plainRunConfig(new String[0], null)).isEqualTo(Path.of(Main.DEFAULT_CONFIG));
        assertThat(Main.plainRunConfig(new String[0], "/x/env.yaml")).isEqualTo(Path.of("/x/env.yaml"));
        assertThat(Main.plainRunConfig(new String[] {"-c", "/x/a.yaml"}, "/x/env.yaml")).isEqualTo(Path.of("/x/a.yaml"));
        assertThat(Main.plainRunConfig(new String[] {"--config", "a.yaml"}, null)).isEqualTo(Path.of("a.yaml"));
        assertThat(Main.plainRunConfig(new String[] {"--config=b.yaml"}, null)).isEqualTo(Path.of("b.yaml"));
        // everything else is picocli's: options, subcommands, a missing or odd value
        assertThat(Main.plainRunConfig(new String[] {"--config", "a.yaml", "--dry-run"}, null)).isNull();
        assertThat(Main.plainRunConfig(new String[] {"--version"}, null)).isNull();
        assertThat(Main.plainRunConfig(new String[] {"plugins"}, null)).isNull();
        assertThat(Main.plainRunConfig(new String[] {"-c", "--dry-run"}, null)).isNull();
        assertThat(Main.plainRunConfig(new String[] {"-c"}, null)).isNull();
        assertThat(Main.plainRunConfig(new String[] {"--config="}, null)).isNull();
        assertThat(Main.plainRunConfig(new String[] {"-c", ""}, null)).isNull();
    }

    @Test
    void aPlainRunWithABadConfigExits78WithFileLineColumnAsPicocliRunsDo() throws Exception {
        Path config = dir.resolve("laurel.yaml");
        Files.writeString(config, "bogus: 1\n");

        Result plain = laurel("--config", config.toString());
        Result viaPicocli = laurel("--config", config.toString(), "--plugins",
                Files.createDirectories(dir.resolve("plugins")).toString());

        assertThat(plain.status()).isEqualTo(78);
        assertThat(plain.err()).startsWith(config + ":1:1: ");
        assertThat(plain.err()).isEqualTo(viaPicocli.err());
        assertThat(viaPicocli.status()).isEqualTo(78);
    }

    @Test
    void aPluginsDirectoryNamedOnTheCommandLineThatDoesNotExistIsAnError() throws Exception {
        Path config = dir.resolve("laurel.yaml");
        Files.writeString(config, "sinks:\n  - type: json-file\n    file: \"-\"\n");
        Path input = Files.writeString(dir.resolve("audit.log"), "");
        String missing = dir.resolve("plugns").toString();
        String message = "laurel: " + missing + ": the plugins directory named by --plugins does not exist;"
                + " correct the path, or create the directory\n";

        Result run = laurel("--config", config.toString(), "--plugins", missing);
        Result dryRun = laurel("--config", config.toString(), "--dry-run", "--plugins", missing);
        Result listing = laurel("plugins", "--plugins", missing);
        Result convert = laurel("convert", "--plugins", missing, input.toString());
        Result convertAfterMain = laurel("--plugins", missing, "convert", input.toString());

        for (Result r : java.util.List.of(run, dryRun, listing, convert, convertAfterMain)) {
            assertThat(r.status()).as(r.err()).isEqualTo(78);
            assertThat(r.err()).isEqualTo(message);
        }
    }
}
