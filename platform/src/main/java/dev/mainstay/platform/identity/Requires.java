package dev.mainstay.platform.identity;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * The permission (from policies/access.yaml) an HTTP endpoint needs. Every resource method
 * carries this or {@link Public}; the appliance refuses to start otherwise. When the path has
 * an {@code {org}} parameter, the caller must also belong to that org.
 */
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.METHOD)
public @interface Requires {
    /** The permission, e.g. {@code tokens:manage}. */
    String value();
}
