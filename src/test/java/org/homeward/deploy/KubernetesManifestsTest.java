package org.homeward.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import java.io.IOException;
import java.lang.reflect.Method;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.homeward.models.TorchRuntime;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * deploy/k8s, read as Kubernetes would: every built-in object parses into the API's own types (fabric8's model)
 * with no field those types do not know, the custom resources carry what their operators require, and the pieces
 * agree with each other and with the app (selectors, probe paths, secrets, settings the app reads). Nothing here
 * runs a cluster or the operators; docs/deployment.md says what this proves and what it does not.
 */
class KubernetesManifestsTest {

    static final Path BASE = Path.of("deploy/k8s/base");
    static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
    static final ObjectMapper STRICT = new ObjectMapper().enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);
    static final Map<String, Class<? extends HasMetadata>> BUILT_IN = Map.of(
            "v1/Namespace", Namespace.class, "v1/Service", Service.class,
            "v1/PersistentVolumeClaim", PersistentVolumeClaim.class, "apps/v1/Deployment", Deployment.class,
            "policy/v1/PodDisruptionBudget", PodDisruptionBudget.class,
            "networking.k8s.io/v1/NetworkPolicy", NetworkPolicy.class);
    /** Made outside these manifests: by the operators, cert-manager, or the cluster's administrator (docs/deployment.md). */
    static final Set<String> EXTERNAL_SECRETS = Set.of("homeward-db-owner", "homeward-db-app", "homeward-db-ca",
            "homeward-db-tls", "homeward-keycloak-tls", "keycloak-db-app");

    static List<JsonNode> objects = new ArrayList<>();
    static List<HasMetadata> typed = new ArrayList<>();

    @BeforeAll
    static void read() throws IOException {
        JsonNode kustomization = YAML.readTree(BASE.resolve("kustomization.yaml").toFile());
        for (JsonNode resource : kustomization.path("resources")) {
            Path file = BASE.resolve(resource.asText());
            assertTrue(Files.isRegularFile(file), "kustomization.yaml lists " + file + ", which is missing");
            try (MappingIterator<JsonNode> docs = YAML.readerFor(JsonNode.class).readValues(file.toFile())) {
                for (JsonNode doc : docs.readAll()) {
                    if (!doc.isEmpty()) {
                        objects.add(doc);
                    }
                }
            }
        }
        for (JsonNode o : objects) {
            Class<? extends HasMetadata> type = BUILT_IN.get(o.path("apiVersion").asText() + "/" + o.path("kind").asText());
            if (type != null) {
                typed.add(STRICT.treeToValue(o, type));
            }
        }
    }

    static <T> List<T> all(Class<T> type) {
        return typed.stream().filter(type::isInstance).map(type::cast).toList();
    }

    static JsonNode custom(String kind) {
        return objects.stream().filter(o -> o.path("kind").asText().equals(kind)).findFirst()
                .orElseThrow(() -> new AssertionError("no " + kind + " in deploy/k8s/base"));
    }

    @Test
    void everyBuiltInObjectIsValidForTheKubernetesApi() throws Exception {
        assertEquals(objects.size() - 3, typed.size(), "all but the 3 custom resources are built-in kinds we check");
        for (HasMetadata o : typed) {
            List<String> unknown = new ArrayList<>();
            unknownFields(o, o.getKind() + " " + o.getMetadata().getName(), unknown);
            assertEquals(List.of(), unknown, "fields the Kubernetes API does not have");
            assertTrue(o.getMetadata().getName().matches("[a-z0-9]([-a-z0-9]*[a-z0-9])?"), o.getMetadata().getName());
        }
    }

    /** fabric8 keeps fields it does not know in additionalProperties: any there is a misspelt or misplaced field. */
    static void unknownFields(Object o, String path, List<String> out) throws Exception {
        if (o == null || !o.getClass().getPackageName().startsWith("io.fabric8")) {
            if (o instanceof Collection<?> list) {
                int i = 0;
                for (Object e : list) {
                    unknownFields(e, path + "[" + i++ + "]", out);
                }
            }
            return;
        }
        for (Method m : o.getClass().getMethods()) {
            if (m.getParameterCount() != 0 || !m.getName().startsWith("get") || m.getName().equals("getClass")) {
                continue;
            }
            Object value = m.invoke(o);
            if (m.getName().equals("getAdditionalProperties")) {
                if (value instanceof Map<?, ?> extra && !extra.isEmpty()) {
                    out.add(path + ": " + extra.keySet());
                }
            } else if (value != null && (value instanceof Collection || value.getClass().getPackageName().startsWith("io.fabric8"))) {
                unknownFields(value, path + "." + m.getName().substring(3), out);
            }
        }
    }

    @Test
    void selectorsProbesAndPortsAgree() {
        for (Deployment d : all(Deployment.class)) {
            Map<String, String> pods = d.getSpec().getTemplate().getMetadata().getLabels();
            assertTrue(pods.entrySet().containsAll(d.getSpec().getSelector().getMatchLabels().entrySet()),
                    d.getMetadata().getName() + ": the selector picks its own pods");
            Container c = d.getSpec().getTemplate().getSpec().getContainers().get(0);
            Set<String> ports = Set.copyOf(c.getPorts().stream().map(p -> p.getName()).toList());
            assertEquals("/q/health/ready", c.getReadinessProbe().getHttpGet().getPath());
            assertEquals("/q/health/live", c.getLivenessProbe().getHttpGet().getPath());
            assertTrue(ports.contains(c.getReadinessProbe().getHttpGet().getPort().getStrVal()), "probe port named");
            assertTrue(d.getSpec().getTemplate().getSpec().getSecurityContext().getRunAsNonRoot(), "runs as non-root");
            assertEquals(10001L, d.getSpec().getTemplate().getSpec().getSecurityContext().getRunAsUser(),
                    "the image's unprivileged user");
        }
        Service web = all(Service.class).get(0);
        Deployment webPods = all(Deployment.class).stream().filter(d -> d.getMetadata().getName().equals("homeward-web"))
                .findFirst().orElseThrow();
        assertTrue(webPods.getSpec().getTemplate().getMetadata().getLabels().entrySet()
                .containsAll(web.getSpec().getSelector().entrySet()), "the Service reaches the web pods");
        assertTrue(webPods.getSpec().getReplicas() >= 2, "more than one web replica");
        Deployment worker = all(Deployment.class).stream().filter(d -> d.getMetadata().getName().equals("homeward-worker"))
                .findFirst().orElseThrow();
        assertEquals("1", worker.getSpec().getTemplate().getSpec().getContainers().get(0).getResources().getLimits()
                .get("nvidia.com/gpu").getAmount(), "one GPU per worker pod");
    }

    @Test
    void everySecretAndVolumeReferredToIsMadeSomewhere() throws IOException {
        String kustomization = Files.readString(BASE.resolve("kustomization.yaml"));
        Set<String> pvcs = Set.copyOf(all(PersistentVolumeClaim.class).stream().map(p -> p.getMetadata().getName()).toList());
        for (Deployment d : all(Deployment.class)) {
            var pod = d.getSpec().getTemplate().getSpec();
            for (EnvVar e : pod.getContainers().get(0).getEnv()) {
                if (e.getValueFrom() != null && e.getValueFrom().getSecretKeyRef() != null) {
                    String name = e.getValueFrom().getSecretKeyRef().getName();
                    assertTrue(EXTERNAL_SECRETS.contains(name) || kustomization.contains("name: " + name), name);
                }
            }
            pod.getContainers().get(0).getEnvFrom().forEach(from -> {
                String name = from.getSecretRef() != null ? from.getSecretRef().getName() : from.getConfigMapRef().getName();
                assertTrue(kustomization.contains("name: " + name), name + " is generated by kustomization.yaml");
            });
            pod.getVolumes().forEach(v -> {
                if (v.getPersistentVolumeClaim() != null) {
                    assertTrue(pvcs.contains(v.getPersistentVolumeClaim().getClaimName()), v.getName());
                }
                if (v.getSecret() != null) {
                    String name = v.getSecret().getSecretName();
                    assertTrue(EXTERNAL_SECRETS.contains(name) || kustomization.contains("name: " + name), name);
                }
            });
        }
    }

    @Test
    void everySettingGivenToTheAppIsOneItReads() throws IOException {
        String properties = Files.readString(Path.of("src/main/resources/application.properties"));
        String photoConfig = Files.readString(Path.of("src/main/java/org/homeward/photos/PhotoConfig.java"))
                + Files.readString(Path.of("src/main/java/org/homeward/photos/store/S3Settings.java"));
        List<String> names = new ArrayList<>();
        Matcher literal = Pattern.compile("- (HOMEWARD_\\w+|QUARKUS_\\w+)=").matcher(Files.readString(BASE.resolve("kustomization.yaml")));
        while (literal.find()) {
            names.add(literal.group(1));
        }
        for (Deployment d : all(Deployment.class)) {
            d.getSpec().getTemplate().getSpec().getContainers().get(0).getEnv().forEach(e -> names.add(e.getName()));
        }
        for (String name : names) {
            boolean read = properties.contains("${" + name + ":") || properties.contains("${" + name + "}")
                    || name.startsWith("QUARKUS_")
                    // read by NVIDIA's libraries when they load; TorchRuntime refuses a GPU without it
                    || name.equals(TorchRuntime.TF32_OVERRIDE)
                    || name.startsWith("HOMEWARD_PHOTOS_") && photoConfig.contains(camel(name.substring("HOMEWARD_PHOTOS_".length())));
            assertTrue(read, name + " is not a setting Homeward reads");
        }
    }

    /** HOMEWARD_PHOTOS_S3_CREATE_BUCKET -> createBucket (the last part, as PhotoConfig names its method). */
    private static String camel(String rest) {
        String[] parts = rest.toLowerCase().split("_");
        int from = parts[0].equals("s3") || parts[0].equals("encryption") ? 1 : 0;
        StringBuilder out = new StringBuilder(parts[from]);
        for (int i = from + 1; i < parts.length; i++) {
            out.append(Character.toUpperCase(parts[i].charAt(0))).append(parts[i].substring(1));
        }
        return out + "()";
    }

    @Test
    void theOperatorsResourcesCarryWhatHomewardNeeds() {
        JsonNode cluster = custom("Cluster");
        assertEquals("postgresql.cnpg.io/v1", cluster.path("apiVersion").asText());
        assertTrue(cluster.at("/spec/instances").asInt() >= 3, "three PostgreSQL instances");
        assertFalse(cluster.at("/spec/storage/size").isMissingNode(), "storage size");
        assertEquals("homeward", cluster.at("/spec/bootstrap/initdb/database").asText());

        JsonNode keycloak = custom("Keycloak");
        assertEquals("k8s.keycloak.org/v2alpha1", keycloak.path("apiVersion").asText());
        JsonNode realm = custom("KeycloakRealmImport");
        assertEquals(keycloak.at("/metadata/name").asText(), realm.at("/spec/keycloakCRName").asText());
        JsonNode client = realm.at("/spec/realm/clients/0");
        assertEquals("homeward-web", client.path("clientId").asText());
        assertEquals("S256", client.at("/attributes/pkce.code.challenge.method").asText());
        client.path("redirectUris").forEach(uri -> assertTrue(uri.asText().startsWith("https://")
                && !uri.asText().contains("*.") && !uri.asText().contains(":*"), "an exact https redirect: " + uri));
        assertTrue(client.path("protocolMappers").findValuesAsText("protocolMapper").contains("oidc-audience-mapper"),
                "the audience the API checks");
        assertTrue(realm.at("/spec/realm/bruteForceProtected").asBoolean());
    }

    @Test
    void theCpuOverlayPatchesPathsThatExist() throws IOException {
        JsonNode overlay = YAML.readTree(Path.of("deploy/k8s/overlays/cpu-worker/kustomization.yaml").toFile());
        JsonNode worker = objects.stream().filter(o -> o.at("/metadata/name").asText().equals("homeward-worker"))
                .findFirst().orElseThrow();
        JsonNode ops = YAML.readTree(overlay.at("/patches/0/patch").asText());
        for (JsonNode op : ops) {
            String pointer = op.path("path").asText();
            assertFalse(worker.at(pointer).isMissingNode(), "the overlay patches " + pointer + ", which exists");
        }
        assertEquals("HOMEWARD_DEVICE", worker.at("/spec/template/spec/containers/0/env/1/name").asText());
    }
}
