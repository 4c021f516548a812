package dev.laurel.engine.cli;

import dev.laurel.api.PluginFactory;
import dev.laurel.api.Setting;
import dev.laurel.engine.config.SettingsReference;

import java.io.PrintWriter;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.security.CodeSource;
import java.util.List;
import java.util.Map;

/** What {@code laurel plugins} prints: every plugin type, where it came from, and its options. */
final class PluginListing {
    private PluginListing() {
    }

    /** Enrichers, sinks, then output formats (a sink's {@code format:}, with their options under it). */
    static void print(Map<String, ? extends PluginFactory<?>> enrichers,
                      Map<String, ? extends PluginFactory<?>> sinks,
                      Map<String, ? extends PluginFactory<?>> formats, Path pluginsDir, PrintWriter out) {
        section("Enrichers", enrichers, pluginsDir, out);
        out.println();
        section("Sinks", sinks, pluginsDir, out);
        out.println();
        section("Formats (a sink's format:, laurel unless it says otherwise)", formats, pluginsDir, out);
        out.flush();
    }

    private static void section(String title, Map<String, ? extends PluginFactory<?>> factories, Path pluginsDir,
                                PrintWriter out) {
        out.println(title + ":");
        if (factories.isEmpty()) {
            out.println("  (none)");
        }
        for (PluginFactory<?> f : factories.values()) {
            out.println("  " + f.type() + " - " + f.description());
            out.println("    from: " + origin(f, pluginsDir));
            if (!f.requires().isEmpty()) {
                out.println("    requires earlier in the chain: " + String.join(", ", f.requires()));
            }
            List<Setting<?>> settings = f.settings();
            if (settings.isEmpty()) {
                out.println("    options: none");
                continue;
            }
            out.println("    options:");
            for (Setting<?> s : settings) {
                out.println("      " + s.name() + " (" + SettingsReference.describe(s) + ")");
                out.println("          " + s.description());
            }
        }
    }

    /** {@code built-in (JAR)} for the class path, or the jar under the plugins directory. */
    static String origin(Object factory, Path pluginsDir) {
        CodeSource source = factory.getClass().getProtectionDomain().getCodeSource();
        if (source == null || source.getLocation() == null) {
            return "built-in";
        }
        Path where;
        try {
            where = Path.of(source.getLocation().toURI());
        } catch (URISyntaxException | IllegalArgumentException e) {
            return source.getLocation().toString();
        }
        if (pluginsDir != null && where.toAbsolutePath().startsWith(pluginsDir.toAbsolutePath())) {
            return where.toString();
        }
        return "built-in (" + where + ")";
    }
}
