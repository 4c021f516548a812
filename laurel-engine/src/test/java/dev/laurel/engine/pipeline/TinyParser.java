package dev.laurel.engine.pipeline;

import dev.laurel.api.Encoding;
import dev.laurel.api.EventId;
import dev.laurel.api.Record;
import dev.laurel.api.RecordType;
import dev.laurel.api.Value;
import dev.laurel.engine.parse.ParsedRecord;
import dev.laurel.engine.parse.Parser;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * A test-only stand-in for the line parser: {@code type=NAME msg=audit(S.MS:N): k=v k=v}, bare
 * values only. Anything else is an error.
 */
final class TinyParser implements Parser {
    private String error;
    int calls;

    @Override
    public ParsedRecord parse(byte[] line, int offset, int length) {
        calls++;
        String s = new String(line, offset, length, StandardCharsets.UTF_8);
        if (!s.startsWith("type=")) {
            error = "no type=";
            return null;
        }
        int sp = s.indexOf(' ');
        int open = s.indexOf("msg=audit(");
        int close = s.indexOf("):", open);
        if (sp < 0 || open < 0 || close < 0) {
            error = "no msg=audit(...)";
            return null;
        }
        RecordType type = RecordType.named(s.substring(5, sp));
        if (type == null) {
            error = "unknown type";
            return null;
        }
        String id = s.substring(open + 10, close);
        int dot = id.indexOf('.');
        int colon = id.indexOf(':');
        EventId eventId = new EventId(Long.parseLong(id.substring(0, dot)),
                Integer.parseInt(id.substring(dot + 1, colon)), Long.parseLong(id.substring(colon + 1)));
        byte[] copy = Arrays.copyOfRange(line, offset, offset + length);
        Record record = new Record(type, copy);
        String rest = s.substring(close + 2).trim();
        if (!rest.isEmpty()) {
            for (String field : rest.split(" ")) {
                int eq = field.indexOf('=');
                record.add(field.substring(0, eq),
                        new Value.Token(field.substring(eq + 1).getBytes(StandardCharsets.UTF_8), Encoding.BARE));
            }
        }
        return new ParsedRecord(null, eventId, record);
    }

    @Override
    public String lastError() {
        return error;
    }
}
