package dev.laurel.dist;

import dev.laurel.engine.testkit.TestData;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A third party gets laurel-api and builds a plugin with it, as docs/writing-plugins.md says:
 * laurel-api, copied out of the source tree, is installed alone into an empty private Maven
 * repository; a project made of the page's POM, Java source and services file is built against
 * that repository; the distribution lists the jar's plugin. Offline: the Maven plugins are read
 * from the build's own local repository through a mirror (never written to); ~/.m2 is untouched.
 * Two Maven runs: about a minute on a busy machine.
 */
class StandalonePluginIT {
    private static final Path ROOT = TestData.root();
    private static final Path DIST = Path.of(System.getProperty("laurel.dist", "target/laurel")).toAbsolutePath();
    private static final Path DOC = ROOT.resolve("docs/writing-plugins.md");

    @TempDir
    Path tmp;

    @Test
    void aPluginBuiltOutsideTheTreeAgainstLaurelApiAloneRunsInTheDistribution() throws Exception {
        Path repo = Files.createDirectory(tmp.resolve("repo"));
        Path settings = settings();
        String doc = Files.readString(DOC);

        // step 1: laurel-api alone, from a copy of its sources (the reactor's target/ stays as it is)
        Path api = tmp.resolve("laurel-api");
        copy(ROOT.resolve("laurel-api/pom.xml"), api.resolve("pom.xml"));
        copyTree(ROOT.resolve("laurel-api/src/main"), api.resolve("src/main"));
        assertThat(doc).contains("mvn -B install -f laurel-api/pom.xml");
        Run install = mvn(api, settings, repo, "install");
        assertThat(install.status()).as(install.output()).isZero();
        // laurel-api has its own version, the API's; the reactor (laurel-api.version) and the page use it
        String apiVersion = "<version>" + System.getProperty("laurel.api.version", "1.0.0") + "</version>";
        assertThat(Files.readString(api.resolve("pom.xml"))).as("resolvable without laurel's reactor POM")
                .doesNotContain("<parent>")
                .contains("<artifactId>laurel-api</artifactId>\n  " + apiVersion);
        assertThat(block(doc, "xml")).as("the page's POM depends on the API version the reactor builds")
                .contains("<artifactId>laurel-api</artifactId>\n      " + apiVersion);
        assertThat(doc).as("step 1 names what it installs").contains("dev.laurel:laurel-api:"
                + System.getProperty("laurel.api.version", "1.0.0"));

        // steps 2 and 3: the page's POM, source and services file, built against that repository only
        Path plugin = tmp.resolve("acme-sudo-tag");
        write(plugin.resolve("pom.xml"), block(doc, "xml"));
        write(plugin.resolve("src/main/java/com/acme/laurel/SudoTagFactory.java"), block(doc, "java"));
        write(plugin.resolve("src/main/resources/META-INF/services/dev.laurel.api.EnricherFactory"),
                block(doc, "text") + "\n");
        Run build = mvn(plugin, settings, repo, "package");
        assertThat(build.status()).as(build.output()).isZero();
        Path jar = plugin.resolve("target/acme-sudo-tag-1.0.0.jar");
        assertThat(jar).isRegularFile();

        // step 4: the distribution uses it
        Path plugins = tmp.resolve("plugins");
        copy(jar, plugins.resolve("acme-sudo-tag/acme-sudo-tag-1.0.0.jar"));
        Process listing = new ProcessBuilder(DIST.resolve("bin/laurel").toString(), "plugins", "--plugins",
                plugins.toString()).redirectErrorStream(true).start();
        String out = new String(listing.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(listing.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(listing.exitValue()).as(out).isZero();
        assertThat(out).contains("acme-sudo-tag - Adds a fixed TAG field to every event");
    }

    record Run(int status, String output) {
    }

    /** {@code mvn -B GOAL} in {@code project}, with the private repository and the mirror. */
    private static Run mvn(Path project, Path settings, Path repo, String goal) throws Exception {
        List<String> command = new ArrayList<>(List.of("mvn", "-B", "-s", settings.toString(),
                "-Dmaven.repo.local=" + repo, "-DskipTests", goal));
        Process p;
        try {
            p = new ProcessBuilder(command).directory(project.toFile()).redirectErrorStream(true).start();
        } catch (IOException e) {
            // Maven runs this test, so mvn is there; not finding it is a broken set-up, not a skip.
            throw new AssertionError("cannot start mvn (it must be on PATH, as for the build itself): " + e.getMessage(), e);
        }
        byte[] output = p.getInputStream().readAllBytes();
        assertThat(p.waitFor(10, TimeUnit.MINUTES)).as("mvn " + goal + " ends").isTrue();
        return new Run(p.exitValue(), new String(output, StandardCharsets.UTF_8));
    }

    /**
     * Settings whose only repository is the build's local repository, as a file:// mirror of
     * everything: what is missing there fails the build rather than going to the network.
     */
    private Path settings() throws IOException {
        String local = System.getProperty("laurel.maven.repo");
        Path source = local != null && !local.isEmpty() ? Path.of(local)
                : Path.of(System.getProperty("user.home"), ".m2", "repository");
        assertThat(source).as("the build's local Maven repository (set laurel.maven.repo to it)").isDirectory();
        return write(tmp.resolve("settings.xml"), """
                <settings>
                  <mirrors>
                    <mirror>
                      <id>build-repository</id>
                      <mirrorOf>*</mirrorOf>
                      <url>%s</url>
                    </mirror>
                  </mirrors>
                </settings>
                """.formatted(source.toUri()));
    }

    /** The first fenced block of {@code language} in the page. */
    private static String block(String doc, String language) {
        Matcher m = Pattern.compile("\n```" + Pattern.quote(language) + "\n(.*?)\n```\n", Pattern.DOTALL).matcher(doc);
        assertThat(m.find()).as("a ```%s block in %s", language, DOC).isTrue();
        return m.group(1);
    }

    private static Path write(Path file, String text) throws IOException {
        Files.createDirectories(file.getParent());
        return Files.writeString(file, text);
    }

    private static void copy(Path from, Path to) throws IOException {
        Files.createDirectories(to.getParent());
        Files.copy(from, to);
    }

    private static void copyTree(Path from, Path to) throws IOException {
        try (Stream<Path> files = Files.walk(from)) {
            for (Path f : (Iterable<Path>) files.filter(Files::isRegularFile)::iterator) {
                copy(f, to.resolve(from.relativize(f).toString()));
            }
        }
    }
}
