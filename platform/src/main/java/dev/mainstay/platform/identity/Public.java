package dev.mainstay.platform.identity;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks an HTTP endpoint anyone may call: sign-in, static assets, the landing page. The reason
 * is stated so a reviewer can judge it.
 */
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.METHOD)
public @interface Public {
    /** Why this endpoint needs no sign-in. */
    String value();
}
