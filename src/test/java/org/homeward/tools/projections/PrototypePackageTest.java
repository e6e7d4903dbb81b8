package org.homeward.tools.projections;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import org.homeward.models.ModelUnavailable;
import org.homeward.projections.ageing.PrototypePackage;
import org.homeward.projections.ageing.PrototypeProjector;
import org.homeward.projections.imaging.ProjectionFrame;
import org.homeward.testing.Fgnet;
import org.homeward.tools.projections.AnnotatedPhoto;
import org.homeward.tools.projections.ProjectionsCommand;
import org.homeward.tools.projections.PrototypeBuilder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** The committed age prototypes are what the build command makes from FG-NET dev, and a damaged copy is refused. */
class PrototypePackageTest {

    static final Path COMMITTED = Path.of("deploy", "models", "packages", PrototypePackage.NAME);

    @TempDir
    Path dir;

    @Test
    void rebuildingFromTheDevDataGivesTheCommittedFilesByteForByte() throws Exception {
        assumeTrue(Fgnet.present(), "FG-NET dev data absent");
        Path csv = Fgnet.ROOT.resolve("fgnet-dev.csv");
        var photos = AnnotatedPhoto.readCsv(csv);
        PrototypePackage.write(dir, PrototypeBuilder.build(photos, ProjectionFrame.DEFAULT, PrototypeBuilder.Rules.DEFAULT),
                ProjectionsCommand.DEFAULT_WEIGHTS, ProjectionsCommand.provenance(csv, photos));
        JsonNode committed = new ObjectMapper().readTree(COMMITTED.resolve("manifest.json").toFile()).path("files");
        JsonNode rebuilt = new ObjectMapper().readTree(dir.resolve("manifest.json").toFile()).path("files");
        assertEquals(committed.size(), rebuilt.size());
        for (Iterator<Map.Entry<String, JsonNode>> it = committed.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> f = it.next();
            assertEquals(f.getValue().path("sha256").asText(), rebuilt.path(f.getKey()).path("sha256").asText(), f.getKey());
        }
    }

    @Test
    void theCommittedPackageOpensAndADamagedCopyIsRefused() throws Exception {
        PrototypeProjector p = PrototypePackage.open(COMMITTED);
        assertEquals(14, p.prototypes().groups().size());
        assertEquals(ProjectionsCommand.DEFAULT_WEIGHTS, p.weights(), "the package carries the weights the evaluation kept");
        assertTrue(p.prototypes().groups().stream().allMatch(g -> g.photos() >= 10 && g.identities() >= 5),
                "no mean of fewer than 10 photos or 5 people");
        try (var files = Files.list(COMMITTED)) {
            for (Path f : files.toList()) {
                Files.copy(f, dir.resolve(f.getFileName()));
            }
        }
        for (String file : List.of("mean-0-1.png", "texture-45p.png")) {
            byte[] good = Files.readAllBytes(dir.resolve(file));
            byte[] png = good.clone();
            png[png.length / 2] ^= 1;
            Files.write(dir.resolve(file), png);
            ModelUnavailable e = assertThrows(ModelUnavailable.class, () -> PrototypePackage.open(dir));
            assertTrue(e.getMessage().contains(file + " does not match its checksum"), e.getMessage());
            Files.write(dir.resolve(file), good);
        }
        PrototypePackage.open(dir);
    }
}
