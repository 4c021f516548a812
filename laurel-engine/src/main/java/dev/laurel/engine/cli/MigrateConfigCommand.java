package dev.laurel.engine.cli;

import dev.laurel.engine.config.ConfigErrors;
import dev.laurel.engine.migrate.ConfigMigration;
import dev.laurel.engine.migrate.LaurelToml;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;

/**
 * {@code laurel migrate-config LAUREL.toml > laurel.yaml}: LAUREL's config as laurel's YAML on
 * stdout; what has no equivalent on stderr (and as comments in the YAML).
 */
@Command(name = "migrate-config", mixinStandardHelpOptions = true, versionProvider = Version.class,
        exitCodeOnInvalidInput = Main.USAGE,
        description = {"Writes the laurel YAML equivalent of a LAUREL (0.5) config.toml to standard output,",
            "and says on standard error what has no equivalent."})
final class MigrateConfigCommand implements Callable<Integer> {
    @Parameters(paramLabel = "LAUREL.toml", description = "LAUREL's config file, e.g. /etc/laurel/config.toml")
    Path toml;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        PrintWriter err = spec.commandLine().getErr();
        String text;
        try {
            text = Files.readString(toml, StandardCharsets.UTF_8);
        } catch (IOException e) {
            err.println("laurel: cannot read " + toml + ": " + e.getMessage());
            return Main.FAILURE;
        }
        ConfigMigration migration;
        try {
            migration = ConfigMigration.of(LaurelToml.parse(text), toml.toString());
        } catch (LaurelToml.SyntaxError e) {
            err.println(toml + ":" + e.line() + ": " + e.getMessage());
            return ConfigErrors.EXIT_STATUS;
        }
        PrintWriter out = spec.commandLine().getOut();
        out.print(migration.yaml());
        out.flush();
        for (String note : migration.notes()) {
            err.println("laurel: " + toml + ": " + note);
        }
        return Main.OK;
    }
}
