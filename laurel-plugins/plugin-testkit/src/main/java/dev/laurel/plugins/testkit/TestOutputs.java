package dev.laurel.plugins.testkit;

import dev.laurel.api.AuditEvent;
import dev.laurel.api.EventId;
import dev.laurel.api.OutputEvent;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;

/** Encoded events as sinks receive them, built from the JSON bytes a test chooses. */
public final class TestOutputs {
    private TestOutputs() {
    }

    /** {@code event} with {@code json} as its encoded line (without its newline). */
    public static OutputEvent of(AuditEvent event, byte[] json) {
        return new OutputEvent() {
            @Override
            public AuditEvent event() {
                return event;
            }

            @Override
            public byte[] json() {
                return json.clone();
            }

            @Override
            public void writeJsonTo(OutputStream out) throws IOException {
                out.write(json);
            }
        };
    }

    /** {@code json} as the encoded line of an empty event with id {@code 1.002:3}. */
    public static OutputEvent of(byte[] json) {
        return of(new AuditEvent(new EventId(1, 2, 3), null), json);
    }

    /** {@code json}, in UTF-8, as the encoded line of an empty event with id {@code 1.002:3}. */
    public static OutputEvent of(String json) {
        return of(json.getBytes(StandardCharsets.UTF_8));
    }
}
