package org.homeward.security;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Production mode refuses every published demo secret, plain HTTP to Keycloak, cookies without Secure and no PKCE. */
class ProductionGuardTest {

    private static Map<String, Optional<String>> demo() {
        Map<String, Optional<String>> settings = new HashMap<>();
        ProductionGuard.DEMO_VALUES.forEach((key, value) -> settings.put(key, Optional.of(value[0])));
        settings.put("homeward.keycloak.url", Optional.of("http://127.0.0.1:58180/realms/homeward"));
        settings.put("homeward.csrf.secure-cookie", Optional.of("false"));
        settings.put("quarkus.oidc.authentication.pkce-required", Optional.of("true"));
        return settings;
    }

    @Test
    void theDemoConfigurationIsRefusedNamingEverySettingToChange() {
        List<String> problems = ProductionGuard.violations(demo());
        assertEquals(ProductionGuard.DEMO_VALUES.size() + 2, problems.size(), String.join("\n", problems));
        for (String[] demo : ProductionGuard.DEMO_VALUES.values()) {
            assertTrue(problems.stream().anyMatch(p -> p.contains(demo[1])), "says to set " + demo[1] + ": " + problems);
        }
        assertTrue(problems.stream().anyMatch(p -> p.contains("HOMEWARD_KEYCLOAK_URL")), problems.toString());
        assertTrue(problems.stream().anyMatch(p -> p.contains("HOMEWARD_SECURE_COOKIES=true")), problems.toString());
    }

    @Test
    void ownSecretsTlsSecureCookiesAndPkcePass() {
        Map<String, Optional<String>> settings = demo();
        ProductionGuard.DEMO_VALUES.keySet().forEach(key -> settings.put(key, Optional.of("a-secret-of-our-own-" + key.hashCode() + "-0123456789abcdef")));
        settings.put("homeward.keycloak.url", Optional.of("https://login.example.org/realms/homeward"));
        settings.put("homeward.csrf.secure-cookie", Optional.of("true"));
        assertEquals(List.of(), ProductionGuard.violations(settings));
        settings.put("homeward.photos.s3.secret-key", Optional.of("bucket-credentials-of-our-own"));
        assertEquals(List.of(), ProductionGuard.violations(settings), "an S3 store with its own key");

        settings.put("homeward.photos.s3.secret-key", Optional.of("homeward-s3-demo"));
        assertTrue(ProductionGuard.violations(settings).get(0).contains("HOMEWARD_PHOTOS_S3_SECRET_KEY"),
                "the local S3 server's demo key is refused");
        settings.put("homeward.photos.s3.secret-key", Optional.empty());
        settings.put("homeward.photos.encryption.enabled", Optional.of("false"));
        assertTrue(ProductionGuard.violations(settings).get(0).contains("encrypted at rest"), "encryption may not be off");
        settings.put("homeward.photos.encryption.enabled", Optional.empty());

        settings.put("homeward.csrf.signature-key", Optional.of("short"));
        settings.put("quarkus.oidc.authentication.pkce-required", Optional.empty());
        settings.put("quarkus.datasource.password", Optional.empty());
        List<String> problems = ProductionGuard.violations(settings);
        assertEquals(3, problems.size(), problems.toString());
        assertTrue(problems.stream().anyMatch(p -> p.contains("shorter than 32")));
        assertTrue(problems.stream().anyMatch(p -> p.contains("PKCE")));
        assertTrue(problems.stream().anyMatch(p -> p.startsWith("quarkus.datasource.password is empty")));
    }
}
