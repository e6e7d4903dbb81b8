package org.homeward.home;

import static org.homeward.testing.Api.as;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import java.net.URL;
import java.util.List;
import java.util.Map;
import org.homeward.testing.Api;
import org.homeward.testing.Browser;
import org.homeward.testing.DemoUsers;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.ExpectedConditions;

/**
 * The pages an investigator starts from, in headless Chromium: the home page's work list, the inbox with its badge
 * and read-on-open, a refused form that marks and focuses its field, the current page in the menu, and the widths
 * of the forms at a tablet's 820 px.
 */
@QuarkusTest
@Tag("shared-app")
class WorkListBrowserTest {

    @TestHTTPResource("/")
    URL root;

    private String url(String path) {
        return root.toString().replaceAll("/$", "") + path;
    }

    private static int unreadBadge(Browser browser) {
        List<WebElement> badge = browser.driver.findElements(By.id("inbox-unread"));
        return badge.isEmpty() ? 0 : Integer.parseInt(badge.get(0).getText().trim());
    }

    @Test
    void homeListsTheInvestigatorsWorkAndTheInboxIsReadOnOpen() throws Exception {
        String child = "Work List Child " + System.nanoTime();
        long caseId = Api.createCase(DemoUsers.SUPERVISOR_NORTH, child, "2012-03-04", "2016-05-06");
        String reference = as(DemoUsers.SUPERVISOR_NORTH).get("/api/cases/" + caseId).then().extract().path("reference");
        as(DemoUsers.SUPERVISOR_NORTH).body(Map.of("username", DemoUsers.INVESTIGATOR_NORTH))
                .post("/api/cases/" + caseId + "/assignments").then().statusCode(200);

        try (Browser browser = new Browser()) {
            browser.driver.get(url("/"));
            browser.logInAtKeycloak(DemoUsers.INVESTIGATOR_NORTH);
            WebElement cases = browser.waitUpTo(30).until(ExpectedConditions.visibilityOfElementLocated(By.id("work-cases")));
            assertTrue(cases.getText().contains(reference) && cases.getText().contains(child),
                    "a case assigned to her is on her work list: " + cases.getText());
            assertNotNull(browser.driver.findElement(By.id("work-candidates")));
            assertNotNull(browser.driver.findElement(By.id("work-referrals")));
            assertNotNull(browser.driver.findElement(By.id("work-photos")));
            int unread = unreadBadge(browser);
            assertTrue(unread >= 1, "the assignment is an unread message");
            assertEquals(String.valueOf(unread), browser.driver.findElement(By.id("count-unread")).getText());
            assertEquals("page", browser.driver.findElement(By.cssSelector(".brand")).getAttribute("aria-current"));
            browser.screenshots("home-work-list");

            // The inbox: the message names the case and links to it; opening it marks it read.
            browser.driver.findElement(By.id("nav-inbox")).click();
            WebElement message = browser.waitUpTo(20).until(ExpectedConditions.visibilityOfElementLocated(
                    By.cssSelector("li.message[data-link='/cases/" + caseId + "']")));
            assertTrue(message.getAttribute("class").contains("unread"));
            assertTrue(message.findElement(By.className("message-case")).getText().contains(reference + " · " + child),
                    message.getText());
            assertEquals("page", browser.driver.findElement(By.id("nav-inbox")).getAttribute("aria-current"));
            browser.screenshots("inbox");
            message.findElement(By.className("message-link")).click();
            browser.waitUpTo(20).until(ExpectedConditions.urlContains("/cases/" + caseId));
            browser.waitUpTo(20).until(ExpectedConditions.visibilityOfElementLocated(By.id("timeline")));
            assertEquals(unread - 1, unreadBadge(browser), "the badge counts one message fewer once it is opened");
            assertEquals("page", browser.driver.findElement(By.cssSelector("nav a[href='/cases']")).getAttribute("aria-current"));

            browser.driver.get(url("/inbox"));
            message = browser.waitUpTo(20).until(ExpectedConditions.visibilityOfElementLocated(
                    By.cssSelector("li.message[data-link='/cases/" + caseId + "']")));
            assertFalse(message.getAttribute("class").contains("unread"), "the opened message is read");

            // A note longer than the field takes (pasted by a script past maxlength): the page comes back with the
            // text, the field marked invalid and focused, and its message.
            browser.driver.get(url("/cases/" + caseId));
            browser.waitUpTo(20).until(ExpectedConditions.visibilityOfElementLocated(By.id("note-body")));
            browser.script("document.getElementById('note-body').value = 'n'.repeat(4001);");
            browser.driver.findElement(By.id("add-note")).click();
            WebElement error = browser.waitUpTo(20).until(ExpectedConditions.visibilityOfElementLocated(By.id("error-note-body")));
            assertTrue(error.getText().contains("4001 characters"), error.getText());
            WebElement note = browser.driver.findElement(By.id("note-body"));
            assertEquals(4001, note.getAttribute("value").length(), "the note is kept");
            assertEquals("true", note.getAttribute("aria-invalid"));
            assertEquals("note-body", browser.script("return document.activeElement.id;"));
            browser.screenshots("case-note-too-long");

            // The case form: a missing name is marked and focused.
            browser.driver.get(url("/cases/new"));
            browser.waitUpTo(20).until(ExpectedConditions.visibilityOfElementLocated(By.id("childName")));
            assertTrue(browser.pageWidthAt(820) <= 820, "the case form fits 820 px");
            assertEquals("page", browser.driver.findElement(By.cssSelector("nav a[href='/cases/new']")).getAttribute("aria-current"));
            browser.driver.findElement(By.id("save-case")).click();
            browser.waitUpTo(20).until(ExpectedConditions.visibilityOfElementLocated(By.id("error-childName")));
            assertEquals("true", browser.driver.findElement(By.id("childName")).getAttribute("aria-invalid"));
            assertEquals("childName", browser.script("return document.activeElement.id;"));
            browser.screenshots("case-form-invalid");

            // The sighting form at a tablet's width: its hidden file input widens nothing, and its label shows focus.
            browser.driver.get(url("/sightings/new"));
            browser.waitUpTo(20).until(ExpectedConditions.visibilityOfElementLocated(By.id("sighting-form")));
            int width = browser.pageWidthAt(820);
            assertTrue(width <= 820, "the sighting form is " + width + " px wide at 820 px");
            browser.script("document.getElementById('sighting-files').focus();");
            assertEquals("solid", browser.script(
                    "return getComputedStyle(document.getElementById('sighting-files').closest('label')).outlineStyle;"),
                    "the file button shows the focus");
            browser.screenshots("sighting-form");
        }
    }
}
