package dev.laurel.dist;

import dev.laurel.api.PluginFactory;
import dev.laurel.api.Setting;
import dev.laurel.engine.plugin.PluginRegistry;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** What the built-in plugins share comes from one place, not from each plugin's own options. */
class SharedPluginPartsTest {

    @Test
    void noBuiltInPluginDeclaresProcRootWhichIsTheConfigsTopLevelSetting() throws Exception {
        PluginRegistry registry = PluginRegistry.discover(null);
        List<PluginFactory<?>> all = new ArrayList<>(registry.enrichers().values());
        all.addAll(registry.sinks().values());
        assertThat(all).hasSizeGreaterThan(10);
        for (PluginFactory<?> factory : all) {
            assertThat(factory.settings()).as(factory.type()).extracting(Setting::name).doesNotContain("proc-root");
        }
    }
}
