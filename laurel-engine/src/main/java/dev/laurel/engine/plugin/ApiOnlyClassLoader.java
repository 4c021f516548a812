package dev.laurel.engine.plugin;

/**
 * The parent of every plugin directory's class loader: it shows plugins the JDK's platform
 * classes and laurel's {@code dev.laurel.api} package, and nothing else of laurel's (not its
 * engine, Jackson, SnakeYAML or SLF4J). A plugin therefore brings its own libraries, in the
 * versions it was built with, and cannot come to depend on laurel's internals by accident.
 *
 * <p>Resources are not shared at all, so a plugin's {@link java.util.ServiceLoader} sees only the
 * services files of its own jars.
 */
final class ApiOnlyClassLoader extends ClassLoader {
    static {
        registerAsParallelCapable();
    }

    private static final String API_PACKAGE = "dev.laurel.api.";

    private final ClassLoader laurel;

    /** @param laurel the loader of laurel's own {@code dev.laurel.api} classes */
    ApiOnlyClassLoader(ClassLoader laurel) {
        super("laurel-api-only", ClassLoader.getPlatformClassLoader());
        this.laurel = laurel;
    }

    @Override
    protected Class<?> loadClass(String name, boolean resolve) throws ClassNotFoundException {
        if (name.startsWith(API_PACKAGE)) {
            // The very Class objects laurel uses, so a plugin's factory is an EnricherFactory to us.
            return laurel.loadClass(name);
        }
        // The platform loader, then findClass, which finds nothing.
        return super.loadClass(name, resolve);
    }
}
