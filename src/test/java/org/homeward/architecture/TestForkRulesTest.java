package org.homeward.architecture;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import java.util.List;
import java.util.TreeSet;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The build runs @QuarkusTest classes of the default profile in one JVM (tag shared-app) and every other test class
 * in a JVM of its own, because libtorch's natives load in one class loader only (pom.xml says more). A profile test
 * in the shared JVM would restart Quarkus in a new class loader and fail to load the model natives; a default-profile
 * test outside it would cost a Quarkus start of its own. This keeps the tags true.
 */
class TestForkRulesTest {

    private static final String SHARED_APP = "shared-app";

    private static final List<JavaClass> TEST_CLASSES = List.copyOf(new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.ONLY_INCLUDE_TESTS)
            .importPackages("org.homeward"));

    @Test
    void defaultProfileAppTestsAndOnlyTheyShareTheAppJvm() {
        var untagged = new TreeSet<String>();
        var wronglyTagged = new TreeSet<String>();
        int shared = 0;
        for (JavaClass c : TEST_CLASSES) {
            boolean quarkus = c.isAnnotatedWith(QuarkusTest.class);
            boolean profile = c.isAnnotatedWith(TestProfile.class);
            boolean tagged = c.tryGetAnnotationOfType(Tag.class).map(t -> SHARED_APP.equals(t.value())).orElse(false);
            boolean belongs = quarkus && !profile;
            if (belongs && !tagged) {
                untagged.add(c.getName());
            }
            if (tagged && !belongs) {
                wronglyTagged.add(c.getName());
            }
            shared += belongs ? 1 : 0;
        }
        assertEquals(new TreeSet<String>(), untagged, "default-profile @QuarkusTest classes without @Tag(\"shared-app\")");
        assertEquals(new TreeSet<String>(), wronglyTagged, "@Tag(\"shared-app\") on a class that is no default-profile @QuarkusTest");
        assertTrue(shared > 30, "the test classes were read (" + shared + " shared-app classes found)");
    }
}
