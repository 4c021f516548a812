/**
 * Helpers the engine and the built-in plugins share. <strong>Not part of laurel's API</strong>:
 * nothing here is covered by the stability promise of {@link dev.laurel.api}; types and methods
 * may change or go in any release. Third-party plugins must not use them.
 */
package dev.laurel.api.internal;
