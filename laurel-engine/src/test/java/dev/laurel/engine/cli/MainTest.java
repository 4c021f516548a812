package dev.laurel.engine.cli;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

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
        assertThat(r.out()).contains("--config=FILE", "/etc/laurel/laurel.yaml", "--dry-run", "--plugins=DIR",
                "plugins", "78", "64");
        assertThat(r.err()).isEmpty();
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
}
