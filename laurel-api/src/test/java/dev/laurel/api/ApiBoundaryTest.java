package dev.laurel.api;

import org.junit.jupiter.api.Test;

import java.lang.reflect.Constructor;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What laurel-api 1.0 promises is the event model, not how the engine stores it: the parser's
 * hooks live in {@code dev.laurel.api.internal}, which the promise excludes, and nothing public
 * leads there.
 */
class ApiBoundaryTest {
    @Test
    void noPublicSignatureOutsideInternalMentionsAnInternalType() throws Exception {
        Path classes = Path.of(Record.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        List<String> api = ApiSignatures.of(classes, getClass().getClassLoader());
        assertThat(api).as("the API of %s", classes).isNotEmpty()
                .noneMatch(line -> line.contains("dev.laurel.api.internal."));
    }

    @Test
    void recordShowsFieldsByNameAndIndexValuesAndDecodedBytesButNotTheParsersStorage() {
        Set<String> methods = new TreeSet<>();
        for (Method m : Record.class.getDeclaredMethods()) {
            if (Modifier.isPublic(m.getModifiers())) {
                methods.add(m.getName());
            }
        }
        assertThat(methods).containsExactlyInAnyOrder("type", "line", "size", "name", "value", "indexOf", "get",
                "decoded", "getLong", "enrichedFrom", "add", "set", "remove", "toString");
    }

    @Test
    void recordsOnlyPublicConstructorTakesATypeAndALineAndChangesNoOtherRecord() {
        List<List<Class<?>>> constructors = Arrays.stream(Record.class.getDeclaredConstructors())
                .filter(c -> Modifier.isPublic(c.getModifiers()))
                .map(Constructor::getParameterTypes)
                .map(List::of)
                .toList();
        assertThat(constructors).containsExactly(List.of(RecordType.class, byte[].class));
    }
}
