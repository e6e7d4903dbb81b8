package org.homeward.cases;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import java.net.URL;
import java.util.List;
import org.homeward.testing.Api;
import org.homeward.testing.Browser;
import org.homeward.testing.DemoUsers;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.Select;

/**
 * The case list in headless Chromium as a supervisor uses it: columns sorted by a click on their heading and
 * reversed by a second, the unit chosen from the units she can see, the order kept by the filter form.
 */
@QuarkusTest
@Tag("shared-app")
class CaseListBrowserTest {

    @TestHTTPResource("/")
    URL root;

    @Test
    void headingsSortAndTheUnitIsAChoice() throws Exception {
        String tag = "Sortable" + System.nanoTime();
        // names in one order, ages in another: Bea is the youngest, Cleo the oldest
        Api.createCase(DemoUsers.INVESTIGATOR_NORTH, "Ada " + tag, "2010-01-01", "2015-01-01");
        Api.createCase(DemoUsers.INVESTIGATOR_NORTH, "Bea " + tag, "2014-01-01", "2019-01-01");
        Api.createCase(DemoUsers.INVESTIGATOR_NORTH, "Cleo " + tag, "2006-01-01", "2011-01-01");
        Api.createCase(DemoUsers.INVESTIGATOR_SOUTH, "Dora " + tag, "2012-01-01", "2017-01-01");

        try (Browser browser = new Browser()) {
            browser.driver.get(url("/cases?q=" + tag));
            browser.logInAtKeycloak(DemoUsers.SUPERVISOR_NORTH);
            browser.waitUpTo(30).until(ExpectedConditions.visibilityOfElementLocated(By.id("case-list")));

            click(browser, "child");
            assertEquals(List.of("Ada", "Bea", "Cleo"), children(browser, tag));
            assertEquals("ascending", heading(browser, "child").getAttribute("aria-sort"));
            click(browser, "child");
            assertEquals(List.of("Cleo", "Bea", "Ada"), children(browser, tag), "a second click reverses");
            assertEquals("descending", heading(browser, "child").getAttribute("aria-sort"));
            click(browser, "ageNow");
            assertEquals(List.of("Bea", "Ada", "Cleo"), children(browser, tag), "youngest first by age");
            assertEquals("none", heading(browser, "child").getAttribute("aria-sort"));

            Select unit = new Select(browser.driver.findElement(By.id("unit-filter")));
            List<String> units = unit.getOptions().stream().map(WebElement::getText).toList();
            assertEquals(List.of("any", "north"), units, "a supervisor chooses among the units whose cases she sees");
            unit.selectByValue("north");
            browser.driver.findElement(By.cssSelector("form.filters button[type=submit]")).click();
            browser.waitUpTo(20).until(ExpectedConditions.urlContains("unit=north"));
            assertEquals(List.of("Bea", "Ada", "Cleo"), children(browser, tag), "filtering keeps the chosen order");
            browser.screenshots("case-list-sorted");
        }

        try (Browser browser = new Browser()) {
            browser.driver.get(url("/cases"));
            browser.logInAtKeycloak(DemoUsers.ADMIN);
            browser.waitUpTo(30).until(ExpectedConditions.visibilityOfElementLocated(By.id("case-list")));
            List<String> units = new Select(browser.driver.findElement(By.id("unit-filter"))).getOptions().stream()
                    .map(WebElement::getText).toList();
            assertTrue(units.contains("north") && units.contains("south"), "an admin chooses among every unit: " + units);
            browser.driver.get(url("/cases?q=" + tag + "&sort=ageNow"));
            assertEquals(List.of("Bea", "Dora", "Ada", "Cleo"), children(browser, tag), "both units' cases, youngest first");
            assertFalse(units.stream().skip(1).anyMatch(String::isBlank), "no empty unit offered: " + units);
        }
    }

    private static WebElement heading(Browser browser, String column) {
        return browser.driver.findElement(By.cssSelector("a.sort[data-sort='" + column + "']")).findElement(By.xpath(".."));
    }

    private static void click(Browser browser, String column) {
        WebElement link = browser.driver.findElement(By.cssSelector("a.sort[data-sort='" + column + "']"));
        link.click();
        browser.waitUpTo(20).until(ExpectedConditions.stalenessOf(link));
        browser.waitUpTo(20).until(ExpectedConditions.visibilityOfElementLocated(By.id("case-list")));
    }

    private static List<String> children(Browser browser, String tag) {
        return browser.driver.findElements(By.cssSelector("#case-list tbody tr td:nth-child(3)")).stream()
                .map(WebElement::getText).filter(t -> t.endsWith(tag)).map(t -> t.substring(0, t.indexOf(' '))).toList();
    }

    private String url(String path) {
        return root.toString().replaceAll("/$", "") + path;
    }
}
