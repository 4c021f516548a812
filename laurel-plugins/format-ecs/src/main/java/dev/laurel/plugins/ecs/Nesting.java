package dev.laurel.plugins.ecs;

import dev.laurel.api.EventJson;

/**
 * Objects opened only when their first member is written: ECS groups fields by what they describe
 * ({@code process.parent.pid}), and an event often has nothing for a group, which then must not
 * appear as {@code "file":{}}.
 *
 * <pre>{@code
 * nest.begin("process");
 * nest.begin("parent");
 * nest.end();             // nothing written for parent
 * nest.key("pid");        // writes "process":{"pid":
 * out.number(42);
 * nest.end();             // }
 * }</pre>
 */
final class Nesting {
    private final String[] keys = new String[8];
    private final boolean[] opened = new boolean[8];
    private int depth;
    private EventJson out;

    /** Starts an event written to {@code json}, inside its top-level object. */
    void reset(EventJson json) {
        out = json;
        depth = 0;
        opened[0] = true;     // the event's own object
    }

    /** An object under {@code key}, written when its first member is. */
    void begin(String key) {
        depth++;
        keys[depth] = key;
        opened[depth] = false;
    }

    /** A member's key: opens the objects begun and not yet written. */
    void key(String key) {
        if (!opened[depth]) {
            open();      // the innermost open means all are: most members need no more than this test
        }
        out.key(key);
    }

    /** Opens every object begun and not yet written, as before a member written by other means. */
    void open() {
        int first = depth;
        while (first > 0 && !opened[first]) {
            first--;
        }
        for (int d = first + 1; d <= depth; d++) {
            out.key(keys[d]);
            out.startObject();
            opened[d] = true;
        }
    }

    /** Ends the innermost object begun: closes it if it was written. */
    void end() {
        if (opened[depth]) {
            out.endObject();
        }
        depth--;
    }
}
