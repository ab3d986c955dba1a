package dev.mcphealth.adapter.mcp;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.openqa.selenium.Keys;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;

/**
 * Debian's headless Chromium driven by Selenium 4 through Debian's ChromeDriver (the two packages' versions match;
 * Selenium Manager is not used: both paths are given). The page stays open, as a user's does, and the test reads it
 * with scripts; keys are typed as a user types them.
 */
final class HeadlessChromium implements AutoCloseable {
    private static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    private static final Path DRIVER = Path.of("/usr/bin/chromedriver");

    private final ChromeDriver driver;

    /** {@code profile}: the browser's user data directory; {@code log}: the driver's log. */
    HeadlessChromium(Path profile, Path log) {
        for (Path p : new Path[] {CHROMIUM, DRIVER}) {
            if (!Files.isExecutable(p)) {
                throw new IllegalStateException(p + " is missing: run scripts/install-test-servers.sh (or apt-get"
                        + " install chromium chromium-driver) for the browser tests");
            }
        }
        ChromeOptions options = new ChromeOptions().setBinary(CHROMIUM.toFile()).addArguments("--headless",
                "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
                "--disable-component-update", "--disable-sync", "--window-size=1280,720",
                "--user-data-dir=" + profile);
        ChromeDriverService service = new ChromeDriverService.Builder().usingDriverExecutable(DRIVER.toFile())
                .usingAnyFreePort().withLogFile(log.toFile()).build();
        driver = new ChromeDriver(service, options);
    }

    /** Opens {@code url} in the page (its load awaited). */
    void open(String url) {
        driver.get(url);
    }

    /** The value of {@code expression} in the page, as text. */
    String eval(String expression) {
        return String.valueOf(driver.executeScript("return (" + expression + ");"));
    }

    /** Runs {@code statements} in the page. */
    void run(String statements) {
        driver.executeScript(statements);
    }

    /** A DevTools command (ChromeDriver passes it on), e.g. to add a script to every document. */
    Map<String, Object> devtools(String command, Map<String, Object> params) {
        return driver.executeCdpCommand(command, params);
    }

    /** Types {@code keys} into the element {@code selector} finds (focusing it, as a click would). */
    void type(String selector, CharSequence... keys) {
        driver.findElement(org.openqa.selenium.By.cssSelector(selector)).sendKeys(keys);
    }

    /** Types Enter into the element that has the focus. */
    void pressEnter() {
        driver.switchTo().activeElement().sendKeys(Keys.ENTER);
    }

    /** Waits (at most {@code seconds}) until {@code expression} is true in the page. */
    void await(String expression, int seconds) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        while (!"true".equals(eval(expression)) && System.nanoTime() < deadline) {
            TimeUnit.MILLISECONDS.sleep(100); // the page's own stream, on the server's schedule
        }
        assertEquals("true", eval(expression), expression + "; the page: " + eval("document.body.innerText"));
    }

    /** The window as it shows now. */
    void screenshot(Path file) throws java.io.IOException {
        Files.write(file, driver.getScreenshotAs(OutputType.BYTES));
    }

    /** The whole page, below the window's fold too (at most 4,000 pixels). */
    @SuppressWarnings("unchecked")
    void screenshotPage(Path file) throws java.io.IOException {
        Map<String, Object> size = (Map<String, Object>) devtools("Page.getLayoutMetrics", Map.of())
                .get("cssContentSize");
        Map<String, Object> shot = devtools("Page.captureScreenshot", Map.of("format", "png",
                "captureBeyondViewport", true, "clip", Map.of("x", 0, "y", 0, "width", size.get("width"),
                        "height", Math.min(4000, ((Number) size.get("height")).doubleValue()), "scale", 1)));
        Files.write(file, java.util.Base64.getDecoder().decode(String.valueOf(shot.get("data"))));
    }

    @Override
    public void close() {
        driver.quit();
    }
}
