package dev.laurel.api;

import java.io.IOException;
import java.lang.reflect.Constructor;
import java.lang.reflect.Field;
import java.lang.reflect.Member;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.lang.reflect.Type;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * The public API of compiled classes as text, one line per type and per member, so that a dump
 * checked into the repository can be compared with the code on every build (as Kotlin's
 * binary-compatibility-validator keeps {@code api/NAME.api}). Plugins compile against what this
 * lists: every public type outside packages named {@code internal}, and every public or
 * protected constructor, method and field of it (also those inherited from a non-public class).
 *
 * <pre>{@code
 * List<String> api = ApiSignatures.of(Path.of("target/classes"), loader);
 * Optional<String> problem = ApiSignatures.changes(recorded, api, "mvn ... -Dlaurel.api.update=true");
 * }</pre>
 *
 * A line is the member's generic signature as the JDK writes it
 * ({@code public java.lang.String dev.laurel.api.Record.type()}), without modifiers that do not
 * change what callers compile against ({@code synchronized}, {@code native}, {@code transient},
 * {@code volatile}, {@code strictfp}). Annotations and constant values are not compared.
 */
final class ApiSignatures {
    private ApiSignatures() {
    }

    /**
     * The API of every class file under {@code classes}, loaded (not initialised) through
     * {@code loader}: per type its declaration, then its members, sorted, with a blank line
     * between types.
     */
    static List<String> of(Path classes, ClassLoader loader) throws IOException, ClassNotFoundException {
        List<String> names;
        try (Stream<Path> files = Files.walk(classes)) {
            names = files.map(classes::relativize)
                    .map(Path::toString)
                    .filter(n -> n.endsWith(".class") && !n.endsWith("package-info.class") && !n.endsWith("module-info.class"))
                    .map(n -> n.substring(0, n.length() - ".class".length()).replace('/', '.'))
                    .collect(Collectors.toList());
        }
        TreeMap<String, List<String>> types = new TreeMap<>();
        for (String name : names) {
            Class<?> type = Class.forName(name, false, loader);
            if (isApi(type)) {
                types.put(type.getTypeName(), members(type));
            }
        }
        List<String> lines = new ArrayList<>();
        for (List<String> type : types.values()) {
            if (!lines.isEmpty()) {
                lines.add("");
            }
            lines.addAll(type);
        }
        return lines;
    }

    /**
     * What differs between the recorded API and the current one, as a message for whoever broke
     * the build, or empty if nothing does. Blank lines and {@code #} comments do not count. {@code update} is the command that records the current
     * API as the new dump.
     */
    static Optional<String> changes(List<String> recorded, List<String> current, String update) {
        Set<String> before = nonBlank(recorded);
        Set<String> now = nonBlank(current);
        Set<String> removed = new TreeSet<>(before);
        removed.removeAll(now);
        Set<String> added = new TreeSet<>(now);
        added.removeAll(before);
        if (removed.isEmpty() && added.isEmpty()) {
            return Optional.empty();
        }
        StringBuilder m = new StringBuilder("The public API of laurel-api differs from the checked-in dump.\n");
        if (!removed.isEmpty()) {
            m.append("\nRemoved or changed (a plugin compiled against the recorded API would break):\n");
            removed.forEach(l -> m.append("  - ").append(l).append('\n'));
        }
        if (!added.isEmpty()) {
            m.append("\nAdded (not breaking, but the dump must record it):\n");
            added.forEach(l -> m.append("  + ").append(l).append('\n'));
        }
        m.append("\nA line marked - is a signature plugins may call that no longer exists as it was. Restore it,")
                .append("\nor move what plugins must not use to a package named internal. If the change is")
                .append("\nintended (new API, or a break in a new major version), record it:\n    ")
                .append(update).append('\n');
        return Optional.of(m.toString());
    }

    private static Set<String> nonBlank(List<String> lines) {
        return lines.stream().map(String::strip).filter(l -> !l.isEmpty() && !l.startsWith("#")).collect(Collectors.toCollection(LinkedHashSet::new));
    }

    /** A type a plugin can name: public (or protected inside such a type), outside {@code internal}. */
    private static boolean isApi(Class<?> type) {
        if (type.isSynthetic() || type.isAnonymousClass() || type.isLocalClass()) {
            return false;
        }
        if (Arrays.asList(type.getPackageName().split("\\.")).contains("internal")) {
            return false;
        }
        Class<?> outer = type.getDeclaringClass();
        if (outer == null) {
            return Modifier.isPublic(type.getModifiers());
        }
        return (Modifier.isPublic(type.getModifiers()) || Modifier.isProtected(type.getModifiers())) && isApi(outer);
    }

    private static List<String> members(Class<?> type) {
        List<String> lines = new ArrayList<>();
        lines.add(declaration(type));
        Set<String> sorted = new TreeSet<>();
        for (Class<?> c = type; c != null; c = c.getSuperclass()) {
            if (c != type && Modifier.isPublic(c.getModifiers())) {
                break;   // a public superclass is in the dump (or the JDK's) on its own
            }
            for (Field f : c.getDeclaredFields()) {
                if (visible(f) && !f.isSynthetic()) {
                    sorted.add(clean(f.toGenericString()));
                }
            }
            for (Method m : c.getDeclaredMethods()) {
                if (visible(m) && !m.isSynthetic() && !m.isBridge()) {
                    sorted.add(clean(m.toGenericString()));
                }
            }
            if (c == type) {
                for (Constructor<?> k : c.getDeclaredConstructors()) {
                    if (visible(k) && !k.isSynthetic()) {
                        sorted.add(clean(k.toGenericString()));
                    }
                }
            }
        }
        sorted.forEach(s -> lines.add("    " + s));
        return lines;
    }

    /** {@code public final class NAME<T> extends S implements I, J permits A, B}. */
    private static String declaration(Class<?> type) {
        StringBuilder d = new StringBuilder(clean(type.toGenericString()));
        Type superclass = type.getGenericSuperclass();
        if (superclass != null && superclass != Object.class) {
            d.append(" extends ").append(superclass.getTypeName());
        }
        Type[] interfaces = type.getGenericInterfaces();
        if (interfaces.length > 0) {
            d.append(type.isInterface() ? " extends " : " implements ")
                    .append(Arrays.stream(interfaces).map(Type::getTypeName).collect(Collectors.joining(", ")));
        }
        if (type.isSealed()) {
            d.append(" permits ").append(Arrays.stream(type.getPermittedSubclasses())
                    .map(Class::getTypeName).sorted().collect(Collectors.joining(", ")));
        }
        return d.toString();
    }

    private static boolean visible(Member m) {
        return Modifier.isPublic(m.getModifiers()) || Modifier.isProtected(m.getModifiers());
    }

    /** Drops the modifiers that do not change what callers compile against. */
    private static String clean(String signature) {
        return signature.replaceAll("\\b(synchronized|native|strictfp|transient|volatile) ", "");
    }
}
