package dev.laurel.engine.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class ConvertProgressTest {
    @TempDir
    Path dir;

    @Test
    void lastFrameNamesTheLastFileReadAfterASpace() throws Exception {
        Path older = Files.writeString(dir.resolve("audit.log.1"), "line 1\n".repeat(1000));
        Path newer = Files.writeString(dir.resolve("audit.log"), "line 2\n".repeat(1000));
        RotatedLogs logs = new RotatedLogs(List.of(older, newer));
        ByteArrayOutputStream drawn = new ByteArrayOutputStream();
        ConvertProgress progress = ConvertProgress.start(logs, new PrintStream(drawn, true, StandardCharsets.UTF_8));

        try (InputStream in = logs.open()) {
            in.readNBytes(100);   // inside audit.log.1
            Thread.sleep(700);    // the bar has drawn audit.log.1 by now
            in.readAllBytes();    // then audit.log to its end, and the conversion is over at once
        }
        progress.finish();

        String text = drawn.toString(StandardCharsets.UTF_8);
        String last = text.substring(text.lastIndexOf('\r') + 1).strip();
        assertThat(last).as(text).contains("100%").endsWith(" audit.log").doesNotContain("audit.log.1");
    }
}
