package dev.laurel.engine.plugin;

import com.fasterxml.jackson.core.JsonFactory;
import dev.laurel.api.AuditEvent;
import dev.laurel.api.Enricher;
import dev.laurel.api.EnricherFactory;
import dev.laurel.api.EventId;
import dev.laurel.api.SinkFactory;
import dev.laurel.api.Value;
import dev.laurel.engine.config.ConfigErrors;
import dev.laurel.engine.config.ConfigLoader;
import dev.laurel.engine.config.LaurelConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.laurel.engine.assemble.EventAssembler;
import dev.laurel.engine.input.LineReader;
import dev.laurel.engine.json.EventEncoder;
import dev.laurel.engine.parse.LineParser;
import dev.laurel.engine.pipeline.Pipeline;
import dev.laurel.engine.pipeline.PipelineCounts;
import dev.laurel.engine.testkit.LogCapture;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import static dev.laurel.engine.plugin.TestPluginJar.enricherFactorySource;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

class PluginRegistryTest {
    @TempDir
    Path dir;

    private Path plugins() {
        return dir.resolve("plugins");
    }

    /** The message of the discovery failure, with the temp directory cut from paths. */
    private String failure() {
        PluginLoadException e = catchThrowableOfType(PluginLoadException.class,
                () -> PluginRegistry.discover(plugins()));
        assertThat(e).as("expected a PluginLoadException").isNotNull();
        return e.getMessage().replace(dir + "/", "");
    }

    private TestPluginJar jar(String directory) {
        return new TestPluginJar(plugins().resolve(directory));
    }

    private void tagJar(String directory, String className, String type, String jarName) {
        jar(directory).source(className, enricherFactorySource(className, type, "F", ""))
                .service(EnricherFactory.class, className)
                .write(jarName);
    }

    @Test
    void findsBuiltInFactoriesOnTheClassPath() throws Exception {
        PluginRegistry registry = PluginRegistry.discover(null);
        assertThat(registry.enrichers()).containsOnlyKeys("test-boom", "test-needs-tag", "test-tag");
        assertThat(registry.enrichers().keySet()).containsExactly("test-boom", "test-needs-tag", "test-tag");
        assertThat(registry.sinks()).containsOnlyKeys("test-sink");
        assertThat(registry.origin("test-tag")).isEqualTo(PluginRegistry.BUILT_IN);
        assertThat(registry.origin("test-sink")).isEqualTo("built-in");
        assertThat(registry.origin("no-such-type")).isNull();
    }

    @Test
    void aMissingPluginsDirectoryHoldsNoPlugins() throws Exception {
        PluginRegistry registry = PluginRegistry.discover(dir.resolve("absent"));
        assertThat(registry.enrichers()).hasSize(3);
        assertThat(registry.sinks()).hasSize(1);
    }

    @Test
    void discoversAJarBuiltByTheTestAndUsesItFromYaml() throws Exception {
        // The factory needs a class from a second jar of its directory: dependencies live beside it.
        Path lib = jar("jartag").source("dev.example.lib.Prefix",
                "package dev.example.lib; public final class Prefix { public static String of(String s) { return \"jar:\" + s; } }")
                .write("prefix-lib.jar");
        jar("jartag").compileAgainst(lib)
                .source("dev.example.JarTagFactory", enricherFactorySource("dev.example.JarTagFactory", "jar-tag",
                        "JAR_TAG", "").replace("Value.text(config.get(TAG))",
                        "Value.text(dev.example.lib.Prefix.of(config.get(TAG)))"))
                .service(EnricherFactory.class, "dev.example.JarTagFactory")
                .write("jar-tag.jar");

        PluginRegistry registry = PluginRegistry.discover(plugins());
        assertThat(registry.enrichers().keySet()).containsExactly("jar-tag", "test-boom", "test-needs-tag", "test-tag");
        assertThat(registry.origin("jar-tag")).isEqualTo(plugins().resolve("jartag/jar-tag.jar").toString());
        assertThat(registry.origin("test-tag")).isEqualTo(PluginRegistry.BUILT_IN);

        Path yaml = dir.resolve("laurel.yaml");
        Files.writeString(yaml, "enrichers:\n  - type: jar-tag\n    tag: hello\n  - type: test-tag\n    tag: x\n");
        try (LaurelConfig config = new ConfigLoader(registry).load(yaml)) {
            AuditEvent event = new AuditEvent(new EventId(1, 0, 1), null);
            for (Enricher e : config.enrichers()) {
                e.enrich(event);
            }
            assertThat(event.extra("JAR_TAG")).isEqualTo(Value.text("jar:hello"));
            assertThat(event.extra("TAG")).isEqualTo(Value.text("x"));
        }
    }

    @Test
    void anEnricherThatThrowsIsLoggedWithItsChainIdAndTypeNotItsClass() throws Exception {
        jar("sudo").source("dev.s.SudoTagFactory", enricherFactorySource("dev.s.SudoTagFactory", "acme-sudo-tag",
                        "F", "").replace("return event -> event.put(\"F\", tag);",
                        "return event -> { throw new IllegalStateException(\"no sudoers\"); };"))
                .service(EnricherFactory.class, "dev.s.SudoTagFactory")
                .write("sudo.jar");
        Path yaml = dir.resolve("laurel.yaml");
        Files.writeString(yaml, "enrichers:\n  - type: acme-sudo-tag\n    id: sudo-tagger\n    tag: x\n");
        String line = "type=SYSCALL msg=audit(1000.000:7): arch=c000003e syscall=59 success=yes exit=0 pid=1\n"
                + "type=EOE msg=audit(1000.000:7):\n";

        try (LogCapture log = LogCapture.levelAndMessage(Pipeline.class.getName());
             LaurelConfig config = new ConfigLoader(PluginRegistry.discover(plugins())).load(yaml)) {
            PipelineCounts counts = new Pipeline(
                    LineReader.start(new ByteArrayInputStream(line.getBytes(StandardCharsets.UTF_8)), "test"),
                    new LineParser(), EventAssembler.factory(EventAssembler.Limits.DEFAULTS),
                    event -> { }, new EventEncoder()::encode, config.chain(), Pipeline.Options.defaults()).run();

            assertThat(counts.enricherErrors()).isEqualTo(1);
            assertThat(log.lines).contains("WARN enricher \"sudo-tagger\" (acme-sudo-tag) failed on event 1000.000:7");
        }
    }

    @Test
    void createRunsWithThePluginsClassLoaderAsContextLoader() throws Exception {
        jar("ctx").source("dev.c.ContextFactory", enricherFactorySource("dev.c.ContextFactory", "ctx", "CTX", "")
                        .replace("Value tag = Value.text(config.get(TAG));", "Value tag = Value.text(String.valueOf("
                                + "Thread.currentThread().getContextClassLoader() == getClass().getClassLoader()));"))
                .service(EnricherFactory.class, "dev.c.ContextFactory")
                .write("ctx.jar");
        Path yaml = dir.resolve("laurel.yaml");
        Files.writeString(yaml, "enrichers:\n  - type: ctx\n    tag: unused\n");
        ClassLoader before = Thread.currentThread().getContextClassLoader();
        try (LaurelConfig config = new ConfigLoader(PluginRegistry.discover(plugins())).load(yaml)) {
            AuditEvent event = new AuditEvent(new EventId(1, 0, 1), null);
            config.enrichers().get(0).enrich(event);
            assertThat(event.extra("CTX")).isEqualTo(Value.text("true"));
        }
        assertThat(Thread.currentThread().getContextClassLoader()).isSameAs(before);
    }

    @Test
    void aPluginSeesOnlyTheApiAndTheJdkOfLaurel() throws Exception {
        tagJar("iso", "dev.example.IsoFactory", "iso", "iso.jar");
        PluginRegistry registry = PluginRegistry.discover(plugins());
        ClassLoader loader = registry.enrichers().get("iso").getClass().getClassLoader();

        assertThat(loader).isNotSameAs(PluginRegistry.class.getClassLoader());
        assertThat(Class.forName("dev.laurel.api.Value", false, loader)).isSameAs(Value.class);
        assertThat(Class.forName("dev.laurel.api.EnricherFactory", false, loader)).isSameAs(EnricherFactory.class);
        assertThat(Class.forName("java.sql.Timestamp", false, loader)).isSameAs(java.sql.Timestamp.class);
        for (String hidden : new String[] {"com.fasterxml.jackson.core.JsonFactory",
                "dev.laurel.engine.config.ConfigLoader", "dev.laurel.engine.plugin.PluginRegistry",
                "org.slf4j.LoggerFactory", "org.yaml.snakeyaml.Yaml", "dev.laurel.engine.config.TestTagFactory"}) {
            assertThatThrownBy(() -> Class.forName(hidden, false, loader)).as(hidden)
                    .isInstanceOf(ClassNotFoundException.class);
        }
        assertThat(JsonFactory.class.getClassLoader()).as("laurel itself has Jackson").isNotNull();
        assertThat(loader.getResource("org/yaml/snakeyaml/Yaml.class")).isNull();
        assertThat(java.util.Collections.list(loader.getResources("META-INF/services/dev.laurel.api.EnricherFactory")))
                .as("only the plugin's own services file").hasSize(1);
    }

    @Test
    void rejectsTheSameTypeInTwoJarsNamingBoth() {
        tagJar("a", "dev.x.TagFactory", "tag", "a.jar");
        tagJar("b", "dev.y.TagFactory", "tag", "b.jar");
        assertThat(failure()).isEqualTo("plugin type \"tag\" is provided twice: by dev.x.TagFactory in plugins/a/a.jar"
                + " and by dev.y.TagFactory in plugins/b/b.jar; remove one of them");
    }

    @Test
    void rejectsAPluginThatReusesABuiltInType() {
        tagJar("c", "dev.z.MyTagFactory", "test-tag", "c.jar");
        String testClasses = TestPluginJar.locationOf(dev.laurel.engine.config.TestTagFactory.class).toString();
        assertThat(failure()).isEqualTo("plugin type \"test-tag\" is provided twice: by"
                + " dev.laurel.engine.config.TestTagFactory in laurel's class path (" + testClasses + ")"
                + " and by dev.z.MyTagFactory in plugins/c/c.jar; remove one of them");
    }

    @Test
    void rejectsAnEnricherAndASinkOfOneType() {
        jar("d").source("dev.d.Both", """
                package dev.d;
                import dev.laurel.api.*;
                import java.util.List;
                public final class Both implements SinkFactory {
                    public String type() { return "test-tag"; }
                    public String description() { return "clash"; }
                    public List<Setting<?>> settings() { return List.of(); }
                    public Sink create(PluginConfig c, PluginContext x) { return e -> { }; }
                }
                """).service(SinkFactory.class, "dev.d.Both").write("d.jar");
        assertThat(failure()).startsWith("plugin type \"test-tag\" is provided twice: by"
                        + " dev.laurel.engine.config.TestTagFactory in laurel's class path (")
                .endsWith(" and by dev.d.Both in plugins/d/d.jar; remove one of them");
    }

    @Test
    void reportsAServicesFileNamingAMissingClass() {
        tagJar("m", "dev.m.RealFactory", "real", "m-lib.jar");
        jar("m").serviceFile(EnricherFactory.class, "dev.m.GoneFactory\n").write("m.jar");
        assertThat(failure()).isEqualTo("plugins/m/m.jar: META-INF/services/dev.laurel.api.EnricherFactory names"
                + " dev.m.GoneFactory, but no jar in plugins/m/ holds that class; correct the services file or add"
                + " the jar that holds it");
    }

    @Test
    void reportsAFactoryWhoseConstructorThrows() {
        jar("t").source("dev.t.ThrowingFactory", enricherFactorySource("dev.t.ThrowingFactory", "throwing", "F",
                        "if (true) throw new IllegalStateException(\"no licence key\");"))
                .service(EnricherFactory.class, "dev.t.ThrowingFactory")
                .write("t.jar");
        assertThat(failure()).isEqualTo("plugins/t/t.jar: cannot create dev.t.ThrowingFactory:"
                + " java.lang.IllegalStateException: no licence key; a plugin factory needs a public no-argument"
                + " constructor that does not fail; fix the plugin or remove plugins/t/");
    }

    @Test
    void aPluginWhoseCreateThrowsIsAConfigErrorNamingItsJar() throws Exception {
        jar("c").source("dev.c.CreateFailsFactory", enricherFactorySource("dev.c.CreateFailsFactory", "create-fails",
                        "F", "").replace("Value tag = Value.text(config.get(TAG));",
                        "if (true) throw new IllegalStateException(\"cannot reach the licence server\"); Value tag = null;"))
                .service(EnricherFactory.class, "dev.c.CreateFailsFactory")
                .write("c.jar");
        PluginRegistry registry = PluginRegistry.discover(plugins());
        Path yaml = dir.resolve("laurel.yaml");
        Files.writeString(yaml, "enrichers:\n  - type: create-fails\n    tag: x\n");

        assertThatThrownBy(() -> new ConfigLoader(registry).load(yaml))
                .isInstanceOfSatisfying(ConfigErrors.class, e -> assertThat(e.errors()).singleElement()
                        .hasToString(yaml + ":2:5: create-fails: dev.c.CreateFailsFactory.create failed:"
                                + " java.lang.IllegalStateException: cannot reach the licence server; this is a bug in the"
                                + " plugin (" + plugins().resolve("c/c.jar") + "), report it to its authors"));
    }

    @Test
    void reportsAPluginThatExpectsLaurelsLibraries() {
        jar("j").compileAgainst(JsonFactory.class)
                .source("dev.j.JacksonFactory", enricherFactorySource("dev.j.JacksonFactory", "jackson", "F",
                        "new com.fasterxml.jackson.core.JsonFactory();"))
                .service(EnricherFactory.class, "dev.j.JacksonFactory")
                .write("j.jar");
        assertThat(failure()).isEqualTo("plugins/j/j.jar: cannot create dev.j.JacksonFactory:"
                + " java.lang.NoClassDefFoundError: com/fasterxml/jackson/core/JsonFactory (plugins see only"
                + " dev.laurel.api and the JDK from laurel; put every jar the plugin needs into plugins/j/)"
                + "; a plugin factory needs a public no-argument constructor that does not fail;"
                + " fix the plugin or remove plugins/j/");
    }

    @Test
    void reportsAMalformedServicesFile() {
        jar("s").serviceFile(EnricherFactory.class, "dev.s.Not A Class Name\n").write("s.jar");
        String message = failure();
        assertThat(message).startsWith("plugins/s/s.jar: cannot load its plugin factories:"
                        + " dev.laurel.api.EnricherFactory: jar:file:")
                .contains("plugins/s/s.jar!/META-INF/services/dev.laurel.api.EnricherFactory:1:"
                        + " Illegal configuration-file syntax")
                .endsWith("; fix the plugin or remove plugins/s/");
    }

    @Test
    void reportsAFactoryThatImplementsSomethingElse() {
        jar("n").source("dev.n.NotAFactory", "package dev.n; public final class NotAFactory { }")
                .service(EnricherFactory.class, "dev.n.NotAFactory")
                .write("n.jar");
        assertThat(failure()).isEqualTo("plugins/n/n.jar: dev.n.NotAFactory is listed in"
                + " META-INF/services/dev.laurel.api.EnricherFactory but does not implement"
                + " dev.laurel.api.EnricherFactory; fix the plugin or remove plugins/n/");
    }

    @Test
    void reportsAFactoryWithoutPublicNoArgumentConstructor() {
        jar("p").source("dev.p.PickyFactory", enricherFactorySource("dev.p.PickyFactory", "picky", "F", "")
                        .replace("public PickyFactory()", "public PickyFactory(String needed)"))
                .service(EnricherFactory.class, "dev.p.PickyFactory")
                .write("p.jar");
        assertThat(failure()).isEqualTo("plugins/p/p.jar: dev.p.PickyFactory has no public no-argument constructor,"
                + " which a plugin factory needs; fix the plugin or remove plugins/p/");
    }

    @Test
    void rejectsTwoVersionsOfOnePluginInOneDirectory() {
        tagJar("acme-sudo-tag", "com.acme.SudoTagFactory", "acme-sudo-tag", "acme-sudo-tag-0.9.jar");
        tagJar("acme-sudo-tag", "com.acme.SudoTagFactory", "acme-sudo-tag", "acme-sudo-tag-1.0.0.jar");
        assertThat(failure()).isEqualTo("plugins/acme-sudo-tag/: com.acme.SudoTagFactory is in two of its jars,"
                + " acme-sudo-tag-0.9.jar and acme-sudo-tag-1.0.0.jar (two versions of one plugin?), and only the"
                + " first would be used; remove the one not wanted");
    }

    @Test
    void reportsAFactoryWhoseDependencyJarIsMissingWithTheMissingClass() {
        // A constructor taking the library's type: resolving the constructors needs the missing class.
        jar("y").compileAgainst(org.yaml.snakeyaml.Yaml.class)
                .source("dev.y.YamlTagFactory", enricherFactorySource("dev.y.YamlTagFactory", "yaml-tag", "F", "")
                        .replace("public YamlTagFactory() {",
                                "public YamlTagFactory(org.yaml.snakeyaml.Yaml yaml) { }\n    public YamlTagFactory() {"))
                .service(EnricherFactory.class, "dev.y.YamlTagFactory")
                .write("y.jar");
        assertThat(failure()).isEqualTo("plugins/y/y.jar: cannot load dev.y.YamlTagFactory:"
                + " java.lang.NoClassDefFoundError: org/yaml/snakeyaml/Yaml (plugins see only"
                + " dev.laurel.api and the JDK from laurel; put every jar the plugin needs into plugins/y/)"
                + "; fix the plugin or remove plugins/y/");
    }

    @Test
    void reportsATypeThatIsNotKebabCase() {
        tagJar("k", "dev.k.ShoutFactory", "Shout Tag", "k.jar");
        assertThat(failure()).isEqualTo("plugins/k/k.jar: dev.k.ShoutFactory has type \"Shout Tag\", which is not a"
                + " kebab-case name (lower-case letters and digits, words joined by -); fix the plugin or remove it");
    }

    @Test
    void reportsDirectoriesThatHoldNoPlugin() throws Exception {
        Files.createDirectories(plugins().resolve("empty"));
        jar("nodecl").source("dev.e.Nothing", "package dev.e; public final class Nothing { }").write("nodecl.jar");
        Files.writeString(plugins().resolve("README"), "plain files are ignored");
        Files.createDirectories(plugins());
        tagJar("loose", "dev.l.LooseFactory", "loose", "loose.jar");
        Files.move(plugins().resolve("loose/loose.jar"), plugins().resolve("loose.jar"));
        Files.delete(plugins().resolve("loose"));

        assertThat(failure()).isEqualTo(String.join("\n",
                "plugins/empty/: holds no .jar file; put the plugin's jar and the jars it needs there, or remove"
                        + " the directory",
                "plugins/loose.jar: a plugin jar belongs in a directory of its own, with the jars it needs; move it"
                        + " to plugins/loose/loose.jar",
                "plugins/nodecl/: none of its jars declares a plugin; a plugin jar lists its factory class in"
                        + " META-INF/services/dev.laurel.api.EnricherFactory,"
                        + " META-INF/services/dev.laurel.api.SinkFactory or"
                        + " META-INF/services/dev.laurel.api.FormatFactory"));
    }

    @Test
    void reportsEveryBrokenPluginTogether() {
        tagJar("a", "dev.x.TagFactory", "tag", "a.jar");
        tagJar("b", "dev.y.TagFactory", "tag", "b.jar");
        jar("m").serviceFile(EnricherFactory.class, "dev.m.GoneFactory\n").write("m.jar");
        assertThat(failure().split("\n")).containsExactly(
                "plugin type \"tag\" is provided twice: by dev.x.TagFactory in plugins/a/a.jar and by dev.y.TagFactory"
                        + " in plugins/b/b.jar; remove one of them",
                "plugins/m/m.jar: META-INF/services/dev.laurel.api.EnricherFactory names dev.m.GoneFactory, but no"
                        + " jar in plugins/m/ holds that class; correct the services file or add the jar that holds it");
    }
}
