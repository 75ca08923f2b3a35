package dev.mainstay.testkit;

import com.microsoft.playwright.Browser;
import com.microsoft.playwright.BrowserContext;
import com.microsoft.playwright.BrowserType;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.Playwright;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.logging.Logger;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.AfterTestExecutionCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * A real headless Chromium for UI tests: {@code @ExtendWith(BrowserFixture.class)} and a
 * {@link Page} (or {@link BrowserContext}) parameter. One browser per test JVM, a fresh context
 * (no cookies, no storage) per test, HTTPS errors ignored because the appliance serves a
 * self-signed development certificate.
 *
 * <p>The system Chromium ({@value #SYSTEM_CHROMIUM}) is used when present, so no browser download
 * is needed on a closed network; otherwise Playwright's own. Background networking, updates and
 * QUIC are switched off: on a closed network they only produce refused connections.
 *
 * <p>When a test fails, the page's screenshot and HTML are saved under
 * {@code target/browser-failures/} to see what the user would have seen.
 */
public final class BrowserFixture implements ParameterResolver, AfterTestExecutionCallback, AfterEachCallback {

    /** Debian's Chromium. */
    public static final String SYSTEM_CHROMIUM = "/usr/bin/chromium";

    private static final Logger LOG = Logger.getLogger(BrowserFixture.class.getName());
    private static final ExtensionContext.Namespace NAMESPACE = ExtensionContext.Namespace.create(BrowserFixture.class);
    private static final List<String> ARGS = List.of("--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
        "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync");

    @Override
    public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
        Class<?> type = parameter.getParameter().getType();
        return type == Page.class || type == BrowserContext.class;
    }

    @Override
    public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
        BrowserContext browserContext = context.getStore(NAMESPACE).getOrComputeIfAbsent(BrowserContext.class,
            k -> browser(context).newContext(new Browser.NewContextOptions().setIgnoreHTTPSErrors(true)), BrowserContext.class);
        if (parameter.getParameter().getType() == BrowserContext.class) {
            return browserContext;
        }
        return context.getStore(NAMESPACE).getOrComputeIfAbsent(Page.class, k -> browserContext.newPage(), Page.class);
    }

    @Override
    public void afterTestExecution(ExtensionContext context) {
        Page page = context.getStore(NAMESPACE).get(Page.class, Page.class);
        if (page == null || context.getExecutionException().isEmpty()) {
            return;
        }
        Path dir = Path.of("target", "browser-failures");
        String name = context.getRequiredTestClass().getSimpleName() + "." + context.getRequiredTestMethod().getName();
        try {
            Files.createDirectories(dir);
            page.screenshot(new Page.ScreenshotOptions().setPath(dir.resolve(name + ".png")).setFullPage(true));
            Files.writeString(dir.resolve(name + ".html"), "<!-- " + page.url() + " -->\n" + page.content());
            LOG.warning(() -> "Test failed on " + page.url() + "; screenshot and HTML saved as " + dir.resolve(name) + ".{png,html}");
        } catch (IOException e) {
            throw new UncheckedIOException("Could not save the failed test's page under " + dir, e);
        }
    }

    @Override
    public void afterEach(ExtensionContext context) {
        BrowserContext browserContext = context.getStore(NAMESPACE).remove(BrowserContext.class, BrowserContext.class);
        context.getStore(NAMESPACE).remove(Page.class);
        if (browserContext != null) {
            browserContext.close();
        }
    }

    private static Browser browser(ExtensionContext context) {
        return context.getRoot().getStore(NAMESPACE)
            .getOrComputeIfAbsent(BrowserResource.class, k -> BrowserResource.launch(), BrowserResource.class).browser();
    }

    /** The JVM's Playwright and browser, closed once every test has run. */
    private record BrowserResource(Playwright playwright, Browser browser) implements ExtensionContext.Store.CloseableResource {

        static BrowserResource launch() {
            Path system = Path.of(SYSTEM_CHROMIUM);
            boolean useSystem = Files.isExecutable(system);
            Playwright playwright = useSystem
                ? Playwright.create(new Playwright.CreateOptions().setEnv(Map.of("PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD", "1")))
                : Playwright.create();
            BrowserType.LaunchOptions options = new BrowserType.LaunchOptions().setHeadless(true).setArgs(ARGS);
            if (useSystem) {
                options.setExecutablePath(system);
            }
            try {
                return new BrowserResource(playwright, playwright.chromium().launch(options));
            } catch (RuntimeException e) {
                playwright.close();
                throw new IllegalStateException("Could not launch Chromium (" + (useSystem ? system : "Playwright's own")
                    + "); on Debian install it with: apt-get install -y --no-install-recommends chromium", e);
            }
        }

        @Override
        public void close() {
            playwright.close();
        }
    }
}
