/**
 * laurel's plugin API: what an enricher, a sink or an output format is, the event model they
 * work on, and how they declare their options.
 *
 * <h2>Model</h2>
 * An {@link dev.laurel.api.AuditEvent} holds the {@link dev.laurel.api.Record}s auditd wrote
 * under one {@link dev.laurel.api.EventId}; a record holds named fields whose
 * {@link dev.laurel.api.Value}s start as {@link dev.laurel.api.Value.Token}s, the bytes exactly
 * as auditd wrote them with their {@link dev.laurel.api.Encoding}.
 *
 * <h2>Chain and threading contract</h2>
 * The engine reads, parses and assembles events, then hands each to the configured enrichers and
 * then the sinks, in the order the config lists them. Between the two, each event is encoded
 * once per {@link dev.laurel.api.Format} the sinks use (since 1.1; {@code laurel} unless a sink
 * says {@code format:}). All calls into plugins
 * ({@code enrich}, {@code encode}, {@code write}, {@code flush}, {@code close}) come from one thread, one event
 * at a time, so plugins need no locking for their own state. Factories may be called from any
 * thread at start-up. Plugins are created configured and should keep their settings in final
 * fields; the engine closes them in reverse order at shutdown, also after a failed start.
 *
 * <h2>Discovery</h2>
 * {@link java.util.ServiceLoader}: built-in plugins on the class path, third-party jars in
 * {@code plugins/NAME/} (one class loader per directory, sharing only this package).
 *
 * <h2>Stability</h2>
 * This is laurel-api 1.1 (1.0 plus output formats), versioned on its own (semantic versioning), apart from laurel's
 * releases. Throughout 1.x a plugin compiled against 1.y runs with every later 1.x: public types,
 * methods, constructors and fields of this package are only added, never removed or changed;
 * new interface methods come with defaults; documented behaviour does not change. A release
 * that breaks this is 2.0. What is not stated here or in a type's Javadoc (how records are
 * stored, what the engine's parser does to share memory) may change in any release.
 *
 * <p>{@code dev.laurel.api.internal} and any other package named {@code internal} are excluded
 * from this promise: they hold what laurel's engine and built-in plugins share for speed, and may
 * change or go in any release. No public signature of this package mentions them. A third-party
 * plugin must not use them.
 *
 * <p>The build checks the promise: {@code laurel-api/api/laurel-api.api} records every public
 * signature, and a build whose API differs from it fails, naming what was removed or changed.
 */
package dev.laurel.api;
