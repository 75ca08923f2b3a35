package dev.mainstay.platform.identity;

import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.HttpMethod;
import jakarta.ws.rs.Path;
import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/** Every HTTP endpoint of the appliance, found in the compiled classes: JAX-RS resource methods. */
final class HttpEndpoints {

    /**
     * One endpoint.
     *
     * @param httpMethod GET, POST, ...
     * @param path       the path template, e.g. {@code /orgs/{org}/tokens}
     * @param consumes   the request media type, if it takes a body
     * @param method     the Java method
     */
    record Endpoint(String httpMethod, String path, Optional<String> consumes, Method method) {
        @Override
        public String toString() {
            return httpMethod + " " + path;
        }
    }

    private HttpEndpoints() {
    }

    static List<Endpoint> all() {
        List<Endpoint> endpoints = new ArrayList<>();
        for (JavaClass type : new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("dev.mainstay.platform")) {
            if (!type.isAnnotatedWith(Path.class)) {
                continue;
            }
            Class<?> resource = type.reflect();
            String base = resource.getAnnotation(Path.class).value();
            for (Method method : resource.getDeclaredMethods()) {
                httpMethod(method).ifPresent(verb -> {
                    String sub = method.isAnnotationPresent(Path.class) ? method.getAnnotation(Path.class).value() : "";
                    Consumes consumes = method.getAnnotation(Consumes.class);
                    endpoints.add(new Endpoint(verb, join(base, sub), Optional.ofNullable(consumes).map(c -> c.value()[0]), method));
                });
            }
        }
        endpoints.sort(Comparator.comparing(Endpoint::toString));
        return List.copyOf(endpoints);
    }

    private static Optional<String> httpMethod(Method method) {
        for (var annotation : method.getAnnotations()) {
            HttpMethod verb = annotation.annotationType().getAnnotation(HttpMethod.class);
            if (verb != null) {
                return Optional.of(verb.value());
            }
        }
        return Optional.empty();
    }

    private static String join(String base, String sub) {
        String path = ("/" + base + "/" + sub).replaceAll("/+", "/");
        return path.length() > 1 && path.endsWith("/") ? path.substring(0, path.length() - 1) : path;
    }
}
