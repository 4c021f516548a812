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
