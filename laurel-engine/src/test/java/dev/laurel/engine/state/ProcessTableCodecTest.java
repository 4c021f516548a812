package dev.laurel.engine.state;

import dev.laurel.api.EventId;
import dev.laurel.engine.process.ProcessTracker;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ProcessTableCodecTest {
    // label sets as the tracker keeps them: sorted
    private static final ProcessTracker.Entry SHELL = new ProcessTracker.Entry(10, 1, -1,
            new EventId(1700000000L, 0, 100), bytes("bash"), bytes("/usr/bin/bash"), false,
            new TreeSet<>(Set.of("local", "software_mgmt")), new TreeSet<>(Set.of("software_mgmt")), new EventId(1700000000L, 0, 100), true,
            ProcessTracker.Instance.of(1, 0, null, 7, bytes("systemd"), null));
    private static final ProcessTracker.Entry SEEDED = new ProcessTracker.Entry(1, 0, 7, null, bytes("systemd"),
            null, true, null, null, null, false, null);

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static byte[] written(List<ProcessTracker.Entry> entries) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ProcessTableCodec.write(entries, new DataOutputStream(out));
        return out.toByteArray();
    }

    private static List<ProcessTracker.Entry> read(byte[] b) throws IOException {
        return ProcessTableCodec.read(new DataInputStream(new ByteArrayInputStream(b)));
    }

    /** An entry as text, its byte arrays as strings (a record's equals compares arrays by identity). */
    private static String text(ProcessTracker.Entry e) {
        ProcessTracker.Instance i = e.spawnedBy();
        return e.pid() + " " + e.ppid() + " " + e.startTime() + " " + e.lastExec() + " " + Arrays.toString(e.comm())
                + " " + Arrays.toString(e.exe()) + " " + e.dead() + " " + e.labels() + " " + e.propagating() + " "
                + e.instance() + " " + e.spawnerKnown() + " " + (i == null ? "-" : i.pid() + " " + i.ppid() + " "
                + i.lastExec() + " " + i.startTime() + " " + Arrays.toString(i.comm()) + " " + Arrays.toString(i.exe()));
    }

    @Test
    void entriesWrittenAndReadBackAreTheSame() throws IOException {
        List<ProcessTracker.Entry> back = read(written(List.of(SHELL, SEEDED)));

        assertThat(back).extracting(ProcessTableCodecTest::text)
                .containsExactly(text(SHELL), text(SEEDED));
        assertThat(back.get(0).labels()).containsExactly("local", "software_mgmt");
        assertThat(back.get(1).labels()).isNull();
    }

    @Test
    void aTableCutShortIsAnIOException() throws IOException {
        byte[] whole = written(List.of(SHELL));
        byte[] cut = Arrays.copyOf(whole, whole.length - 3);

        assertThatThrownBy(() -> read(cut)).isInstanceOf(IOException.class);
    }

    @Test
    void aCorruptCountIsAnIOExceptionThatSaysSo() {
        byte[] negative = {(byte) 0xff, (byte) 0xff, (byte) 0xff, (byte) 0xfe};

        assertThatThrownBy(() -> read(negative)).isInstanceOf(IOException.class)
                .hasMessage("corrupt process table: -2 entries");
    }
}
