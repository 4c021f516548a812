package dev.laurel.engine.plugin;

import dev.laurel.api.EnricherFactory;
import dev.laurel.api.FormatFactory;
import dev.laurel.api.PluginFactory;
import dev.laurel.api.SinkFactory;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.net.MalformedURLException;
import java.net.URISyntaxException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.CodeSource;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.ServiceConfigurationError;
import java.util.ServiceLoader;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.jar.JarFile;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;

/**
 * The plugin factories laurel knows: built-ins from the class path and, for each directory
 * {@code plugins/NAME/}, the jars in it under their own class loader that shares only
 * {@code dev.laurel.api} with laurel. Two factories with one type are an error naming both jars, and
 * so is one factory class in two jars of one directory (two versions of one plugin).
 *
 * <pre>{@code
 * PluginRegistry plugins = PluginRegistry.discover(Path.of("/usr/lib/laurel/plugins"));
 * plugins.enrichers().keySet();        // [hex-decoder, reverse-shell-tagger]
 * plugins.origin("hex-decoder");       // "built-in"
 * plugins.origin("reverse-shell-tagger"); // "/usr/lib/laurel/plugins/rst/rst.jar"
 * }</pre>
 *
 * <p>Types are unique across enrichers, sinks and output formats, so a config can say "json-file is
 * a sink, not an enricher". The class loaders of plugin directories stay open for the life of the process,
 * as the plugins they loaded do.
 */
public final class PluginRegistry {

    /** What {@link #origin(String)} says of a factory found on laurel's own class path. */
    public static final String BUILT_IN = "built-in";

    private static final String ENRICHER = "enricher";
    private static final String SINK = "sink";
    private static final String FORMAT = "format";

    private final Map<String, EnricherFactory> enrichers;
    private final Map<String, SinkFactory> sinks;
    private final Map<String, FormatFactory> formats;
    private final Map<String, String> origins;

    private PluginRegistry(Map<String, EnricherFactory> enrichers, Map<String, SinkFactory> sinks,
                           Map<String, FormatFactory> formats, Map<String, String> origins) {
        this.enrichers = Collections.unmodifiableMap(new TreeMap<>(enrichers));
        this.sinks = Collections.unmodifiableMap(new TreeMap<>(sinks));
        this.formats = Collections.unmodifiableMap(new TreeMap<>(formats));
        this.origins = Collections.unmodifiableMap(new TreeMap<>(origins));
    }

    /**
     * Discovers built-ins and the plugin directories under {@code pluginsDir} (may be null; a
     * directory that does not exist holds no plugins). Every problem found is reported together,
     * one per line of the exception's message.
     */
    public static PluginRegistry discover(Path pluginsDir) throws PluginLoadException {
        Discovery discovery = new Discovery();
        discovery.loadBuiltIns(PluginRegistry.class.getClassLoader());
        if (pluginsDir != null) {
            discovery.loadDirectories(pluginsDir);
        }
        if (!discovery.problems.isEmpty()) {
            discovery.closeLoaders();
            throw new PluginLoadException(String.join("\n", discovery.problems));
        }
        Map<String, EnricherFactory> enrichers = new LinkedHashMap<>();
        Map<String, SinkFactory> sinks = new LinkedHashMap<>();
        Map<String, FormatFactory> formats = new LinkedHashMap<>();
        Map<String, String> origins = new LinkedHashMap<>();
        discovery.found.forEach((type, found) -> {
            if (found.factory() instanceof EnricherFactory e && found.kind().equals(ENRICHER)) {
                enrichers.put(type, e);
            } else if (found.factory() instanceof FormatFactory f && found.kind().equals(FORMAT)) {
                formats.put(type, f);
            } else {
                sinks.put(type, (SinkFactory) found.factory());
            }
            origins.put(type, found.origin());
        });
        return new PluginRegistry(enrichers, sinks, formats, origins);
    }

    /** Enricher factories by type, sorted by type. */
    public Map<String, EnricherFactory> enrichers() {
        return enrichers;
    }

    /** Sink factories by type, sorted by type. */
    public Map<String, SinkFactory> sinks() {
        return sinks;
    }

    /** Output format factories by name ({@code laurel}, {@code ecs}, ...), sorted by name. */
    public Map<String, FormatFactory> formats() {
        return formats;
    }

    /**
     * Where the factory of {@code type} came from: {@link #BUILT_IN} or the path of its jar under
     * the plugins directory; {@code null} for an unknown type.
     */
    public String origin(String type) {
        return origins.get(type);
    }

    /** A factory found, with what it is and where it came from. */
    private record Found(PluginFactory<?> factory, String kind, String origin, String where) {
    }

    /** Where factories are being looked for: laurel's class path, or one plugin directory. */
    private record Source(Path dir, List<Path> jars, ClassLoader loader) {
        boolean builtIn() {
            return dir == null;
        }

        /** For messages: the jar (or class path entry) that holds {@code type}. */
        String where(Class<?> type) {
            URL location = location(type);
            if (builtIn()) {
                return "laurel's class path" + (location == null ? "" : " (" + pathOf(location) + ")");
            }
            return jarOf(location);
        }

        String jarOf(URL location) {
            if (location != null) {
                for (Path jar : jars) {
                    if (sameFile(location, jar)) {
                        return jar.toString();
                    }
                }
            }
            return dir + "/";
        }

        private static URL location(Class<?> type) {
            CodeSource cs = type.getProtectionDomain().getCodeSource();
            return cs == null ? null : cs.getLocation();
        }

        private static boolean sameFile(URL location, Path jar) {
            try {
                return Path.of(location.toURI()).equals(jar.toAbsolutePath().normalize());
            } catch (URISyntaxException | IllegalArgumentException e) {
                return false;
            }
        }

        private static String pathOf(URL location) {
            try {
                return Path.of(location.toURI()).toString();
            } catch (URISyntaxException | IllegalArgumentException e) {
                return location.toString();
            }
        }
    }

    /** The state of one discovery: what was found so far, and every problem. */
    private static final class Discovery {
        final Map<String, Found> found = new LinkedHashMap<>();
        final List<String> problems = new ArrayList<>();
        final List<URLClassLoader> loaders = new ArrayList<>();

        void loadBuiltIns(ClassLoader laurel) {
            Source source = new Source(null, List.of(), laurel);
            load(EnricherFactory.class, ENRICHER, source);
            load(SinkFactory.class, SINK, source);
            load(FormatFactory.class, FORMAT, source);
        }

        void loadDirectories(Path pluginsDir) {
            if (!Files.exists(pluginsDir)) {
                return;
            }
            if (!Files.isDirectory(pluginsDir)) {
                problems.add(pluginsDir + ": the plugins directory is not a directory; "
                        + "point it at a directory holding one sub-directory per plugin");
                return;
            }
            List<Path> entries;
            try (Stream<Path> list = Files.list(pluginsDir)) {
                entries = list.sorted().collect(Collectors.toList());
            } catch (IOException | UncheckedIOException e) {
                problems.add(pluginsDir + ": cannot list the plugins directory: " + e);
                return;
            }
            for (Path entry : entries) {
                String name = entry.getFileName().toString();
                if (name.startsWith(".")) {
                    continue;
                }
                if (Files.isDirectory(entry)) {
                    loadDirectory(entry);
                } else if (name.endsWith(".jar")) {
                    String base = name.substring(0, name.length() - ".jar".length());
                    problems.add(entry + ": a plugin jar belongs in a directory of its own, with the"
                            + " jars it needs; move it to " + pluginsDir.resolve(base).resolve(name));
                }
            }
        }

        private void loadDirectory(Path dir) {
            List<Path> jars;
            try (Stream<Path> list = Files.list(dir)) {
                jars = list.filter(p -> p.getFileName().toString().endsWith(".jar") && Files.isRegularFile(p))
                        .sorted()
                        .collect(Collectors.toList());
            } catch (IOException | UncheckedIOException e) {
                problems.add(dir + "/: cannot list the plugin directory: " + e);
                return;
            }
            if (jars.isEmpty()) {
                problems.add(dir + "/: holds no .jar file; put the plugin's jar and the jars it needs"
                        + " there, or remove the directory");
                return;
            }
            if (factoryInTwoJars(dir, jars)) {
                return;
            }
            URL[] urls = new URL[jars.size()];
            for (int i = 0; i < urls.length; i++) {
                try {
                    urls[i] = jars.get(i).toAbsolutePath().normalize().toUri().toURL();
                } catch (MalformedURLException e) {
                    problems.add(jars.get(i) + ": cannot be used as a class path entry: " + e);
                    return;
                }
            }
            URLClassLoader loader = new URLClassLoader("laurel-plugin-" + dir.getFileName(), urls,
                    new ApiOnlyClassLoader(EnricherFactory.class.getClassLoader()));
            loaders.add(loader);
            Source source = new Source(dir, jars, loader);
            int before = found.size();
            int problemsBefore = problems.size();
            load(EnricherFactory.class, ENRICHER, source);
            load(SinkFactory.class, SINK, source);
            load(FormatFactory.class, FORMAT, source);
            if (found.size() == before && problems.size() == problemsBefore) {
                problems.add(dir + "/: none of its jars declares a plugin; a plugin jar lists its factory"
                        + " class in META-INF/services/" + EnricherFactory.class.getName()
                        + ", META-INF/services/" + SinkFactory.class.getName()
                        + " or META-INF/services/" + FormatFactory.class.getName());
            }
        }

        /**
         * Two versions of one plugin side by side (acme-tag-0.9.jar, acme-tag-1.0.jar) hold the same
         * factory class, of which the class loader would silently use the first jar's: refused, as
         * one type in two directories is. Reports each such class; returns whether there was one.
         */
        private boolean factoryInTwoJars(Path dir, List<Path> jars) {
            Set<String> factories = new TreeSet<>();
            for (Path jar : jars) {
                factories.addAll(listedIn(jar, EnricherFactory.class));
                factories.addAll(listedIn(jar, SinkFactory.class));
                factories.addAll(listedIn(jar, FormatFactory.class));
            }
            Map<String, List<String>> holders = new TreeMap<>();
            for (Path jar : jars) {
                try (JarFile file = new JarFile(jar.toFile())) {
                    for (String factory : factories) {
                        if (file.getEntry(factory.replace('.', '/') + ".class") != null) {
                            holders.computeIfAbsent(factory, f -> new ArrayList<>()).add(jar.getFileName().toString());
                        }
                    }
                } catch (IOException e) {
                    // the class loader reports a jar it cannot read
                }
            }
            boolean twice = false;
            for (Map.Entry<String, List<String>> h : holders.entrySet()) {
                List<String> in = h.getValue();
                if (in.size() > 1) {
                    twice = true;
                    problems.add(dir + "/: " + h.getKey() + " is in " + (in.size() == 2 ? "two" : in.size())
                            + " of its jars, " + String.join(", ", in.subList(0, in.size() - 1)) + " and "
                            + in.get(in.size() - 1) + " (two versions of one plugin?), and only the first would be"
                            + " used; remove the one not wanted");
                }
            }
            return twice;
        }

        private void load(Class<? extends PluginFactory<?>> service, String kind, Source source) {
            Iterator<? extends PluginFactory<?>> providers = ServiceLoader.load(service, source.loader()).iterator();
            while (true) {
                PluginFactory<?> factory;
                try {
                    if (!providers.hasNext()) {
                        return;
                    }
                    factory = providers.next();
                } catch (ServiceConfigurationError | LinkageError | RuntimeException e) {
                    // Recovery after a failed provider is not guaranteed, so stop at the first.
                    problems.add(describeFailure(e, service, source));
                    return;
                }
                if (!source.builtIn() && factory.getClass().getClassLoader() != source.loader()) {
                    continue; // not from this directory's jars
                }
                register(factory, kind, source);
            }
        }

        private void register(PluginFactory<?> factory, String kind, Source source) {
            Class<?> cls = factory.getClass();
            String where = source.where(cls);
            String type;
            try {
                type = factory.type();
            } catch (RuntimeException | LinkageError e) {
                problems.add(where + ": " + cls.getName() + ".type() failed: " + e
                        + "; fix the plugin or remove it");
                return;
            }
            if (type == null || !isKebabCase(type)) {
                problems.add(where + ": " + cls.getName() + " has type "
                        + (type == null ? "null" : "\"" + type + "\"")
                        + ", which is not a kebab-case name (lower-case letters and digits, words joined"
                        + " by -); fix the plugin or remove it");
                return;
            }
            Found previous = found.get(type);
            if (previous != null) {
                if (previous.factory().getClass() == cls) {
                    problems.add(where + ": " + cls.getName() + " is a factory of two kinds ("
                            + previous.kind() + " and " + kind + "); a factory must be an EnricherFactory,"
                            + " a SinkFactory or a FormatFactory, only one");
                } else {
                    problems.add("plugin type \"" + type + "\" is provided twice: by "
                            + previous.factory().getClass().getName() + " in " + previous.where()
                            + " and by " + cls.getName() + " in " + where + "; remove one of them");
                }
                return;
            }
            String origin = source.builtIn() ? BUILT_IN : where;
            found.put(type, new Found(factory, kind, origin, where));
        }

        /** Says which jar failed, why, and what to do. */
        private static String describeFailure(Throwable e, Class<?> service, Source source) {
            String message = String.valueOf(e.getMessage());
            String provider = providerName(message, service);
            String where = jarOfFailure(message, provider, service, source);
            String fix = source.builtIn()
                    ? "fix or remove that jar from laurel's class path"
                    : "fix the plugin or remove " + source.dir() + "/";
            if (e instanceof ServiceConfigurationError && provider != null) {
                if (message.endsWith("Provider " + provider + " not found")) {
                    return where + ": META-INF/services/" + service.getName() + " names " + provider
                            + ", but no jar in " + (source.builtIn() ? "laurel's class path" : source.dir() + "/")
                            + " holds that class; correct the services file or add the jar that holds it";
                }
                if (message.endsWith("could not be instantiated") && e.getCause() != null) {
                    return where + ": cannot create " + provider + ": " + e.getCause()
                            + hintForLinkage(e.getCause(), source)
                            + "; a plugin factory needs a public no-argument constructor that does not fail;"
                            + " " + fix;
                }
                if (message.endsWith("Unable to get public no-arg constructor") && e.getCause() instanceof LinkageError) {
                    // a class its constructors name is missing (a jar it needs), not the constructor
                    return where + ": cannot load " + provider + ": " + e.getCause()
                            + hintForLinkage(e.getCause(), source) + "; " + fix;
                }
                if (message.endsWith("Unable to get public no-arg constructor")) {
                    return where + ": " + provider + " has no public no-argument constructor, which a plugin factory"
                            + " needs; " + fix;
                }
                if (message.endsWith("not a subtype")) {
                    return where + ": " + provider + " is listed in META-INF/services/" + service.getName()
                            + " but does not implement " + service.getName() + "; " + fix;
                }
            }
            Throwable cause = e instanceof ServiceConfigurationError && e.getCause() != null ? e.getCause() : e;
            return where + ": cannot load its plugin factories: " + e.getMessage()
                    + (cause != e ? " (" + cause + ")" : "") + hintForLinkage(cause, source) + "; " + fix;
        }

        /** Plugins often fail because they expected a library laurel has but does not share. */
        private static String hintForLinkage(Throwable cause, Source source) {
            if (cause instanceof LinkageError && !source.builtIn()) {
                return " (plugins see only dev.laurel.api and the JDK from laurel; put every jar the plugin"
                        + " needs into " + source.dir() + "/)";
            }
            return "";
        }

        /**
         * The class name in ServiceLoader's "SERVICE: Provider NAME ..." or "SERVICE: NAME ..."
         * messages, or null.
         */
        private static String providerName(String message, Class<?> service) {
            String prefix = service.getName() + ": ";
            if (!message.startsWith(prefix)) {
                return null;
            }
            int start = prefix.length();
            if (message.startsWith("Provider ", start)) {
                start += "Provider ".length();
            }
            int end = message.indexOf(' ', start);
            String name = end < 0 ? message.substring(start) : message.substring(start, end);
            return name.isEmpty() || name.contains(":") ? null : name;
        }

        /** The jar whose services file caused the failure, or the directory when unsure. */
        private static String jarOfFailure(String message, String provider, Class<?> service, Source source) {
            if (source.builtIn()) {
                return "laurel's class path";
            }
            for (Path jar : source.jars()) {
                if (message.contains(jar.toAbsolutePath().normalize().toUri().getPath())) {
                    return jar.toString();
                }
            }
            if (provider != null) {
                for (Path jar : source.jars()) {
                    if (listedIn(jar, service).contains(provider)) {
                        return jar.toString();
                    }
                }
            }
            return source.jars().size() == 1 ? source.jars().get(0).toString() : source.dir() + "/";
        }

        /** The class names a jar's services file lists for {@code service}. */
        private static List<String> listedIn(Path jar, Class<?> service) {
            List<String> names = new ArrayList<>();
            try (JarFile file = new JarFile(jar.toFile())) {
                ZipEntry entry = file.getEntry("META-INF/services/" + service.getName());
                if (entry == null) {
                    return names;
                }
                try (InputStream in = file.getInputStream(entry);
                     BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
                    String line;
                    while ((line = reader.readLine()) != null) {
                        int hash = line.indexOf('#');
                        String name = (hash < 0 ? line : line.substring(0, hash)).trim();
                        if (!name.isEmpty()) {
                            names.add(name);
                        }
                    }
                }
            } catch (IOException e) {
                // Only used to say which jar failed; the directory is named instead.
            }
            return names;
        }

        private static boolean isKebabCase(String type) {
            if (type.isEmpty() || type.charAt(0) == '-' || type.charAt(type.length() - 1) == '-') {
                return false;
            }
            for (int i = 0; i < type.length(); i++) {
                char c = type.charAt(i);
                boolean ok = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')
                        || (c == '-' && type.charAt(i - 1) != '-');
                if (!ok) {
                    return false;
                }
            }
            return true;
        }

        void closeLoaders() {
            for (URLClassLoader loader : loaders) {
                try {
                    loader.close();
                } catch (IOException e) {
                    // Discovery failed anyway; the process is about to report it and exit.
                }
            }
        }
    }
}
