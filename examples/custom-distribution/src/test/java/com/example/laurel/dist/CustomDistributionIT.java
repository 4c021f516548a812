package com.example.laurel.dist;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Runs the custom distribution built by this project (target/acme-laurel), and laurel's stock
 * distribution with the reverse-shell tagger dropped into its plugins/ directory.
 */
class CustomDistributionIT {
    private static final Path ROOT = Path.of(System.getProperty("laurel.root", "../.."));
    private static final Path ACME = Path.of(System.getProperty("acme.dist", "target/acme-laurel"));
    private static final Path TARBALL = Path.of(System.getProperty("acme.tarball", "target/acme-laurel.tar.gz"));
    private static final Path STOCK = Path.of(System.getProperty("laurel.dist", "../../laurel-dist/target/laurel"));
    private static final Path TAGGER = Path.of(System.getProperty("tagger.jar", "../reverse-shell-tagger/target/tagger.jar"));
    private static final Path CAPTURE = ROOT.resolve("testdata/real-enriched.log");
    private static final Path REVERSE_SHELL = ROOT.resolve("testdata/laurel-fixtures/record-perl-reverse-shell.txt");

    @TempDir
    Path tmp;

    record Run(int status, String out, String err) {
        List<String> lines() {
            return out.lines().toList();
        }
    }

    private static Run run(Path stdin, String... command) throws Exception {
        ProcessBuilder pb = new ProcessBuilder(command);
        pb.environment().put("LAUREL_LOG", "stderr");
        pb.environment().remove("LAUREL_HOME");
        pb.redirectInput(stdin == null ? ProcessBuilder.Redirect.from(new File("/dev/null"))
                : ProcessBuilder.Redirect.from(stdin.toFile()));
        Process p = pb.start();
        CompletableFuture<byte[]> out = CompletableFuture.supplyAsync(() -> readAll(p.getInputStream()));
        CompletableFuture<byte[]> err = CompletableFuture.supplyAsync(() -> readAll(p.getErrorStream()));
        if (!p.waitFor(120, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError(String.join(" ", command) + " did not finish within 120 s");
        }
        return new Run(p.exitValue(), new String(out.get(), StandardCharsets.UTF_8),
                new String(err.get(), StandardCharsets.UTF_8));
    }

    private static byte[] readAll(InputStream in) {
        try (in) {
            return in.readAllBytes();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void holdsOnlyTheChosenPluginsWithTheTaggerBuiltIn() throws Exception {
        Run plugins = run(null, ACME.resolve("bin/laurel").toString(), "plugins");

        assertThat(plugins.status()).as(plugins.err()).isZero();
        List<String> types = plugins.lines().stream().filter(l -> l.matches("  [a-z-]+ - .*"))
                .map(l -> l.trim().split(" ")[0]).toList();
        // the chosen plugins, and the engine's own output format, laurel (ecs and ocsf not chosen)
        assertThat(types).containsExactlyInAnyOrder("hex-decoder", "translate", "parent-info",
                "reverse-shell-tagger", "json-file", "laurel");
        assertThat(plugins.out()).contains("reverse-shell-tagger - Tags reverse-shell-like executions");
    }

    @Test
    void runsTheRealCaptureThroughItsOwnConfig() throws Exception {
        Path config = ACME.resolve("etc/laurel/laurel.yaml");

        Run run = run(CAPTURE, ACME.resolve("bin/laurel").toString(), "--config", config.toString());

        assertThat(run.status()).as(run.err()).isZero();
        assertThat(run.lines()).hasSize(1076).allSatisfy(l -> assertThat(l).startsWith("{\"ID\":\""));
        assertThat(run.lines()).anySatisfy(l -> assertThat(l).contains("\"PARENT_INFO\":{"));
        assertThat(run.err()).doesNotContain("ERROR", "WARN");
    }

    @Test
    void tagsLaurelsPerlReverseShell() throws Exception {
        Run run = run(REVERSE_SHELL, ACME.resolve("bin/laurel").toString(), "--config",
                ACME.resolve("etc/laurel/laurel.yaml").toString());

        assertThat(run.status()).as(run.err()).isZero();
        assertThat(run.lines()).singleElement().satisfies(l -> assertThat(l)
                .contains("\"THREAT\":{\"technique\":\"T1059\"", "\"ARGV\":[\"perl\",\"-e\",\"use Socket;"));
    }

    @Test
    void theTarballUnpacksToTheSameRunnableDistribution() throws Exception {
        assertThat(TARBALL).isRegularFile();
        Run unpack = run(null, "tar", "-xzf", TARBALL.toString(), "-C", tmp.toString());
        assertThat(unpack.status()).as(unpack.err()).isZero();
        List<Path> top;
        try (var list = Files.list(tmp)) {
            top = list.toList();
        }
        assertThat(top).singleElement().satisfies(d -> assertThat(d.getFileName().toString()).startsWith("acme-laurel-"));
        Path home = top.get(0);
        assertThat(Files.isExecutable(home.resolve("bin/laurel"))).isTrue();
        assertThat(home.resolve("man/laurel.8")).isRegularFile();

        Run run = run(REVERSE_SHELL, home.resolve("bin/laurel").toString(), "--config",
                home.resolve("etc/laurel/laurel.yaml").toString());

        assertThat(run.status()).as(run.err()).isZero();
        assertThat(run.out()).contains("\"THREAT\":{\"technique\":\"T1059\"");
    }

    @Test
    void theTaggerDroppedIntoTheStockDistributionsPluginsAddsItsField() throws Exception {
        Path plugins = tmp.resolve("plugins");
        Files.createDirectories(plugins.resolve("reverse-shell-tagger"));
        Files.copy(TAGGER, plugins.resolve("reverse-shell-tagger").resolve(TAGGER.getFileName()));
        Path config = tmp.resolve("laurel.yaml");
        Files.writeString(config, """
                enrichers:
                  - type: hex-decoder
                  - type: reverse-shell-tagger
                    field: REVSHELL
                sinks:
                  - type: json-file
                    file: "-"
                """);
        List<String> command = new ArrayList<>(List.of(STOCK.resolve("bin/laurel").toString(),
                "--plugins", plugins.toString(), "--config", config.toString()));

        Run run = run(REVERSE_SHELL, command.toArray(String[]::new));

        assertThat(run.status()).as(run.err()).isZero();
        assertThat(run.lines()).singleElement().satisfies(l -> assertThat(l).contains("\"REVSHELL\":{\"technique\":\"T1059\""));
        Run listing = run(null, STOCK.resolve("bin/laurel").toString(), "plugins", "--plugins", plugins.toString());
        assertThat(listing.out()).contains("reverse-shell-tagger - ", plugins.resolve("reverse-shell-tagger").toString());
    }
}
