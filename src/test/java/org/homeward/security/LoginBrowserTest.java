package org.homeward.security;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import java.net.URL;
import org.homeward.testing.Browser;
import org.homeward.testing.DemoUsers;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.support.ui.ExpectedConditions;

/** A person opens Homeward in headless Chromium, is sent to Keycloak, logs in, sees their name, and signs out. */
@QuarkusTest
@Tag("shared-app")
class LoginBrowserTest {

    @TestHTTPResource("/")
    URL home;

    @Test
    void investigatorLogsInThroughKeycloakAndSeesTheirName() throws Exception {
        try (Browser browser = new Browser()) {
            browser.driver.get(home.toString());
            browser.waitUpTo(30).until(ExpectedConditions.urlContains("/realms/homeward/"));
            browser.screenshot("keycloak-login");

            browser.logInAtKeycloak(DemoUsers.INVESTIGATOR_NORTH);

            browser.waitUpTo(30).until(ExpectedConditions.visibilityOfElementLocated(By.id("user-name")));
            assertEquals("Alice Moreau", browser.driver.findElement(By.id("user-name")).getText());
            assertEquals("north", browser.driver.findElement(By.id("user-unit")).getText());
            assertTrue(browser.driver.findElement(By.id("user-roles")).getText().contains("investigator"));
            assertTrue(browser.driver.getCurrentUrl().startsWith(home.toString().replaceAll("/$", "")),
                    "back on Homeward after login: " + browser.driver.getCurrentUrl());
            browser.screenshot("home-after-login");

            // Sign out: the menu's button ends the session here and at Keycloak, so Homeward asks for the password again.
            browser.driver.findElement(By.cssSelector("form.sign-out button")).click();
            browser.waitUpTo(30).until(ExpectedConditions.visibilityOfElementLocated(By.id("kc-form-login")));
            assertTrue(browser.driver.getCurrentUrl().contains("/realms/homeward/"), browser.driver.getCurrentUrl());
            browser.driver.get(home.toString());
            browser.waitUpTo(30).until(ExpectedConditions.visibilityOfElementLocated(By.id("kc-form-login")));
            browser.screenshot("after-sign-out");
        }
    }
}
