package dev.laurel.engine.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.zip.GZIPOutputStream;

import static org.assertj.core.api.Assertions.assertThat;

class RotatedLogsTest {
    @TempDir
    Path dir;

    @Test
    void readsEachRotatedSetOldestFirstWhateverTheOrderGiven() {
        Path log = dir.resolve("audit.log");
        Path other = dir.resolve("other/audit.log");
        List<Path> given = List.of(log, dir.resolve("audit.log.1"), other.resolveSibling("audit.log.1"),
                dir.resolve("audit.log.10.gz"), dir.resolve("audit.log.2.gz"), other);

        assertThat(RotatedLogs.oldestFirst(given)).containsExactly(dir.resolve("audit.log.10.gz"),
                dir.resolve("audit.log.2.gz"), dir.resolve("audit.log.1"), log, other.resolveSibling("audit.log.1"), other);
    }

    @Test
    void concatenatesPlainAndGzipFilesEndingEveryFileWithANewline() throws Exception {
        Path a = Files.writeString(dir.resolve("a.log"), "line 1\nline 2");   // no newline at the end
        Path b = dir.resolve("b.log.gz");
        try (OutputStream gz = new GZIPOutputStream(Files.newOutputStream(b))) {
            gz.write("line 3\n".getBytes(StandardCharsets.UTF_8));
        }
        Path c = Files.writeString(dir.resolve("c.log"), "line 4\n");
        RotatedLogs logs = new RotatedLogs(List.of(a, b, c));

        String text;
        try (InputStream in = logs.open()) {
            text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }

        assertThat(text).isEqualTo("line 1\nline 2\nline 3\nline 4\n");
        assertThat(logs.readBytes()).as("bytes read from disk, compressed ones as stored")
                .isEqualTo(logs.totalBytes()).isEqualTo(Files.size(a) + Files.size(b) + Files.size(c));
        assertThat(logs.current()).isEqualTo(c);
    }
}
