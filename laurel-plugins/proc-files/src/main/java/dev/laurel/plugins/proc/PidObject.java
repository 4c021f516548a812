package dev.laurel.plugins.proc;

import dev.laurel.api.Record;
import dev.laurel.api.Value;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * LAUREL 0.8's place for what is known of an event's process: the {@code SYSCALL.PID} object,
 * which parent-info ({@code style: laurel-0.8}) opens with the process's {@code EVENT_ID} and
 * the container and systemd enrichers add to, in whichever order they run.
 *
 * <pre>{@code
 * PidObject.put(syscall, "systemd_service", Value.list(List.of(Value.text("nginx"))));
 * // "PID":{"EVENT_ID":"1795636823.211:71","systemd_service":["nginx"]}
 * }</pre>
 */
public final class PidObject {
    private PidObject() {
    }

    /** Adds {@code key} to {@code SYSCALL.PID}, keeping what is there; makes the object if there is none. */
    public static void put(Record syscall, String key, Value value) {
        Map<String, Value> m = new LinkedHashMap<>();
        if (syscall.get("PID") instanceof Value.ObjectValue earlier) {
            m.putAll(earlier.fields());
        }
        m.put(key, value);
        syscall.set("PID", Value.object(m));
    }
}
