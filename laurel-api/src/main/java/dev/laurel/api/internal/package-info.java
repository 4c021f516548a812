/**
 * What laurel's engine and its built-in plugins share that is not part of the plugin API: among
 * it {@link dev.laurel.api.internal.Records}, how the parser builds records and hot paths read a
 * field's token in its line, the storage that {@link dev.laurel.api.Record}'s public API hides.
 *
 * <h2>Stability</h2>
 * <b>Excluded from the stability promise of {@link dev.laurel.api}</b>: anything here may change
 * or go in any release, without notice. Third-party plugins must not use it; what they need
 * belongs in {@code dev.laurel.api} or {@link dev.laurel.api.PluginContext}.
 */
package dev.laurel.api.internal;
