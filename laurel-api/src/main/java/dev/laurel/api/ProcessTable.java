package dev.laurel.api;

/**
 * The engine's table of processes, shared with plugins through {@link PluginContext#processes()}.
 * The engine updates it from every event (kept or dropped) before the enrichers see the event;
 * enrichers read it and attach labels.
 *
 * <p>A label marked as propagating is copied to every child the process forks from then on (and
 * kept across exec); other labels stay with the process.
 *
 * <pre>{@code
 * ProcessTable table = context.processes();
 * table.label(pid, "software_mgmt", true);     // the process and its future descendants
 * ProcessInfo p = table.get(pid);               // p.labels() contains "software_mgmt"
 * }</pre>
 */
public interface ProcessTable {

    /** The process with this pid, or {@code null} if laurel does not know it. */
    ProcessInfo get(long pid);

    /** Attaches {@code label} to a known process; returns whether the process is known. */
    boolean label(long pid, String label, boolean propagate);

    /** Removes {@code label} from a known process; returns whether it had the label. */
    boolean unlabel(long pid, String label);
}
