package dev.laurel.api;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;
import java.io.ByteArrayOutputStream;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The API check on a small library compiled here in two versions, as a plugin author's
 * dependency would change between releases.
 */
class ApiSignaturesTest {
    private static final String UPDATE = "mvn ... -Dlaurel.api.update=true";

    private static final Map<String, String> V1 = Map.of(
            "fixture/api/Greeter.java", """
                    package fixture.api;
                    public class Greeter {
                        public static final int LIMIT = 3;
                        protected Greeter() { }
                        public static Greeter create() { return new Greeter(); }
                        public String greet(String name) { return "hello " + name; }
                        protected synchronized void reset() { }
                        String packagePrivate() { return ""; }
                        private void hidden() { }
                        public interface Listener { void greeted(String name); }
                        static class Helper { public void help() { } }
                    }
                    """,
            "fixture/api/internal/Fast.java", """
                    package fixture.api.internal;
                    public final class Fast { public static int speed() { return 1; } }
                    """);

    @TempDir
    Path dir;

    @Test
    void aChangedPublicSignatureFailsTheCheckNamingTheOldAndTheNewSignature() throws Exception {
        List<String> before = api("v1", V1);
        List<String> after = api("v2", with("fixture/api/Greeter.java",
                "public String greet(String name)", "public String greet(CharSequence name)"));

        Optional<String> changes = ApiSignatures.changes(before, after, UPDATE);

        assertThat(changes).isPresent();
        assertThat(changes.get()).contains(
                "Removed or changed (a plugin compiled against the recorded API would break):\n"
                        + "  - public java.lang.String fixture.api.Greeter.greet(java.lang.String)\n",
                "Added (not breaking, but the dump must record it):\n"
                        + "  + public java.lang.String fixture.api.Greeter.greet(java.lang.CharSequence)\n",
                UPDATE);
    }

    @Test
    void aRemovedMethodAndANarrowedConstructorAreBreaks() throws Exception {
        List<String> before = api("v1", V1);
        List<String> after = api("v2", with("fixture/api/Greeter.java",
                "public static Greeter create() { return new Greeter(); }", "",
                "protected Greeter() { }", "Greeter() { }"));

        String changes = ApiSignatures.changes(before, after, UPDATE).orElseThrow();

        assertThat(changes).contains("  - public static fixture.api.Greeter fixture.api.Greeter.create()\n",
                "  - protected fixture.api.Greeter()\n").doesNotContain("Added");
    }

    @Test
    void anAddedMethodIsReportedAsAnAdditionToRecord() throws Exception {
        List<String> before = api("v1", V1);
        List<String> after = api("v2", with("fixture/api/Greeter.java",
                "private void hidden() { }", "private void hidden() { } public int count() { return 0; }"));

        String changes = ApiSignatures.changes(before, after, UPDATE).orElseThrow();

        assertThat(changes).contains("  + public int fixture.api.Greeter.count()\n").doesNotContain("Removed");
    }

    @Test
    void theApiIsThePublicAndProtectedSurfaceOutsideInternalPackages() throws Exception {
        List<String> api = api("v1", V1);

        assertThat(api).containsExactly(
                "public class fixture.api.Greeter",
                "    protected fixture.api.Greeter()",
                "    protected void fixture.api.Greeter.reset()",
                "    public java.lang.String fixture.api.Greeter.greet(java.lang.String)",
                "    public static final int fixture.api.Greeter.LIMIT",
                "    public static fixture.api.Greeter fixture.api.Greeter.create()",
                "",
                "public abstract static interface fixture.api.Greeter$Listener",
                "    public abstract void fixture.api.Greeter$Listener.greeted(java.lang.String)");
        assertThat(ApiSignatures.changes(api, api("again", V1), UPDATE)).isEmpty();
    }

    private static Map<String, String> with(String file, String... replacements) {
        String source = V1.get(file);
        for (int i = 0; i < replacements.length; i += 2) {
            assertThat(source).contains(replacements[i]);
            source = source.replace(replacements[i], replacements[i + 1]);
        }
        Map<String, String> sources = new java.util.HashMap<>(V1);
        sources.put(file, source);
        return sources;
    }

    /** Compiles the sources into their own directory and returns the API of what came out. */
    private List<String> api(String name, Map<String, String> sources) throws Exception {
        Path src = dir.resolve(name + "-src");
        Path classes = dir.resolve(name + "-classes");
        Files.createDirectories(classes);
        List<String> args = new ArrayList<>(List.of("--release", "17", "-d", classes.toString()));
        for (Map.Entry<String, String> e : sources.entrySet()) {
            Path file = src.resolve(e.getKey());
            Files.createDirectories(file.getParent());
            Files.writeString(file, e.getValue());
            args.add(file.toString());
        }
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        ByteArrayOutputStream errors = new ByteArrayOutputStream();
        assertThat(javac.run(null, null, errors, args.toArray(String[]::new))).as(errors.toString()).isZero();
        try (URLClassLoader loader = new URLClassLoader(new URL[] {classes.toUri().toURL()}, null)) {
            return ApiSignatures.of(classes, loader);
        }
    }
}
