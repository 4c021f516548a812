package dev.laurel.api.internal;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The kernel's host name as every built-in plugin reads it (the ecs and ocsf formats for events
 * without {@code node=}, the syslog sink's header, the kafka sink's keys and client id): one
 * reading of {@code sys/kernel/hostname}, each caller keeping its own fallback.
 */
public final class HostNames {
    private HostNames() {
    }

    /**
     * The host name in {@code procRoot/sys/kernel/hostname}, without surrounding white space;
     * null for an empty file. Read as a stream to its end, not by the size procfs reports.
     *
     * @throws IOException when the file cannot be read (not Linux, no such proc root)
     */
    public static String kernel(Path procRoot) throws IOException {
        try (InputStream in = Files.newInputStream(procRoot.resolve("sys/kernel/hostname"))) {
            String name = new String(in.readAllBytes(), StandardCharsets.UTF_8).strip();
            return name.isEmpty() ? null : name;
        }
    }
}
