package dev.mainstay.platform.identity;

import jakarta.ws.rs.Priorities;
import jakarta.ws.rs.container.DynamicFeature;
import jakarta.ws.rs.container.ResourceInfo;
import jakarta.ws.rs.core.FeatureContext;
import jakarta.ws.rs.ext.Provider;
import java.lang.reflect.Method;
import java.util.Optional;

/**
 * Puts an {@link AccessFilter} in front of every resource method, built from the method's
 * {@link Requires} or {@link Public}. A method with neither makes the appliance refuse to start:
 * an endpoint nobody decided about is never served.
 */
@Provider
public class EndpointAccess implements DynamicFeature {

    private static final String OWN_PACKAGES = "dev.mainstay.";

    @Override
    public void configure(ResourceInfo resourceInfo, FeatureContext context) {
        Method method = resourceInfo.getResourceMethod();
        if (!method.getDeclaringClass().getName().startsWith(OWN_PACKAGES)) {
            // Jersey's own OPTIONS responders: they describe allowed methods and run nothing.
            return;
        }
        context.register(new AccessFilter(declaredPermission(method)), Priorities.AUTHENTICATION);
    }

    /**
     * The permission a resource method declares: empty for {@link Public} ones.
     *
     * @throws IllegalStateException when it declares neither, or both
     */
    public static Optional<String> declaredPermission(Method method) {
        Requires requires = method.getAnnotation(Requires.class);
        Public open = method.getAnnotation(Public.class);
        String where = method.getDeclaringClass().getName() + "." + method.getName();
        if (requires == null && open == null) {
            throw new IllegalStateException(where + " declares no permission: annotate it with @Requires(\"area:action\")"
                + " (a permission from policies/access.yaml) or @Public(\"why anyone may call it\")");
        }
        if (requires != null && open != null) {
            throw new IllegalStateException(where + " is both @Requires and @Public; choose one");
        }
        return Optional.ofNullable(requires).map(Requires::value);
    }
}
