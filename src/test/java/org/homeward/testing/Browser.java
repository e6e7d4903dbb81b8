package org.homeward.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

/** Debian's headless Chromium, driven by its own chromedriver: never a downloaded browser. */
public final class Browser implements AutoCloseable {

    private static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    private static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");
    private static final Path SCREENSHOTS = Path.of("target", "screenshots");

    public final WebDriver driver;
    private final Path profile;

    public Browser() throws IOException {
        if (!Files.isExecutable(CHROMIUM) || !Files.isExecutable(CHROMEDRIVER)) {
            throw new IllegalStateException("Debian's chromium and chromium-driver are needed: deploy/homeward test installs them");
        }
        profile = Files.createTempDirectory("homeward-chromium");
        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM.toFile());
        options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                "--disable-background-networking", "--disable-component-update", "--disable-sync", "--disable-quic",
                "--no-first-run", "--window-size=1280,900", "--user-data-dir=" + profile);
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(CHROMEDRIVER.toFile())
                .usingAnyFreePort()
                .build();
        driver = new ChromeDriver(service, options);
    }

    public WebDriverWait waitUpTo(int seconds) {
        WebDriverWait wait = new WebDriverWait(driver, Duration.ofSeconds(seconds));
        // Pages that follow long work reload themselves while it runs; an element found just before a reload is
        // gone when it is read, so a wait looks it up again instead of failing.
        wait.ignoring(StaleElementReferenceException.class);
        return wait;
    }

    /** Fills in Keycloak's own login form, as a person would. */
    public void logInAtKeycloak(String username) {
        waitUpTo(30).until(ExpectedConditions.visibilityOfElementLocated(By.id("username")));
        driver.findElement(By.id("username")).sendKeys(username);
        driver.findElement(By.id("password")).sendKeys(DemoUsers.PASSWORD);
        driver.findElement(By.id("kc-login")).click();
    }

    /** Saves what the browser shows under target/screenshots/NAME.png. */
    public Path screenshot(String name) throws IOException {
        Files.createDirectories(SCREENSHOTS);
        Path file = SCREENSHOTS.resolve(name + ".png");
        Files.write(file, ((TakesScreenshot) driver).getScreenshotAs(OutputType.BYTES));
        return file;
    }

    /** The widths every page is shown at: a laptop and a tablet held upright. */
    private static final int[] WIDTHS = {1366, 820};

    /** Saves the whole page at each of {@link #WIDTHS}, as NAME-1366.png and NAME-820.png, then restores the window. */
    public void screenshots(String name) throws IOException {
        for (int width : WIDTHS) {
            driver.manage().window().setSize(new Dimension(width, 900));
            Number height = (Number) ((JavascriptExecutor) driver).executeScript(
                    "return Math.max(document.body.scrollHeight, document.documentElement.scrollHeight);");
            driver.manage().window().setSize(new Dimension(width, Math.min(height.intValue() + 20, 8000)));
            screenshot(name + "-" + width);
        }
        driver.manage().window().setSize(new Dimension(1280, 900));
    }

    /** What a script in the page returns. */
    public Object script(String script, Object... arguments) {
        return ((JavascriptExecutor) driver).executeScript(script, arguments);
    }

    /** How wide the page is (document.documentElement.scrollWidth) in a window {@code width} px wide. */
    public int pageWidthAt(int width) {
        driver.manage().window().setSize(new Dimension(width, 900));
        // the window's new size reaches the page's layout a moment later: measure once it has
        waitUpTo(5).until(d -> ((Number) script("return window.innerWidth;")).intValue() <= width);
        script("return new Promise(r => requestAnimationFrame(() => requestAnimationFrame(r)));");
        int scrollWidth = ((Number) script("return document.documentElement.scrollWidth;")).intValue();
        driver.manage().window().setSize(new Dimension(1280, 900));
        return scrollWidth;
    }

    @Override
    public void close() throws IOException {
        driver.quit();
        try (var files = Files.walk(profile)) {
            files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }
}
