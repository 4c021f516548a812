package dev.laurel.api;

import java.util.Set;

/**
 * What laurel knows about one process, as of the event being handled: learnt from the audit
 * stream (execs, forks, every SYSCALL record's pid/ppid/comm/exe) and, for processes older than
 * laurel, from {@code /proc} at start-up.
 *
 * <pre>{@code
 * ProcessInfo parent = context.processes().get(syscall.getLong("ppid", -1));
 * if (parent != null && parent.lastExec() != null) { ... parent.exe() ... }
 * }</pre>
 *
 * <p>Compare the {@link EventId}s it gives with {@code equals}, not {@code ==}: laurel's table keeps
 * them packed and makes an object for each call.
 */
public interface ProcessInfo {

    long pid();

    /** The parent's pid, or -1 if unknown. */
    long ppid();

    /** The id of the event of this process's last execve, or {@code null} if none was seen. */
    EventId lastExec();

    /** The process's start time in clock ticks after boot (from /proc), or -1 if unknown. */
    long startTime();

    /** The command name, decoded, or {@code null}. Do not modify. */
    byte[] comm();

    /** The executable's path, decoded, or {@code null}. Do not modify. */
    byte[] exe();

    /** The labels attached to this process, sorted. */
    Set<String> labels();

    /**
     * The id of the event at which laurel first saw this process as it is now: its last exec, or
     * its first event of its own if it has not exec'd since laurel knew it; {@code null} for a
     * process known only from {@code /proc} ({@link #startTime()} then) or not yet seen in an
     * event of its own (a forked child). LAUREL 0.8 names processes by it
     * ({@code SYSCALL.PID.EVENT_ID}, {@code SYSCALL.PPID.EVENT_ID}).
     *
     * <pre>{@code
     * EventId id = processes.get(pid).firstEvent();   // "1795636823.211:71"
     * }</pre>
     *
     * @since 1.1 (defaults to {@link #lastExec()} for tables that do not know better)
     */
    default EventId firstEvent() {
        return lastExec();
    }

    /**
     * The process that most likely started this one as it is now (LAUREL's
     * {@code SYSCALL.SPAWNED_BY}), as it was then, or {@code null} if unknown: for a process that
     * forked and exec'd with no audited event in between, its parent; for one that made audited
     * calls between fork and exec, or exec'd without a fork, its own previous image. In the
     * returned description {@link #lastExec()} is the id of the event at which laurel first saw
     * that process as it was (its exec, or its first event if it had not exec'd), or
     * {@code null} for a process known only from {@code /proc} ({@link #startTime()} then); its
     * {@link #labels()} are empty.
     */
    default ProcessInfo spawnedBy() {
        return null;
    }
}
