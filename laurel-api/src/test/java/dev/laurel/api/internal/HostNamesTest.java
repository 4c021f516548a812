package dev.laurel.api.internal;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class HostNamesTest {
    @TempDir
    Path proc;

    private void hostnameFile(String content) throws IOException {
        Files.createDirectories(proc.resolve("sys/kernel"));
        Files.writeString(proc.resolve("sys/kernel/hostname"), content, StandardCharsets.UTF_8);
    }

    @Test
    void readsTheKernelsHostNameUnderTheProcRootWithoutItsNewline() throws IOException {
        hostnameFile("web-01.example\n");
        assertThat(HostNames.kernel(proc)).isEqualTo("web-01.example");
    }

    @Test
    void anEmptyHostNameIsNone() throws IOException {
        hostnameFile(" \n");
        assertThat(HostNames.kernel(proc)).isNull();
    }

    @Test
    void aProcRootWithoutTheFileIsAnError() {
        assertThatThrownBy(() -> HostNames.kernel(proc)).isInstanceOf(IOException.class);
    }
}
