package dev.laurel.plugins.translate;

import dev.laurel.api.ConfigException;
import dev.laurel.api.EnricherFactory;
import dev.laurel.api.Setting;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ServiceLoader;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class TranslateFactoryTest {

    private final TranslateFactory factory = new TranslateFactory();

    @Test
    void isFoundByServiceLoaderAsTranslate() {
        assertThat(ServiceLoader.load(EnricherFactory.class).stream().map(p -> p.get().type()))
                .contains("translate");
    }

    @Test
    void translatesEverythingByDefault() {
        assertThat(TranslateFactory.UNIVERSAL.defaultValue()).isTrue();
        assertThat(TranslateFactory.USER_DB.defaultValue()).isTrue();
        assertThat(TranslateFactory.SOCKADDR.defaultValue()).isEqualTo("string");
        assertThat(TranslateFactory.DROP_RAW.defaultValue()).isFalse();
        assertThat(TranslateFactory.PASSWD_FILE.defaultValue()).isEqualTo("/etc/passwd");
        for (Setting<?> s : factory.settings()) {
            assertThat(s.description()).as(s.name()).isNotBlank();
        }
    }

    @Test
    void declaresTheCacheAgeAsADurationSoTheEngineChecksIt() {
        assertThat(TranslateFactory.USER_DB_CACHE.type()).isEqualTo(Setting.Type.DURATION);
        assertThat(TranslateFactory.USER_DB_CACHE.defaultValue()).isEqualTo(Duration.ofSeconds(60));
    }

    @Test
    void namesTheSettingOfAnUnreadableUserDatabase() {
        TestConfig config = new TestConfig().with(TranslateFactory.PASSWD_FILE, "/nonexistent/passwd")
                .with(TranslateFactory.GROUP_FILE, "/nonexistent/group");

        assertThatThrownBy(() -> factory.create(config, new TestContext()))
                .isInstanceOfSatisfying(ConfigException.class, e -> assertThat(e.problems())
                        .extracting(ConfigException.Problem::setting)
                        .containsExactly("passwd-file", "group-file"))
                .hasMessageContaining("cannot read /nonexistent/passwd");
    }

    @Test
    void doesNotReadTheUserDatabaseWhenUserDbIsOff() throws Exception {
        TestConfig config = new TestConfig().with(TranslateFactory.USER_DB, false)
                .with(TranslateFactory.PASSWD_FILE, "/nonexistent/passwd");

        assertThat(factory.create(config, new TestContext())).isInstanceOf(Translate.class);
    }

    @Test
    void rejectsAnEntryThatTranslatesNothingAndASockaddrFormWithoutUniversal() {
        TestConfig config = new TestConfig().with(TranslateFactory.USER_DB, false)
                .with(TranslateFactory.UNIVERSAL, false).with(TranslateFactory.SOCKADDR, "object");

        assertThatThrownBy(() -> factory.create(config, new TestContext()))
                .isInstanceOfSatisfying(ConfigException.class, e -> assertThat(e.problems())
                        .extracting(ConfigException.Problem::setting)
                        .containsExactly("sockaddr", null));
    }
}
