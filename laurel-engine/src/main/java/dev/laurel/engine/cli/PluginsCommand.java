package dev.laurel.engine.cli;

import dev.laurel.engine.config.ConfigErrors;
import dev.laurel.engine.plugin.PluginLoadException;
import dev.laurel.engine.plugin.PluginRegistry;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;

/** {@code laurel plugins}: every enricher and sink type found, where from, and its options. */
@Command(name = "plugins", mixinStandardHelpOptions = true, versionProvider = Version.class,
        exitCodeOnInvalidInput = Main.USAGE,
        description = "Lists every enricher and sink laurel can use, where each came from, and its options.")
final class PluginsCommand implements Callable<Integer> {
    @ParentCommand
    Main parent;

    @Mixin
    Main.PluginsDirectory plugins;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        DiagnosticLog.apply(DiagnosticLog.STDERR, null);
        Path dir = plugins.dir != null ? plugins.dir : parent.plugins.resolve();
        if (TrustedFiles.apply()) {
            List<String> untrusted = TrustedFiles.problems(null, dir);
            if (!untrusted.isEmpty()) {
                untrusted.forEach(problem -> spec.commandLine().getErr().println("laurel: " + problem));
                return ConfigErrors.EXIT_STATUS;
            }
        }
        PluginRegistry registry;
        try {
            registry = PluginRegistry.discover(dir);
        } catch (PluginLoadException e) {
            spec.commandLine().getErr().println("laurel: " + e.getMessage());
            return ConfigErrors.EXIT_STATUS;
        }
        PluginListing.print(registry.enrichers(), registry.sinks(), dir, spec.commandLine().getOut());
        return Main.OK;
    }
}
