package io.headcount.matrix.spring;

import io.headcount.matrix.app.MatrixPaths;
import jakarta.servlet.ServletContext;
import java.util.Map;
import org.springframework.boot.ApplicationRunner;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.SpringBootVersion;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.context.annotation.Bean;
import org.springframework.core.SpringVersion;
import org.springframework.core.env.Environment;

/**
 * The matrix app in Spring MVC on Spring Boot's default embedded Tomcat: controllers with route
 * templates ({@link ApiController}), a filter that rejects with 401 ({@link ApiKeyFilter}), a
 * forward and an include ({@link DispatchController}), and Boot's own {@code /error} page.
 */
@SpringBootApplication
public class MatrixSpringApp {
    public static void main(String[] args) {
        SpringApplication app = new SpringApplication(MatrixSpringApp.class);
        app.setDefaultProperties(Map.of(
                "server.port", String.valueOf(MatrixPaths.port(args)),
                "spring.main.banner-mode", "off"));
        app.run();
    }

    /** Runs once the web server is up: says what runs, then that the app serves. */
    @Bean
    ApplicationRunner announce(ServletContext context, Environment environment) {
        return arguments -> {
            System.out.println(MatrixPaths.info(context.getServerInfo(),
                    context.getMajorVersion() + "." + context.getMinorVersion(), ServletContext.class.getName(),
                    "Spring Boot " + SpringBootVersion.getVersion() + ", Spring MVC " + SpringVersion.getVersion()));
            System.out.println(MatrixPaths.ready("headcount-matrix-spring-boot",
                    Integer.parseInt(environment.getProperty("local.server.port", "-1"))));
        };
    }
}
