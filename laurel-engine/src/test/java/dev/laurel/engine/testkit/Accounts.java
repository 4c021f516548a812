package dev.laurel.engine.testkit;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.UserPrincipal;

/** The accounts tests act as: whether they run as root, and the unprivileged {@code nobody}. */
public final class Accounts {
    private Accounts() {
    }

    /** Whether this process runs as root (the owner of {@code /proc/self} is uid 0). */
    public static boolean isRoot() {
        try {
            return (Integer) Files.getAttribute(Path.of("/proc/self"), "unix:uid") == 0;
        } catch (IOException | UnsupportedOperationException e) {
            return false;
        }
    }

    /** The unprivileged account {@code nobody}, to give files and directories to. */
    public static UserPrincipal nobody() throws IOException {
        return Path.of("/").getFileSystem().getUserPrincipalLookupService().lookupPrincipalByName("nobody");
    }
}
