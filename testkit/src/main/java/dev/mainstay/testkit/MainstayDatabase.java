package dev.mainstay.testkit;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Gives the annotated test class a fresh PostgreSQL database of its own, with Mainstay's Flyway
 * migrations applied, injectable as a {@link TestDatabase} parameter.
 *
 * <p>Where the databases live, one server per test JVM:
 * <ul>
 *   <li>by default, an embedded PostgreSQL 17 (real binaries, started once per JVM);</li>
 *   <li>with the environment variable {@value PostgresExtension#EXTERNAL_URL_ENV} set to a JDBC URL
 *       (user and password as URL parameters) of a role that may create databases, on that server;</li>
 *   <li>with {@code -D}{@value PostgresExtension#DOCKER_PROPERTY}{@code =true}, in a Testcontainers
 *       PostgreSQL container; the run fails, rather than skips, if no Docker engine answers.</li>
 * </ul>
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.TYPE)
@ExtendWith(PostgresExtension.class)
public @interface MainstayDatabase {

    /** Flyway locations of the migrations to apply; Mainstay's own by default. */
    String[] migrations() default "classpath:db/migration";
}
