package dev.laurel.engine.cli;

import java.lang.reflect.Constructor;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;

/**
 * SIGTERM and SIGINT ask the pipeline to finish (auditd stops its plugins with SIGTERM); SIGHUP
 * (auditd's reconfigure) only runs {@code onHangup}, instead of the JVM's default of exiting.
 *
 * <p>Caught with {@code sun.misc.Signal} so that laurel can finish its work and exit 0: a
 * shutdown hook alone would see the JVM exit with 143 as soon as the hooks return. Reached by
 * reflection because it is an unsupported (if long-lived) API; where it is missing, the shutdown
 * hook that {@link Main} also installs still finishes the work.
 */
final class StopSignals {
    private StopSignals() {
    }

    /** What {@link #install} could do. */
    enum Installed {
        /** All three handlers are in place. */
        ALL,
        /**
         * SIGTERM and SIGINT are caught, but SIGHUP was ignored when the JVM started (nohup(1), a
         * supervisor that ignores it): the JVM then leaves it ignored, so a SIGHUP does nothing.
         */
        HANGUP_IGNORED,
        /** {@code sun.misc.Signal} is missing or refused: the shutdown hook alone finishes. */
        NONE
    }

    /** Installs the handlers; says which the JVM let us install. */
    static Installed install(Runnable onStop, Runnable onHangup) {
        try {
            Class<?> signal = Class.forName("sun.misc.Signal");
            Class<?> handler = Class.forName("sun.misc.SignalHandler");
            Constructor<?> named = signal.getConstructor(String.class);
            Method handle = signal.getMethod("handle", signal, handler);
            Object stop = Proxy.newProxyInstance(StopSignals.class.getClassLoader(), new Class<?>[] {handler},
                    (proxy, method, args) -> handled(proxy, method, args, onStop));
            Object hangup = Proxy.newProxyInstance(StopSignals.class.getClassLoader(), new Class<?>[] {handler},
                    (proxy, method, args) -> handled(proxy, method, args, onHangup));
            handle.invoke(null, named.newInstance("TERM"), stop);
            handle.invoke(null, named.newInstance("INT"), stop);
            // For a signal ignored at the JVM's start, handle() installs nothing and returns SIG_IGN.
            Object before = handle.invoke(null, named.newInstance("HUP"), hangup);
            return before == handler.getField("SIG_IGN").get(null) ? Installed.HANGUP_IGNORED : Installed.ALL;
        } catch (ReflectiveOperationException | RuntimeException | LinkageError e) {
            return Installed.NONE;
        }
    }

    private static Object handled(Object proxy, Method method, Object[] args, Runnable action) {
        switch (method.getName()) {
            case "handle" -> action.run();
            case "hashCode" -> {
                return System.identityHashCode(action);
            }
            case "equals" -> {
                return args[0] == proxy;
            }
            case "toString" -> {
                return "laurel signal handler";
            }
            default -> {
            }
        }
        return null;
    }
}
