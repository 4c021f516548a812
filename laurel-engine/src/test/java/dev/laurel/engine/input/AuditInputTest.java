package dev.laurel.engine.input;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.InputStream;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class AuditInputTest {

    @TempDir
    Path dir;

    @Test
    void readsAFileToItsEnd() throws Exception {
        Path file = dir.resolve("audit.log");
        Files.writeString(file, "type=EOE msg=audit(1.0:1): \n");
        try (InputStream in = AuditInput.open(file.toString())) {
            assertThat(new String(in.readAllBytes(), StandardCharsets.US_ASCII)).isEqualTo("type=EOE msg=audit(1.0:1): \n");
        }
        assertThat(AuditInput.describe(file.toString())).isEqualTo(file.toString());
    }

    @Test
    void readsAuditdsUnixSocket() throws Exception {
        Path socket = dir.resolve("audispd_events");
        try (ServerSocketChannel auditd = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
            auditd.bind(UnixDomainSocketAddress.of(socket));
            CompletableFuture<Void> writer = CompletableFuture.runAsync(() -> {
                try (SocketChannel client = auditd.accept()) {
                    client.write(ByteBuffer.wrap("line one\nline two\n".getBytes(StandardCharsets.US_ASCII)));
                } catch (IOException e) {
                    throw new IllegalStateException(e);
                }
            });
            try (InputStream in = AuditInput.open("unix:" + socket)) {
                assertThat(new String(in.readAllBytes(), StandardCharsets.US_ASCII)).isEqualTo("line one\nline two\n");
            }
            writer.get(5, TimeUnit.SECONDS);
        }
    }

    @Test
    void aMissingSocketNamesThePath() {
        Path socket = dir.resolve("nothing-here");
        assertThatThrownBy(() -> AuditInput.open("unix:" + socket))
                .isInstanceOf(IOException.class)
                .hasMessageStartingWith("cannot connect to " + socket + ": ");
    }

    @Test
    void dashAndNothingMeanStandardInput() {
        assertThat(AuditInput.describe("-")).isEqualTo("stdin");
        assertThat(AuditInput.describe(null)).isEqualTo("stdin");
    }

    @Test
    void aSocketIsLiveAFileIsNot() {
        assertThat(AuditInput.isLive("unix:/var/run/audispd_events")).isTrue();
        assertThat(AuditInput.isLive("/var/log/audit/audit.log")).isFalse();
    }
}
