package dev.laurel.engine.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ParseErrorLogFileTest {
    @TempDir
    Path dir;

    @Test
    void keepsToItsSizeByRenamingToDotOneBetweenEntries() throws IOException {
        Path file = dir.resolve("errors.log");
        try (ParseErrorLogFile log = new ParseErrorLogFile(file, 100, new dev.laurel.api.internal.OutputFiles(null))) {
            for (int i = 0; i < 50; i++) {
                byte[] entry = String.format("%02d\treason\tline %02d\n", i, i).getBytes(StandardCharsets.US_ASCII);
                log.write(entry, 0, entry.length);   // 19 bytes: 5 per file
            }
        }
        assertThat(Files.size(file)).isLessThanOrEqualTo(100);
        assertThat(Files.size(dir.resolve("errors.log.1"))).isLessThanOrEqualTo(100);
        assertThat(Files.readAllLines(file)).last().isEqualTo("49\treason\tline 49");
        assertThat(Files.readAllLines(file)).allMatch(l -> l.matches("\\d\\d\treason\tline \\d\\d"));
        assertThat(Files.readAllLines(dir.resolve("errors.log.1"))).last().isEqualTo("44\treason\tline 44");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-r-----");
    }

    @Test
    void appendsToAnExistingLogAndCountsItsSize() throws IOException {
        Path file = dir.resolve("errors.log");
        Files.writeString(file, "x".repeat(90) + "\n");
        try (ParseErrorLogFile log = new ParseErrorLogFile(file, 100, new dev.laurel.api.internal.OutputFiles(null))) {
            log.write("0123456789\n".getBytes(StandardCharsets.US_ASCII), 0, 11);
        }
        assertThat(Files.readString(file)).isEqualTo("0123456789\n");
        assertThat(Files.readString(dir.resolve("errors.log.1"))).hasSize(91);
    }
}
