package dev.laurel.engine.pipeline;

/**
 * What a pipeline has handled so far.
 *
 * @param lines          input lines read
 * @param cutLines       lines cut because they were longer than the limit
 * @param parseErrors    lines that were not audit records
 * @param events         events completed
 * @param dropped        events an enricher dropped
 * @param enricherErrors exceptions thrown by enrichers
 * @param encodeErrors   events that could not be encoded as JSON (not given to sinks)
 * @param sinkErrors     exceptions thrown by sinks, in write or flush
 * @param rejectedRecords records parsed but not used: late, duplicate, stray EOEs (in the
 *                       parse-error log like unparsable lines)
 * @param irregularLines lines kept although irregular (an unclosed quote), also in that log
 * @param lostEvents     kernel serials that never arrived: events lost before laurel
 */
public record PipelineCounts(long lines, long cutLines, long parseErrors, long events, long dropped,
                             long enricherErrors, long encodeErrors, long sinkErrors,
                             long rejectedRecords, long irregularLines, long lostEvents) {

    /** Counts without the record-level ones, for callers that do not have them. */
    public PipelineCounts(long lines, long cutLines, long parseErrors, long events, long dropped,
                          long enricherErrors, long encodeErrors, long sinkErrors) {
        this(lines, cutLines, parseErrors, events, dropped, enricherErrors, encodeErrors, sinkErrors, 0, 0, 0);
    }

    @Override
    public String toString() {
        return lines + " lines (" + parseErrors + " unparsable, " + cutLines + " cut, "
                + rejectedRecords + " records rejected, " + irregularLines + " irregular), "
                + events + " events (" + dropped + " dropped, " + lostEvents + " lost before laurel), errors: "
                + enricherErrors + " enricher, " + encodeErrors + " encoding, " + sinkErrors + " sink";
    }
}
