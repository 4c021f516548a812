package dev.laurel.engine.cli;

import dev.laurel.engine.config.ConfigErrors;
import dev.laurel.engine.plugin.PluginRegistry;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

import java.util.concurrent.Callable;

/** {@code laurel plugins}: every enricher, sink and format found, where from, and its options. */
@Command(name = "plugins", mixinStandardHelpOptions = true, versionProvider = Version.class,
        exitCodeOnInvalidInput = Main.USAGE,
        description = "Lists every enricher, sink and output format laurel can use, where each came from, and its options.")
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
        Main.PluginsDirectory dir = plugins.or(parent.plugins);
        PluginRegistry registry = Main.loadPlugins(null, dir, spec.commandLine().getErr());
        if (registry == null) {
            return ConfigErrors.EXIT_STATUS;
        }
        PluginListing.print(registry.enrichers(), registry.sinks(), registry.formats(), dir.resolve(),
                spec.commandLine().getOut());
        return Main.OK;
    }
}
