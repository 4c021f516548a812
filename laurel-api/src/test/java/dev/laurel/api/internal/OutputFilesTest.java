package dev.laurel.api.internal;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.FileOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class OutputFilesTest {
    private final OutputFiles files = new OutputFiles(null);

    @TempDir
    Path tmp;

    private Path directory(String name, String mode) throws IOException {
        Path dir = Files.createDirectory(tmp.resolve(name));
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString(mode));
        return dir;
    }

    @Test
    void trustsADirectoryOnlyItsOwnerMayWriteAndAStickyOne() throws IOException {
        assertThat(files.directoryProblems(directory("private", "rwxr-x---"))).isEmpty();
        Path sticky = directory("sticky", "rwxrwxrwx");
        Files.setAttribute(sticky, "unix:mode", 01777);
        assertThat(files.directoryProblems(sticky)).isEmpty();
        assertThat(files.directoryProblems(tmp.resolve("absent"))).isEmpty();
    }

    @Test
    void namesTheChmodThatFixesAGroupWritableDirectory() throws IOException {
        Path dir = directory("shared", "rwxrwxr-x");
        assertThat(files.directoryProblems(dir)).containsExactly(dir + ": group or others may write the directory"
                + " (mode 0775); another account could make laurel write through a link it puts there; chmod go-w " + dir);
    }

    @Test
    void createsExclusivelyWithExactlyTheModeAskedForAndNeverThroughALink() throws IOException {
        Path dir = directory("out", "rwxr-xr-x");
        Path file = dir.resolve("audit.log");
        files.createNew(file, PosixFilePermissions.fromString("rw-rw----"), null, null).close();
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-rw----");

        Path dangling = dir.resolve("dangling.log");
        Files.createSymbolicLink(dangling, tmp.resolve("target"));
        assertThatThrownBy(() -> files.createNew(dangling, PosixFilePermissions.fromString("rw-------"), null, null))
                .isInstanceOf(java.nio.file.FileAlreadyExistsException.class);
        assertThatThrownBy(() -> files.openAppend(dangling, PosixFilePermissions.fromString("rw-------"), null, null))
                .isInstanceOf(OutputFiles.Refused.class).hasMessageContaining("is a symbolic link");
        assertThat(tmp.resolve("target")).doesNotExist();
    }

    @Test
    void appendsToAnExistingFileOfItsOwnAccountKeepingItsMode() throws IOException {
        Path dir = directory("out", "rwxr-xr-x");
        Path file = Files.writeString(dir.resolve("audit.log"), "old\n");
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-rw-r--"));
        try (FileOutputStream out = files.openAppend(file, PosixFilePermissions.fromString("rw-------"), null, null)) {
            out.write("new\n".getBytes());
        }
        assertThat(Files.readString(file)).isEqualTo("old\nnew\n");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file, LinkOption.NOFOLLOW_LINKS)))
                .isEqualTo("rw-rw-r--");
        assertThatThrownBy(() -> files.checkPrivateFile(file)).isInstanceOf(OutputFiles.Refused.class)
                .hasMessage(file + ": group or others may write it (mode 0664), and so change what laurel wrote; "
                        + "chmod go-w " + file);
    }

    @Test
    void aDryRunCheckCreatesNothing() throws IOException {
        Path dir = directory("out", "rwxr-xr-x");
        assertThat(files.appendProblems(dir.resolve("audit.log"))).isEmpty();
        assertThat(files.appendProblems(tmp.resolve("absent/audit.log"))).containsExactly("its directory does not exist");
        try (var entries = Files.list(dir)) {
            assertThat(entries).isEmpty();
        }
    }

    @Test
    void appendsToANamedPipeOrDeviceOfItsOwnButNeverIntoADirectoryOrAStateThatIsNoFile() throws Exception {
        Path dir = directory("pipes", "rwxr-xr-x");
        Path fifo = dir.resolve("events.fifo");
        assertThat(new ProcessBuilder("mkfifo", fifo.toString()).start().waitFor()).isZero();
        assertThat(files.appendProblems(fifo)).isEmpty();
        assertThat(files.appendProblems(Path.of("/dev/null"))).isEmpty();

        Path directory = Files.createDirectory(dir.resolve("audit.log"));
        assertThat(files.appendProblems(directory)).containsExactly(directory + ": is not a regular file; remove it or choose another file");
        assertThatThrownBy(() -> files.checkPrivateFile(fifo))
                .isInstanceOf(OutputFiles.Refused.class).hasMessageContaining("is not a regular file");
    }
}
