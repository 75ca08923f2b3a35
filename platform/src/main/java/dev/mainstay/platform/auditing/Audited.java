package dev.mainstay.platform.auditing;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * The audit actions an endpoint records, in the transaction of the change, when it changes
 * state. Every endpoint that is not a GET must declare them (EndpointDeclarationTest), and a test
 * calls each declared endpoint and finds its actions in the trail (AuditCoverageTest); a GET that
 * changes state (the sign-in callback) declares them too.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.METHOD)
public @interface Audited {

    /** The actions, e.g. {@code token.create}. */
    String[] value();
}
