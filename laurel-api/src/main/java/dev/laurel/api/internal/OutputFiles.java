package dev.laurel.api.internal;

import java.io.FileOutputStream;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.OpenOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.GroupPrincipal;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.nio.file.attribute.UserPrincipal;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * How laurel writes its files (json-file's output and its rotated generations, the parse-error
 * log, the state file) when it may run as root: only in a directory no other account can put
 * anything into, never through a symbolic link, and a new file created exclusively with exactly
 * the mode asked for.
 *
 * <p>A directory is trusted when it is owned by root, by the account laurel runs as, or by the
 * config's {@code user:}, and neither its group nor others may write it, unless it is sticky (as
 * {@code /tmp} is): there others cannot rename or remove a file they do not own, and what they
 * can plant (a link, a file of theirs under the name laurel wants) is refused here, so it stops
 * laurel's writing instead of redirecting it. In a trusted directory no one else can swap a
 * checked name for a link between the check and the open, which is why a checked path may then
 * be opened by a {@link FileOutputStream} (which an interrupt does not close, unlike a channel).
 *
 * <pre>{@code
 * OutputFiles files = new OutputFiles(config.user());
 * try (FileOutputStream out = files.openAppend(path, PosixFilePermissions.fromString("rw-r-----"), null, log)) {
 *     ...
 * } catch (OutputFiles.Refused e) {
 *     // e.getMessage(): "/var/log/x: the directory ... is owned by nobody (uid 65534) ...; chown root /var/log/x"
 * }
 * }</pre>
 */
public final class OutputFiles {
    private static final int GROUP_WRITE = 0020;
    private static final int OTHERS_WRITE = 0002;
    private static final int STICKY = 01000;
    private static final LinkOption[] NOFOLLOW = {LinkOption.NOFOLLOW_LINKS};

    /** Why laurel will not write a file: the message names the command that fixes it. */
    public static final class Refused extends IOException {
        private static final long serialVersionUID = 1L;

        Refused(String message) {
            super(message);
        }
    }

    private final String user;
    private final UserPrincipal account;
    private final int processUid;

    /**
     * @param user the config's {@code user:}, the account laurel runs as, or {@code null}; files
     *             and directories of root, of this account and of this process's own account
     *             are trusted
     */
    public OutputFiles(String user) {
        this.user = user;
        this.account = lookUp(user);
        this.processUid = processUid();
    }

    private static UserPrincipal lookUp(String user) {
        if (user == null || user.isEmpty()) {
            return null;
        }
        try {
            return Path.of("/").getFileSystem().getUserPrincipalLookupService().lookupPrincipalByName(user);
        } catch (IOException | UnsupportedOperationException e) {
            return null;   // an unknown user: the launcher reports it; trust no one more
        }
    }

    /** The effective uid: the owner of {@code /proc/self}; -1 where unknown. */
    private static int processUid() {
        try {
            return (Integer) Files.getAttribute(Path.of("/proc/self"), "unix:uid");
        } catch (IOException | UnsupportedOperationException | IllegalArgumentException e) {
            return -1;
        }
    }

    /**
     * Every reason not to write into {@code directory}, each with the command that fixes it;
     * empty when it is trusted or does not exist (opening a file there then fails by itself).
     */
    public List<String> directoryProblems(Path directory) {
        List<String> problems = new ArrayList<>();
        PosixFileAttributes attributes;
        int uid;
        try {
            attributes = Files.readAttributes(directory, PosixFileAttributes.class);
            uid = (Integer) Files.getAttribute(directory, "unix:uid");
        } catch (NoSuchFileException gone) {
            return problems;
        } catch (IOException | UnsupportedOperationException | IllegalArgumentException e) {
            problems.add(directory + ": cannot read the owner and mode of the directory: " + e);
            return problems;
        }
        String why = "; another account could make laurel write through a link it puts there";
        if (!trusted(uid, attributes.owner())) {
            problems.add(directory + ": the directory is owned by " + describe(attributes.owner(), uid)
                    + ", not by " + trustedOwners() + why + "; chown " + fixOwner() + " " + directory);
        }
        int mode = mode(directory, NOFOLLOW);
        if ((mode & (GROUP_WRITE | OTHERS_WRITE)) != 0 && (mode & STICKY) == 0) {
            problems.add(directory + ": group or others may write the directory (mode "
                    + String.format("%04o", mode & 07777) + ")" + why + "; chmod go-w " + directory);
        }
        return problems;
    }

    /**
     * Every reason {@link #openAppend} would refuse {@code file} or fail to open it, without
     * creating anything: for {@code --dry-run}. Empty when it would open.
     */
    public List<String> appendProblems(Path file) {
        Path directory = directoryOf(file);
        if (!Files.isDirectory(directory)) {
            return List.of("its directory does not exist");
        }
        List<String> problems = new ArrayList<>(directoryProblems(directory));
        if (!problems.isEmpty()) {
            return problems;
        }
        if (Files.exists(file, NOFOLLOW)) {
            try {
                checkFile(file);
            } catch (Refused e) {
                return List.of(e.getMessage());
            }
            if (!Files.isWritable(file)) {
                problems.add("permission denied");
            }
        } else if (!Files.isWritable(directory)) {
            problems.add("permission denied (cannot create files in " + directory + ")");
        }
        return problems;
    }

    /**
     * Opens {@code file} for appending; if it does not exist, creates it first, exclusively (never
     * through a link, dangling or not), with exactly {@code mode} (not less the umask) and, where
     * permitted, {@code group}.
     *
     * @throws Refused     the directory is not trusted, or the file is a link, a directory or
     *                     another account's
     * @throws IOException it cannot be opened
     */
    public FileOutputStream openAppend(Path file, Set<PosixFilePermission> mode, GroupPrincipal group,
                                       System.Logger log) throws IOException {
        checkDirectory(directoryOf(file));
        if (!Files.exists(file, NOFOLLOW)) {
            try {
                createNew(file, mode, group, log).close();
            } catch (FileAlreadyExistsException raced) {
                // created meanwhile (or a link): checked as it is below
            }
        }
        checkFile(file);
        return new FileOutputStream(file.toFile(), true);
    }

    /**
     * Creates {@code file} exclusively and opens it for writing: fails if anything, a dangling
     * link too, already has its name. Sets exactly {@code mode} and, where permitted,
     * {@code group} (a failure there is logged). The directory is checked first.
     */
    public FileChannel createNew(Path file, Set<PosixFilePermission> mode, GroupPrincipal group,
                                 System.Logger log) throws IOException {
        checkDirectory(directoryOf(file));
        Set<OpenOption> options = Set.of(StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE,
                LinkOption.NOFOLLOW_LINKS);
        FileChannel channel;
        boolean posix;
        try {
            FileAttribute<?> attribute = PosixFilePermissions.asFileAttribute(mode);
            channel = FileChannel.open(file, options, attribute);
            posix = true;
        } catch (UnsupportedOperationException notPosix) {
            channel = FileChannel.open(file, options);
            posix = false;
        }
        if (posix) {
            try {
                // The mode asked for, not less the umask; through the file itself, not a link.
                PosixFileAttributeView view = Files.getFileAttributeView(file, PosixFileAttributeView.class, NOFOLLOW);
                view.setPermissions(mode);
                if (group != null) {
                    try {
                        view.setGroup(group);
                    } catch (IOException | SecurityException e) {
                        if (log != null) {
                            log.log(System.Logger.Level.WARNING, "cannot give " + file + " the group "
                                    + group.getName() + ": " + e);
                        }
                    }
                }
            } catch (IOException | RuntimeException e) {
                channel.close();
                throw e;
            }
        }
        return channel;
    }

    /** Throws {@link Refused} with every problem of {@link #directoryProblems}. */
    public void checkDirectory(Path directory) throws Refused {
        List<String> problems = directoryProblems(directory);
        if (!problems.isEmpty()) {
            throw new Refused(String.join("; and ", problems));
        }
    }

    /**
     * Refuses an existing {@code file} that laurel must not write or read as its own: a symbolic
     * link, a directory, a file owned by another account. Its directory is
     * checked too. A file that does not exist passes. Its mode is the admin's choice (a log
     * shipper's group may write it), unlike {@link #checkPrivateFile}.
     */
    public void checkFile(Path file) throws Refused {
        checkFile(file, false);
    }

    /**
     * {@link #checkFile}, and refuses a file that group or others may write: for files laurel
     * reads back and acts on, such as its state.
     */
    public void checkPrivateFile(Path file) throws Refused {
        checkFile(file, true);
    }

    private void checkFile(Path file, boolean privately) throws Refused {
        checkDirectory(directoryOf(file));
        PosixFileAttributes attributes;
        int uid;
        try {
            attributes = Files.readAttributes(file, PosixFileAttributes.class, NOFOLLOW);
            uid = (Integer) Files.getAttribute(file, "unix:uid", NOFOLLOW);
        } catch (NoSuchFileException gone) {
            return;
        } catch (IOException | UnsupportedOperationException | IllegalArgumentException e) {
            throw new Refused(file + ": cannot read its owner and mode: " + e);
        }
        if (attributes.isSymbolicLink()) {
            throw new Refused(file + ": is a symbolic link; laurel never writes through one (another account "
                    + "may have pointed it at a file of root's); remove it: rm " + file);
        }
        // A device or named pipe of a trusted owner (/dev/null, a FIFO a log shipper reads) is a
        // place to write, as the owner check below allows; a state file laurel reads back must be
        // a regular file, and nothing is written into a directory.
        if (!attributes.isRegularFile() && (privately || !attributes.isOther())) {
            throw new Refused(file + ": is not a regular file; remove it or choose another file");
        }
        if (!trusted(uid, attributes.owner())) {
            throw new Refused(file + ": is owned by " + describe(attributes.owner(), uid) + ", not by "
                    + trustedOwners() + ", who could change what laurel wrote; chown " + fixOwner() + " " + file);
        }
        int mode = mode(file, NOFOLLOW);
        if (privately && (mode & (GROUP_WRITE | OTHERS_WRITE)) != 0) {
            throw new Refused(file + ": group or others may write it (mode " + String.format("%04o", mode & 07777)
                    + "), and so change what laurel wrote; chmod go-w " + file);
        }
    }

    private static int mode(Path path, LinkOption[] options) {
        try {
            return (Integer) Files.getAttribute(path, "unix:mode", options);
        } catch (IOException | UnsupportedOperationException | IllegalArgumentException e) {
            return 0;
        }
    }

    private boolean trusted(int uid, UserPrincipal owner) {
        return uid == 0 || uid == processUid || (account != null && account.equals(owner));
    }

    private static String describe(UserPrincipal owner, int uid) {
        String name = owner.getName();
        return name.equals(Integer.toString(uid)) ? "uid " + uid : name + " (uid " + uid + ")";
    }

    /** "root or _laurel (the config's user:)" */
    private String trustedOwners() {
        if (account != null) {
            return "root or " + user + " (the config's user:)";
        }
        return processUid > 0 ? "root or uid " + processUid + " (the account laurel runs as)" : "root";
    }

    /** Who a directory or file should belong to: the config's user if any, else laurel's own account. */
    private String fixOwner() {
        return account != null ? user : processUid > 0 ? Integer.toString(processUid) : "root";
    }

    private static Path directoryOf(Path file) {
        Path parent = file.toAbsolutePath().getParent();
        return parent != null ? parent : file.toAbsolutePath();
    }
}
