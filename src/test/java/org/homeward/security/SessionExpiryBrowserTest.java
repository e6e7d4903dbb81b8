package org.homeward.security;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import java.net.URL;
import org.homeward.testing.Api;
import org.homeward.testing.Browser;
import org.homeward.testing.DemoUsers;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.ExpectedConditions;

/**
 * A note typed while the sign-in ran out is not lost: in headless Chromium, the app's session cookies are dropped
 * (as when the session ends) before the note is sent; the page signs in again, the note is back in its field with a
 * message saying nothing was sent, and sending it then adds it to the case's timeline.
 */
@QuarkusTest
@Tag("shared-app")
class SessionExpiryBrowserTest {

    @TestHTTPResource("/")
    URL root;

    @Test
    void aFormSentAfterTheSessionEndedKeepsWhatWasTyped() throws Exception {
        long caseId = Api.createCase(DemoUsers.INVESTIGATOR_NORTH, "Session Child " + System.nanoTime(), "2012-03-04",
                "2016-05-06");
        String typed = "Spoke to the school nurse " + System.nanoTime() + ": she remembers the child's limp.";
        try (Browser browser = new Browser()) {
            browser.driver.get(url("/cases/" + caseId));
            browser.logInAtKeycloak(DemoUsers.INVESTIGATOR_NORTH);
            WebElement body = browser.waitUpTo(30).until(ExpectedConditions.visibilityOfElementLocated(By.id("note-body")));
            body.sendKeys(typed);

            browser.driver.manage().deleteAllCookies(); // the app's session ends; Keycloak's own session may live on
            browser.driver.findElement(By.cssSelector("form.note-form button[type=submit]")).click();
            browser.waitUpTo(30).until(d -> !d.findElements(By.id("draft-restored")).isEmpty()
                    || !d.findElements(By.id("username")).isEmpty());
            if (!browser.driver.findElements(By.id("username")).isEmpty()) {
                browser.logInAtKeycloak(DemoUsers.INVESTIGATOR_NORTH);
            }
            WebElement restored = browser.waitUpTo(30).until(ExpectedConditions.visibilityOfElementLocated(By.id("draft-restored")));
            assertTrue(restored.getText().contains("nothing was sent"), restored.getText());
            assertEquals(typed, browser.driver.findElement(By.id("note-body")).getAttribute("value"));
            assertTrue(browser.driver.findElement(By.id("timeline")).getText().indexOf(typed) < 0, "not sent yet");
            browser.screenshots("session-expired-note-kept");

            browser.driver.findElement(By.cssSelector("form.note-form button[type=submit]")).click();
            browser.waitUpTo(30).until(ExpectedConditions.textToBePresentInElementLocated(By.id("timeline"), typed));
            assertEquals("", browser.driver.findElement(By.id("note-body")).getAttribute("value"), "the form is empty once sent");
            assertTrue(browser.driver.findElements(By.id("draft-restored")).isEmpty(), "no stale restore after a send");
        }
    }

    private String url(String path) {
        return root.toString().replaceAll("/$", "") + path;
    }
}
