package dev.laurel.engine.plugin;

import dev.laurel.api.Value;

import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.stream.Stream;

/**
 * A plugin jar built by a test: Java sources compiled against laurel-api (and anything else on
 * the class path the test names), plus services files, written to {@code plugins/NAME/JAR}.
 *
 * <pre>{@code
 * Path jar = new TestPluginJar(pluginsDir.resolve("tag"))
 *         .source("dev.example.TagFactory", source)
 *         .service(EnricherFactory.class, "dev.example.TagFactory")
 *         .write("tag.jar");
 * }</pre>
 */
public final class TestPluginJar {
    private final Path directory;
    private final Map<String, String> sources = new LinkedHashMap<>();
    private final Map<String, String> services = new LinkedHashMap<>();
    private final List<Path> classPath = new ArrayList<>();

    /** A jar to be written into {@code directory} (created if needed). */
    public TestPluginJar(Path directory) {
        this.directory = directory;
        classPath.add(locationOf(Value.class));
    }

    /** The jar or directory a class was loaded from. */
    public static Path locationOf(Class<?> type) {
        try {
            return Path.of(type.getProtectionDomain().getCodeSource().getLocation().toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Adds a class (fully qualified name and its source). */
    public TestPluginJar source(String className, String javaSource) {
        sources.put(className, javaSource);
        return this;
    }

    /** Adds the services file of {@code service} with this exact content. */
    public TestPluginJar serviceFile(Class<?> service, String content) {
        services.put(service.getName(), content);
        return this;
    }

    /** Lists {@code className} in the services file of {@code service}. */
    public TestPluginJar service(Class<?> service, String className) {
        services.merge(service.getName(), className + "\n", String::concat);
        return this;
    }

    /** Compiles against the class path entry of {@code type} too. */
    public TestPluginJar compileAgainst(Class<?> type) {
        classPath.add(locationOf(type));
        return this;
    }

    /** Compiles against this jar or class directory too. */
    public TestPluginJar compileAgainst(Path classPathEntry) {
        classPath.add(classPathEntry);
        return this;
    }

    /** Compiles the sources and writes the jar; returns its path. */
    public Path write(String jarName) {
        try {
            Files.createDirectories(directory);
            Path work = Files.createTempDirectory("plugin-src");
            Path classes = work.resolve("classes");
            Files.createDirectories(classes);
            if (!sources.isEmpty()) {
                compile(work, classes);
            }
            Path jar = directory.resolve(jarName);
            try (JarOutputStream out = new JarOutputStream(Files.newOutputStream(jar))) {
                try (Stream<Path> files = Files.walk(classes)) {
                    for (Path f : (Iterable<Path>) files.filter(Files::isRegularFile).sorted()::iterator) {
                        out.putNextEntry(new JarEntry(classes.relativize(f).toString().replace('\\', '/')));
                        out.write(Files.readAllBytes(f));
                        out.closeEntry();
                    }
                }
                for (Map.Entry<String, String> s : services.entrySet()) {
                    out.putNextEntry(new JarEntry("META-INF/services/" + s.getKey()));
                    out.write(s.getValue().getBytes(StandardCharsets.UTF_8));
                    out.closeEntry();
                }
            }
            return jar;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void compile(Path work, Path classes) throws IOException {
        List<String> args = new ArrayList<>(List.of("-proc:none", "-implicit:none", "-d", classes.toString(),
                "-classpath", String.join(java.io.File.pathSeparator, classPath.stream().map(Path::toString).toList())));
        for (Map.Entry<String, String> s : sources.entrySet()) {
            Path file = work.resolve("src").resolve(s.getKey().replace('.', '/') + ".java");
            Files.createDirectories(file.getParent());
            Files.writeString(file, s.getValue());
            args.add(file.toString());
        }
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        if (javac == null) {
            throw new IllegalStateException("no Java compiler: tests need a JDK, not a JRE");
        }
        ByteArrayOutputStream diagnostics = new ByteArrayOutputStream();
        int status = javac.run(null, OutputStream.nullOutputStream(), diagnostics, args.toArray(String[]::new));
        if (status != 0) {
            throw new IllegalStateException("plugin source does not compile:\n" + diagnostics.toString(StandardCharsets.UTF_8));
        }
    }

    /**
     * The source of an enricher factory of {@code type} that adds field {@code FIELD} with its
     * {@code tag} option; {@code constructorBody} runs in its constructor.
     */
    public static String enricherFactorySource(String className, String type, String field, String constructorBody) {
        int dot = className.lastIndexOf('.');
        return """
                package %s;

                import dev.laurel.api.*;
                import java.util.List;

                public final class %s implements EnricherFactory {
                    static final Setting<String> TAG = Setting.string("tag", "The tag").required();

                    public %s() {
                        %s
                    }

                    public String type() { return "%s"; }
                    public String description() { return "Adds %s (built by a test)"; }
                    public List<Setting<?>> settings() { return List.of(TAG); }
                    public Enricher create(PluginConfig config, PluginContext context) {
                        Value tag = Value.text(config.get(TAG));
                        return event -> event.put("%s", tag);
                    }
                }
                """.formatted(className.substring(0, dot), className.substring(dot + 1), className.substring(dot + 1),
                constructorBody, type, field, field);
    }
}
