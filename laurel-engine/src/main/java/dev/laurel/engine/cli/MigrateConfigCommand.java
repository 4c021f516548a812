package dev.laurel.engine.cli;

import dev.laurel.engine.migrate.LaurelConfigException;
import dev.laurel.engine.migrate.LaurelConfigMigration;
import dev.laurel.engine.migrate.Migration;
import dev.laurel.engine.migrate.MigrationNotice;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.concurrent.Callable;

/** {@code laurel migrate-config LAUREL.toml}: LAUREL's config as laurel's YAML. */
@Command(name = "migrate-config", mixinStandardHelpOptions = true, versionProvider = Version.class,
        exitCodeOnInvalidInput = Main.USAGE, sortOptions = false, usageHelpAutoWidth = true,
        description = {"Prints the laurel YAML config equivalent to a LAUREL TOML config (such as"
                + " /etc/laurel/config.toml): LAUREL's sections become a chain of enrichers and sinks.",
            "Options the file leaves out take LAUREL 0.5.1's defaults. An option laurel has no equivalent"
                + " for is left out with a \"NOT MIGRATED\" comment in the YAML and a warning on stderr"
                + " (FILE:LINE: warning: OPTION: ...); notes say where laurel's output differs.",
            "Check the result with: laurel --config OUT.yaml --dry-run"},
        exitCodeListHeading = "%nExit status:%n",
        exitCodeList = {"0:migrated (warnings may have been printed)",
            "1:with --strict: migrated, but some options have no equivalent",
            "64:bad command line", "65:the file is not a valid LAUREL config (every problem as FILE:LINE:COLUMN)",
            "66:the file cannot be read", "73:the output file cannot be written"})
final class MigrateConfigCommand implements Callable<Integer> {
    static final int DATA_ERROR = 65;
    static final int NO_INPUT = 66;
    static final int CANNOT_CREATE = 73;

    @Parameters(index = "0", paramLabel = "LAUREL.toml", description = "LAUREL's config file.")
    Path toml;

    @Option(names = {"-o", "--output"}, paramLabel = "FILE",
            description = "Write the YAML here instead of standard output.")
    Path output;

    @Option(names = "--strict", description = "Exit with status 1 if any option has no equivalent.")
    boolean strict;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        PrintWriter err = spec.commandLine().getErr();
        Migration migration;
        try {
            migration = LaurelConfigMigration.migrate(toml);
        } catch (NoSuchFileException e) {
            err.println("laurel: cannot read " + toml + ": no such file");
            return NO_INPUT;
        } catch (AccessDeniedException e) {
            err.println("laurel: cannot read " + toml + ": permission denied");
            return NO_INPUT;
        } catch (IOException e) {
            err.println("laurel: cannot read " + toml + ": " + e);
            return NO_INPUT;
        } catch (LaurelConfigException e) {
            for (LaurelConfigException.Problem p : e.problems()) {
                err.println(p.describe(toml.toString()));
            }
            err.println("laurel: " + toml + " is not a valid LAUREL config; nothing written");
            return DATA_ERROR;
        }
        for (MigrationNotice n : migration.notices()) {
            err.println(n.describe(toml.toString()));
        }
        if (output == null) {
            PrintWriter out = spec.commandLine().getOut();
            out.print(migration.yaml());
            out.flush();
        } else {
            try {
                Files.writeString(output, migration.yaml(), StandardCharsets.UTF_8);
            } catch (IOException e) {
                err.println("laurel: cannot write " + output + ": " + e);
                return CANNOT_CREATE;
            }
        }
        return strict && !migration.warnings().isEmpty() ? Main.FAILURE : Main.OK;
    }
}
