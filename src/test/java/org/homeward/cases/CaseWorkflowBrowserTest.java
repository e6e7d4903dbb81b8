package org.homeward.cases;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import javax.imageio.ImageIO;
import org.homeward.testing.Browser;
import org.homeward.testing.DemoUsers;
import org.homeward.testing.TestImages;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.ExpectedConditions;

/**
 * The investigator's day in headless Chromium against the real Keycloak, database and models: open a
 * case (after a validation error), upload two photos, see the faces appear, mark the child's face; a
 * supervisor closes the case; an auditor sees those events and a verified chain.
 */
@QuarkusTest
@Tag("shared-app")
class CaseWorkflowBrowserTest {

    @TestHTTPResource("/")
    URL root;

    private String url(String path) {
        return root.toString().replaceAll("/$", "") + path;
    }

    /** Two public-domain portraits side by side: a photo with two faces, new bytes every run. */
    private static Path twoFacePhoto(byte[] left, byte[] right) throws Exception {
        BufferedImage a = ImageIO.read(new ByteArrayInputStream(left));
        BufferedImage b = ImageIO.read(new ByteArrayInputStream(right));
        BufferedImage both = new BufferedImage(a.getWidth() + b.getWidth(), Math.max(a.getHeight(), b.getHeight()),
                BufferedImage.TYPE_INT_RGB);
        both.getGraphics().drawImage(a, 0, 0, null);
        both.getGraphics().drawImage(b, a.getWidth(), 0, null);
        both.setRGB(0, 0, (int) (System.nanoTime() & 0xffffff));
        Path file = Files.createTempFile("two-faces", ".png");
        ImageIO.write(both, "png", file.toFile());
        return file;
    }

    @Test
    void investigatorOpensACaseUploadsPhotosAndMarksTheChildSupervisorClosesAuditorVerifies() throws Exception {
        byte[] hopper = TestImages.debianPortrait(TestImages.GRACE_HOPPER).orElse(null);
        byte[] astronaut = TestImages.debianPortrait(TestImages.ASTRONAUT).orElse(null);
        assumeTrue(hopper != null && astronaut != null, "SKIPPED: Debian's portrait images are absent "
                + "(python-matplotlib-data, python3-skimage); deploy/homeward test installs them");
        Path single = Files.createTempFile("one-face", ".png");
        Files.write(single, TestImages.unique(hopper, System.nanoTime()));
        Path pair = twoFacePhoto(astronaut, hopper);
        String childName = "Browser Child " + System.nanoTime();
        String caseUrl;

        try (Browser browser = new Browser()) {
            browser.driver.get(url("/cases/new"));
            browser.logInAtKeycloak(DemoUsers.INVESTIGATOR_NORTH);
            browser.waitUpTo(30).until(ExpectedConditions.visibilityOfElementLocated(By.id("childName")));

            // A mistake first: last seen before birth. The message appears beside the field, the input stays.
            browser.driver.findElement(By.id("childName")).sendKeys(childName);
            setDate(browser, "birthDate", "2014-05-02");
            setDate(browser, "lastSeenDate", "2013-01-01");
            browser.driver.findElement(By.id("save-case")).click();
            WebElement error = browser.waitUpTo(20).until(
                    ExpectedConditions.visibilityOfElementLocated(By.id("error-lastSeenDate")));
            assertTrue(error.getText().contains("before they were born"), error.getText());
            assertEquals(childName, browser.driver.findElement(By.id("childName")).getAttribute("value"));
            browser.screenshot("case-form-error");

            setDate(browser, "lastSeenDate", "2019-09-14");
            browser.driver.findElement(By.id("lastSeenPlace")).sendKeys("Lyon, Part-Dieu station");
            browser.driver.findElement(By.id("circumstances")).sendKeys("<b>Left school</b> & never came home");
            browser.driver.findElement(By.id("save-case")).click();
            browser.waitUpTo(20).until(ExpectedConditions.visibilityOfElementLocated(By.id("case-reference")));
            caseUrl = browser.driver.getCurrentUrl();
            assertEquals(childName, browser.driver.findElement(By.id("case-child")).getText());
            assertTrue(browser.driver.getPageSource().contains("&lt;b&gt;Left school&lt;/b&gt;"), "markup shown as text");

            // Two photos at once through the drop zone's file input, each given its own date or age before the upload.
            browser.driver.findElement(By.id("file-input")).sendKeys(single + "\n" + pair);
            List<WebElement> dates = browser.waitUpTo(10).until(d -> {
                List<WebElement> found = d.findElements(By.cssSelector("#staged-list input[data-field='takenOn']"));
                return found.size() == 2 ? found : null;
            });
            assertEquals("Upload 2 photos", browser.driver.findElement(By.id("upload-start")).getText());
            ((org.openqa.selenium.JavascriptExecutor) browser.driver)
                    .executeScript("arguments[0].value = arguments[1];", dates.get(0), "2018-07-01");
            browser.driver.findElements(By.cssSelector("#staged-list input[data-field='ageAtPhoto']")).get(1).sendKeys("9");
            browser.screenshot("case-photos-staged");
            browser.driver.findElement(By.id("upload-start")).click();
            browser.waitUpTo(240).until(d -> d.findElements(By.cssSelector("figure.photo[data-state='done']")).size() == 2);
            String captions = browser.driver.findElements(By.cssSelector("figure.photo figcaption")).stream()
                    .map(WebElement::getText).reduce("", String::concat);
            assertTrue(captions.contains("taken 2018-07-01") && captions.contains("age 9"),
                    "each photo keeps the date or age given to it: " + captions);
            List<WebElement> faces = browser.driver.findElements(By.cssSelector("figure.photo rect.face"));
            assertTrue(faces.size() >= 3, "faces drawn on both photos: " + faces.size());
            browser.screenshot("case-photos-processed");

            // The two-face photo asks which face is the child; choose the first.
            WebElement choose = browser.waitUpTo(10).until(ExpectedConditions.elementToBeClickable(
                    By.cssSelector("form[action$='/child-face'] button")));
            choose.click();
            browser.waitUpTo(20).until(d -> d.findElements(By.cssSelector("rect.face-child")).size() == 2);
            browser.screenshot("case-child-marked");
            assertTrue(browser.driver.findElement(By.id("page-notice")).getText().startsWith("Marked as the child"));

            // The first photo's date was a guess: its page corrects it to an age, then takes the other photo away.
            browser.driver.findElement(By.cssSelector("figure.photo a.photo-frame")).click();
            browser.waitUpTo(20).until(ExpectedConditions.visibilityOfElementLocated(By.id("photo-facts-box")));
            String photoPage = browser.driver.getCurrentUrl();
            browser.driver.findElement(By.cssSelector("#photo-facts-box summary")).click();
            setDate(browser, "facts-taken-on", "");
            browser.driver.findElement(By.id("facts-age")).clear();
            browser.driver.findElement(By.id("facts-age")).sendKeys("6");
            browser.driver.findElement(By.id("facts-save")).click();
            WebElement saved = browser.waitUpTo(20).until(ExpectedConditions.visibilityOfElementLocated(By.id("page-note")));
            assertTrue(saved.getText().contains("planned again"), saved.getText());
            assertTrue(browser.driver.getPageSource().contains("the child about 6 years old"), "the page shows the new age");
            browser.screenshots("case-photo-facts-saved");
            browser.driver.findElement(By.cssSelector("#photo-facts-box summary")).click();
            setDate(browser, "facts-taken-on", "2099-01-01");
            browser.driver.findElement(By.id("facts-save")).click();
            WebElement refused = browser.waitUpTo(20).until(ExpectedConditions.visibilityOfElementLocated(By.id("page-message")));
            assertTrue(refused.getText().contains("in the future"), refused.getText());

            browser.driver.get(caseUrl);
            browser.waitUpTo(20).until(ExpectedConditions.visibilityOfElementLocated(By.cssSelector("figure.photo")));
            List<WebElement> frames = browser.driver.findElements(By.cssSelector("figure.photo a.photo-frame"));
            String other = frames.stream().map(a -> a.getAttribute("href")).filter(h -> !h.equals(photoPage)).findFirst()
                    .orElseThrow();
            browser.driver.get(other);
            browser.waitUpTo(20).until(ExpectedConditions.visibilityOfElementLocated(By.id("photo-facts-box")));
            browser.driver.findElement(By.cssSelector("#photo-facts-box summary")).click();
            browser.script("window.confirm = function () { return true; };");
            browser.driver.findElement(By.id("photo-remove-button")).click();
            WebElement removed = browser.waitUpTo(20).until(ExpectedConditions.visibilityOfElementLocated(By.id("page-notice")));
            assertTrue(removed.getText().contains("removed from the case"), removed.getText());
            assertEquals(1, browser.driver.findElements(By.cssSelector("figure.photo")).size(), "one photo left on the case");
        }

        try (Browser browser = new Browser()) {
            browser.driver.get(caseUrl);
            browser.logInAtKeycloak(DemoUsers.SUPERVISOR_NORTH);
            browser.waitUpTo(30).until(ExpectedConditions.visibilityOfElementLocated(By.id("status-select")));
            new org.openqa.selenium.support.ui.Select(browser.driver.findElement(By.id("status-select")))
                    .selectByValue("closed");
            browser.driver.findElement(By.id("status-reason")).sendKeys("Closed for the test");
            browser.driver.findElement(By.id("change-status")).click();
            browser.waitUpTo(20).until(ExpectedConditions.textToBe(By.id("case-status"), "closed"));
            browser.screenshot("case-closed-by-supervisor");
        }

        try (Browser browser = new Browser()) {
            browser.driver.get(url("/audit?action=case.status"));
            browser.logInAtKeycloak(DemoUsers.AUDITOR);
            WebElement chain = browser.waitUpTo(30).until(ExpectedConditions.visibilityOfElementLocated(By.id("chain-status")));
            assertTrue(chain.getText().startsWith("Chain verified"), chain.getText());
            String events = browser.driver.findElement(By.id("audit-events")).getText();
            assertTrue(events.contains("case.status") && events.contains(DemoUsers.SUPERVISOR_NORTH), events);
            browser.driver.get(url("/audit?action=case.face.mark"));
            assertTrue(browser.driver.findElement(By.id("audit-events")).getText().contains(DemoUsers.INVESTIGATOR_NORTH));
            browser.screenshot("audit-trail");
        }
    }

    /** Date inputs take keystrokes in the browser's locale order; setting the value is what a date picker does. */
    static void setDate(Browser browser, String id, String isoDate) {
        ((org.openqa.selenium.JavascriptExecutor) browser.driver)
                .executeScript("document.getElementById(arguments[0]).value = arguments[1];", id, isoDate);
    }
}
