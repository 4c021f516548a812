package dev.laurel.engine.parse;

import dev.laurel.api.EventId;
import dev.laurel.api.Record;

/**
 * One parsed input line: the header's node (or {@code null}) and event id, and the record.
 * EOE lines give a record of type {@link dev.laurel.api.RecordType#EOE} with no fields.
 */
public record ParsedRecord(String node, EventId id, Record record) {
}
