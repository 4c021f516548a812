package dev.laurel.dist;

import dev.laurel.api.Record;
import dev.laurel.engine.testkit.TestData;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystem;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code examples/} are what a third party writes, so they must build against laurel-api's
 * stable API alone: their sources compile against laurel-api with its {@code internal} packages
 * taken out, and none of their files names such a package.
 */
class ExamplesApiTest {
    private static final Path EXAMPLES = TestData.root().resolve("examples");

    @TempDir
    Path tmp;

    @Test
    void theExamplesNameNoInternalPackage() throws IOException {
        List<String> offenders = new ArrayList<>();
        for (Path f : files(EXAMPLES, ".java")) {
            if (Files.readString(f).contains("dev.laurel.api.internal")) {
                offenders.add(EXAMPLES.relativize(f).toString());
            }
        }
        assertThat(files(EXAMPLES, ".java")).as("sources under %s", EXAMPLES).isNotEmpty();
        assertThat(offenders).as("examples that use laurel-api's internal package, which 1.0 does not promise")
                .isEmpty();
    }

    @Test
    void theExamplesPluginSourcesCompileAgainstTheStableApiAlone() throws IOException {
        List<Path> sources = files(EXAMPLES, ".java").stream()
                .filter(f -> f.toString().contains("/src/main/java/")).toList();
        assertThat(sources).as("plugin sources under %s", EXAMPLES).isNotEmpty();
        assertThat(compile(sources)).as("javac output").isEmpty();
    }

    @Test
    void aSourceUsingTheInternalPackageDoesNotCompileAgainstTheStableApi() throws IOException {
        Path source = Files.writeString(tmp.resolve("UsesInternal.java"), """
                import dev.laurel.api.Record;
                class UsesInternal {
                    int offset(Record r) {
                        return dev.laurel.api.internal.Records.tokenOffset(r, 0);
                    }
                }
                """);
        assertThat(compile(List.of(source))).contains("dev.laurel.api.internal");
    }

    /** javac's messages for {@code sources} compiled against laurel-api without its internal packages. */
    private String compile(List<Path> sources) throws IOException {
        Path api = stableApi();
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        List<String> args = new ArrayList<>(List.of("--release", "17", "-proc:none", "-implicit:none",
                "-classpath", api.toString(), "-d", Files.createDirectories(tmp.resolve("out")).toString()));
        sources.forEach(s -> args.add(s.toString()));
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int status = javac.run(null, err, err, args.toArray(String[]::new));
        String messages = err.toString(StandardCharsets.UTF_8);
        return status == 0 ? "" : messages.isEmpty() ? "javac exit " + status : messages;
    }

    /** A copy of laurel-api's classes (a directory or a jar) without the packages named internal. */
    private Path stableApi() throws IOException {
        Path out = Files.createDirectories(tmp.resolve("laurel-api-stable"));
        Path location;
        try {
            location = Path.of(Record.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        } catch (java.net.URISyntaxException e) {
            throw new IOException(e);
        }
        if (Files.isDirectory(location)) {
            copyStable(location, out);
        } else {
            try (FileSystem jar = FileSystems.newFileSystem(URI.create("jar:" + location.toUri()), Map.of())) {
                copyStable(jar.getPath("/"), out);
            }
        }
        assertThat(out.resolve("dev/laurel/api/Record.class")).isRegularFile();
        return out;
    }

    private static void copyStable(Path classes, Path out) throws IOException {
        for (Path f : files(classes, ".class")) {
            String name = classes.relativize(f).toString();
            if (name.contains("/internal/")) {
                continue;
            }
            Path to = out.resolve(name);
            Files.createDirectories(to.getParent());
            try (InputStream in = Files.newInputStream(f)) {
                Files.copy(in, to);
            }
        }
    }

    private static List<Path> files(Path dir, String suffix) throws IOException {
        try (Stream<Path> all = Files.walk(dir)) {
            // an example's build output is not its source
            return all.filter(f -> f.toString().endsWith(suffix) && !dir.relativize(f).toString().contains("target/"))
                    .sorted().toList();
        }
    }
}
