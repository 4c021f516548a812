package dev.laurel.engine.cli;

import dev.laurel.engine.config.SettingsReference;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

import java.util.concurrent.Callable;

/** {@code laurel settings}: laurel's own settings (outside the chain), as {@code laurel plugins} lists plugin options. */
@Command(name = "settings", mixinStandardHelpOptions = true, versionProvider = Version.class,
        exitCodeOnInvalidInput = Main.USAGE,
        description = "Lists laurel's own settings (input, limits, diagnostics, ...) with their types and defaults.")
final class SettingsCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        SettingsReference.print(spec.commandLine().getOut());
        return Main.OK;
    }
}
