package dev.laurel.plugins.hexdecoder;

import dev.laurel.api.Enricher;
import dev.laurel.api.EnricherFactory;
import dev.laurel.api.PluginConfig;
import dev.laurel.api.PluginContext;
import dev.laurel.api.Setting;

import java.util.List;

/**
 * The {@code hex-decoder} enricher: replaces every value auditd hex-encoded with its decoded
 * text.
 *
 * <pre>{@code
 * enrichers:
 *   - type: hex-decoder
 *     style: laurel        # or laurel-0.8: URINGOP's uring_op as a number
 * }</pre>
 */
public final class HexDecoderFactory implements EnricherFactory {

    static final Setting<String> STYLE = Setting.choice("style",
                    "laurel: as LAUREL 0.5.1 (URINGOP's uring_op=18 hex-decoded, \"%18\"); laurel-0.8: as LAUREL 0.8 "
                            + "(uring_op a decimal number, 18)",
                    "laurel", "laurel-0.8")
            .withDefault("laurel");

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
        return List.of(STYLE);
    }

    @Override
    public Enricher create(PluginConfig config, PluginContext context) {
        return new HexDecoder(config.get(STYLE).equals("laurel-0.8"));
    }
}
