package org.homeward.tools.eval;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.LocalDate;
import java.util.HexFormat;

/**
 * The last step of writing a model package that the evaluation learned: the parameters file and the manifest
 * that records who built it and the parameters' checksum, which {@link org.homeward.models.ModelPackage#open}
 * verifies.
 */
final class PackageFiles {

    static final String PARAMETERS = "parameters.json";
    static final String KNOWN_ANSWERS = "known-answers.json";

    private PackageFiles() {
    }

    /** Writes parameters.json, then manifest.json with "built" (by, date) and "files" (sha256, bytes) added. */
    static void write(Path dir, ObjectNode manifest, byte[] parameters, String builtBy) throws IOException {
        write(dir, manifest, parameters, null, builtBy);
    }

    /** As {@link #write(Path, ObjectNode, byte[], String)}, with known-answers.json too when {@code knownAnswers} is given. */
    static void write(Path dir, ObjectNode manifest, byte[] parameters, byte[] knownAnswers, String builtBy) throws IOException {
        Files.createDirectories(dir);
        Files.write(dir.resolve(PARAMETERS), parameters);
        ObjectNode built = manifest.putObject("built");
        built.put("by", builtBy);
        built.put("date", LocalDate.now().toString());
        ObjectNode files = manifest.putObject("files");
        ObjectNode file = files.putObject(PARAMETERS);
        file.put("sha256", sha256(parameters));
        file.put("bytes", parameters.length);
        if (knownAnswers != null) {
            Files.write(dir.resolve(KNOWN_ANSWERS), knownAnswers);
            ObjectNode known = files.putObject(KNOWN_ANSWERS);
            known.put("sha256", sha256(knownAnswers));
            known.put("bytes", knownAnswers.length);
        }
        Files.writeString(dir.resolve("manifest.json"),
                EvalCommand.JSON.writerWithDefaultPrettyPrinter().writeValueAsString(manifest) + "\n", StandardCharsets.UTF_8);
    }

    static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
