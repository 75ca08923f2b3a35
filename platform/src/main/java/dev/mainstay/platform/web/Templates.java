package dev.mainstay.platform.web;

import gg.jte.ContentType;
import gg.jte.TemplateEngine;
import gg.jte.output.StringOutput;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Map;

/**
 * Renders the precompiled jte templates under {@code src/main/jte}. They are compiled to Java
 * at build time by the jte Maven plugin, so the appliance carries no template compiler and a
 * template error fails the build, not a request. Output is HTML-escaped by default.
 */
@ApplicationScoped
public class Templates {

    static final String PACKAGE = "dev.mainstay.platform.web.templates";

    private final TemplateEngine engine = TemplateEngine.createPrecompiled(null, ContentType.Html, null, PACKAGE);

    /** Renders {@code name} (e.g. {@code identity/account.jte}) with its parameters. */
    public String render(String name, Map<String, Object> parameters) {
        StringOutput out = new StringOutput();
        engine.render(name, parameters, out);
        return out.toString();
    }
}
