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
 */
public record PipelineCounts(long lines, long cutLines, long parseErrors, long events, long dropped,
                             long enricherErrors, long encodeErrors, long sinkErrors) {

    @Override
    public String toString() {
        return lines + " lines (" + parseErrors + " unparsable, " + cutLines + " cut), "
                + events + " events (" + dropped + " dropped), errors: "
                + enricherErrors + " enricher, " + encodeErrors + " encoding, " + sinkErrors + " sink";
    }
}
