package org.homeward.models;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.Map;

/**
 * A model package on disk: a folder with a manifest.json (task, input, output, source, licence,
 * checksums) and the files it names. Opening one checks every file against its checksum, so a
 * damaged or swapped weight file is refused instead of silently giving other answers.
 */
public final class ModelPackage {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final Path dir;
    private final JsonNode manifest;

    private ModelPackage(Path dir, JsonNode manifest) {
        this.dir = dir;
        this.manifest = manifest;
    }

    public static ModelPackage open(Path dir) {
        Path manifestFile = dir.resolve("manifest.json");
        if (!Files.isRegularFile(manifestFile)) {
            throw new ModelUnavailable("no model package at " + dir + " (missing manifest.json); "
                    + "build the default bundle with: deploy/homeward models");
        }
        try {
            ModelPackage pkg = new ModelPackage(dir, JSON.readTree(manifestFile.toFile()));
            pkg.verifyChecksums();
            return pkg;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + manifestFile, e);
        }
    }

    public String name() {
        return manifest.path("name").asText(dir.getFileName().toString());
    }

    public String version() {
        return manifest.path("version").asText("unknown");
    }

    /** The name and version together: what is stored beside every result this model produced. */
    public String id() {
        return name();
    }

    public JsonNode manifest() {
        return manifest;
    }

    public Path file(String name) {
        return dir.resolve(name);
    }

    /**
     * The JSON parameters of a package learned by Homeward: checks that the task is {@code task} ({@code kind}
     * names it in the message, e.g. "an embedding transform") and that the parameters file (method.parameters_file,
     * default parameters.json) is listed, so checksummed, in the manifest; then reads it.
     */
    public JsonNode jsonParameters(String task, String kind) {
        String where = "model package " + name();
        if (!task.equals(manifest.path("task").asText())) {
            throw new ModelUnavailable(where + " is not " + kind + " (task '" + manifest.path("task").asText()
                    + "', expected '" + task + "')");
        }
        String paramsName = manifest.path("method").path("parameters_file").asText("parameters.json");
        if (!manifest.path("files").has(paramsName)) {
            throw new ModelUnavailable(where + ": " + paramsName + " is not listed (with its checksum) in the manifest");
        }
        try {
            return JSON.readTree(Files.readAllBytes(file(paramsName)));
        } catch (IOException e) {
            throw new ModelUnavailable(where + ": cannot read " + paramsName, e);
        }
    }

    private void verifyChecksums() throws IOException {
        JsonNode files = manifest.path("files");
        for (Iterator<Map.Entry<String, JsonNode>> it = files.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> entry = it.next();
            String expected = entry.getValue().isTextual() ? entry.getValue().asText()
                    : entry.getValue().path("sha256").asText();
            String actual = sha256(dir.resolve(entry.getKey()));
            if (!actual.equalsIgnoreCase(expected)) {
                throw new ModelUnavailable("model package " + name() + ": " + entry.getKey()
                        + " does not match its checksum (damaged or replaced); rebuild it with: deploy/homeward models");
            }
        }
    }

    private static String sha256(Path file) throws IOException {
        try (InputStream in = new DigestInputStream(Files.newInputStream(file), MessageDigest.getInstance("SHA-256"))) {
            byte[] buffer = new byte[1 << 16];
            MessageDigest digest = ((DigestInputStream) in).getMessageDigest();
            while (in.read(buffer) >= 0) {
                // reading feeds the digest
            }
            return HexFormat.of().formatHex(digest.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
