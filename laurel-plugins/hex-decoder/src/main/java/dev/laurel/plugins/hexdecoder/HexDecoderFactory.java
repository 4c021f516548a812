package dev.laurel.plugins.hexdecoder;

import dev.laurel.api.Enricher;
import dev.laurel.api.EnricherFactory;
import dev.laurel.api.PluginConfig;
import dev.laurel.api.PluginContext;
import dev.laurel.api.Setting;

import java.util.List;

/**
 * The {@code hex-decoder} enricher: replaces every value auditd hex-encoded with its decoded
 * text. No options.
 *
 * <pre>{@code
 * enrichers:
 *   - type: hex-decoder
 * }</pre>
 */
public final class HexDecoderFactory implements EnricherFactory {

    @Override
    public String type() {
        return "hex-decoder";
    }

    @Override
    public String description() {
        return "Replaces every value auditd hex-encoded (file names, command lines, proctitle, "
                + "sockaddr, ...) with its decoded text";
    }

    @Override
    public List<Setting<?>> settings() {
        return List.of();
    }

    @Override
    public Enricher create(PluginConfig config, PluginContext context) {
        return new HexDecoder();
    }
}
