package dev.laurel.api;

import org.junit.jupiter.api.Test;

import java.util.LinkedHashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class AuditEventTest {

    @Test
    void extrasKeepTheOrderFirstPutAndAreALiveReadOnlyView() {
        AuditEvent e = new AuditEvent(new EventId(1, 2, 3), null);
        assertThat(e.extras()).isEmpty();
        Map<String, Value> expected = new LinkedHashMap<>();
        for (int i = 0; i < 5; i++) {
            e.put("K" + i, Value.number(i));
            expected.put("K" + i, Value.number(i));
        }
        Map<String, Value> view = e.extras();
        e.put("K1", Value.text("again"));            // replaced where it was first put
        expected.put("K1", Value.text("again"));
        e.put("K5", Value.NULL);
        expected.put("K5", Value.NULL);
        assertThat(view).isEqualTo(expected);
        assertThat(view.keySet()).containsExactly("K0", "K1", "K2", "K3", "K4", "K5");
        StringBuilder order = new StringBuilder();
        view.forEach((k, v) -> order.append(k));
        assertThat(order).hasToString("K0K1K2K3K4K5");
        assertThat(e.extra("K1")).isEqualTo(Value.text("again"));
        assertThat(e.extra("absent")).isNull();
        assertThat(view.toString()).isEqualTo(expected.toString());
        assertThatThrownBy(() -> view.put("X", Value.NULL)).isInstanceOf(UnsupportedOperationException.class);
        assertThatThrownBy(() -> view.entrySet().iterator().remove()).isInstanceOf(RuntimeException.class);
    }
}
