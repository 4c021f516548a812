package dev.laurel.engine.config;

import dev.laurel.api.Setting;

import java.io.PrintWriter;
import java.util.Locale;

/**
 * What users read about settings, made from their declarations only: the one-line description
 * {@code laurel plugins} and {@code laurel settings} print, and {@code docs/reference-settings.md}
 * (which {@code SettingsReferenceTest} keeps in step with {@link EngineSettings}).
 */
public final class SettingsReference {
    private SettingsReference() {
    }

    /** {@code string, required}, {@code duration, default 3s}, {@code choice of a|b, default a}. */
    public static String describe(Setting<?> s) {
        StringBuilder sb = new StringBuilder(s.type().name().toLowerCase(Locale.ROOT).replace('_', '-'));
        if (!s.choices().isEmpty()) {
            sb.append(" of ").append(String.join("|", s.choices()));
        }
        if (s.isRequired()) {
            sb.append(", required");
        }
        if (s.defaultValue() != null) {
            sb.append(", default ").append(SettingValues.format(s, s.defaultValue()));
        }
        return sb.toString();
    }

    /** {@code laurel settings}: every engine setting as the file writes it, with its type, default and description. */
    public static void print(PrintWriter out) {
        for (EngineSettings.Section section : EngineSettings.SECTIONS) {
            out.println(section.name().isEmpty() ? "Top level:" : section.name() + ": (" + section.description() + ")");
            for (Setting<?> s : section.settings()) {
                out.println("  " + section.key(s) + " (" + describe(s) + ")");
                out.println("      " + s.description());
            }
        }
        out.println();
        out.println("Durations: 250ms, 3s, 5m, 1h or 0. Byte sizes: a number of bytes, or 64KiB, 16MiB, 1GiB.");
        out.flush();
    }

    /** The text of {@code docs/reference-settings.md}. */
    public static String markdown() {
        StringBuilder md = new StringBuilder();
        md.append("# Settings reference\n\n")
                .append("<!-- Generated from laurel-engine's EngineSettings by SettingsReferenceTest; do not edit."
                        + " To update: mvn -pl laurel-engine -am verify -Dtest=SettingsReferenceTest"
                        + " -Dlaurel.update-reference=true -Dsurefire.failIfNoSpecifiedTests=false -->\n\n")
                .append("The settings of laurel itself, outside the chain of enrichers and sinks. Every key is optional."
                        + " `laurel settings` prints the same list; each plugin's options are in"
                        + " [docs/plugins/](plugins/) and in `laurel plugins`.\n\n")
                .append("Durations are written `250ms`, `3s`, `5m`, `1h` or `0`; byte sizes as a number of bytes"
                        + " (`16777216`) or with a binary unit (`64KiB`, `16MiB`, `1GiB`).\n");
        for (EngineSettings.Section section : EngineSettings.SECTIONS) {
            md.append("\n## ").append(section.name().isEmpty() ? "Top level" : "`" + section.name() + ":`")
                    .append("\n\n").append(section.description()).append(".\n\n")
                    .append("| key | type | default | what it does |\n| --- | --- | --- | --- |\n");
            for (Setting<?> s : section.settings()) {
                String type = s.type().name().toLowerCase(Locale.ROOT).replace('_', '-')
                        + (s.choices().isEmpty() ? "" : ": " + String.join(", ", s.choices()));
                String value = s.defaultValue() == null ? "none" : "`" + SettingValues.format(s, s.defaultValue()) + "`";
                md.append("| `").append(section.key(s)).append("` | ").append(type).append(" | ").append(value)
                        .append(" | ").append(s.description().replace("|", "\\|")).append(" |\n");
            }
        }
        return md.toString();
    }
}
